# amoCRM deals export (Сделки > ... > Экспорт, CSV or Excel), Russian interface.
# Headers and stage names: amoCRM's Russian interface and its help pages on
# the export ("Экспорт сделок") and on the closing stages, whose fixed names
# are "Успешно реализовано" (won, status 142) and "Закрыто и не реализовано"
# (lost, status 143); written from knowledge of those pages and of files seen
# in the wild, not checked against a file downloaded for this project.
# Open deals show "не закрыта" in "Дата закрытия": read as empty.
# The English interface's names follow each Russian one.
name = amocrm_deals
label = amoCRM deals
table = opportunities
detect = ID | Название сделки | Бюджет
detect.en = ID | Lead title | Sale
column.opportunity_id = ID
column.name = Название сделки | Название | Lead title | Name
column.account_id = Компания | Компания контакта | Название компании | Company | Название сделки
column.stage = Этап сделки | Этап | Статус | Lead status | Status | Stage
column.amount = Бюджет | Бюджет, ₽ | Бюджет (*) | Sale | Budget
column.currency = Валюта | Currency
capture.currency = amount
column.created_date = Дата создания | Created at | Date created
column.close_date = Дата закрытия | Closed at | Date closed
column.owner = Ответственный | Ответственный пользователь | Responsible user | Responsible
column.lead_source = Источник | Источник сделки | utm_source | Source
from.is_closed = stage
map.is_closed.Успешно реализовано = true
map.is_closed.Закрыто и не реализовано = true
map.is_closed.Closed - won = true
map.is_closed.Closed - lost = true
map.is_closed.* = false
from.is_won = stage
map.is_won.Успешно реализовано = true
map.is_won.Closed - won = true
map.is_won.* = false
map.currency.₽ = RUB
map.currency.руб = RUB
map.currency.руб. = RUB
default.currency = RUB
empty = не закрыта
decimal = comma
date_order = dmy
