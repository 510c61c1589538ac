# Bitrix24 CRM deals export (CRM > Сделки > ... > Экспорт в CSV / Excel), Russian interface.
# Headers, the fixed final stages "Сделка успешна" (WON) and "Сделка провалена"
# (LOSE), and the deal types of the Russian interface: Bitrix24's help
# ("Экспорт сделок", "Стадии сделок", "Типы сделок") and its REST field
# titles (crm.deal.fields: TITLE, STAGE_ID, OPPORTUNITY, CURRENCY_ID,
# CLOSEDATE, SOURCE_ID, TYPE_ID); written from knowledge of those pages, not
# checked against a file downloaded for this project.  Its CSV is CP1251
# with ';' by default.  English interface names follow the Russian ones.
name = bitrix24_deals
label = Bitrix24 deals
table = opportunities
detect = ID | Название | Стадия сделки | Сумма
detect.en = ID | Deal Name | Stage | Income
column.opportunity_id = ID
column.name = Название | Название сделки | Deal Name | Name
column.account_id = Компания | Компания: Название | Company | Название
column.stage = Стадия сделки | Стадия | Stage | Deal stage
column.amount = Сумма | Сумма сделки | Income | Amount
column.currency = Валюта | Currency
column.created_date = Дата создания | Created | Date created
column.close_date = Предполагаемая дата закрытия | Дата закрытия | Expected close date | Close date
column.owner = Ответственный | Responsible person | Responsible
column.lead_source = Источник | Source
column.type = Тип | Тип сделки | Deal type | Type
from.is_closed = stage
map.is_closed.Сделка успешна = true
map.is_closed.Сделка провалена = true
map.is_closed.Анализ причины провала = true
map.is_closed.Deal won = true
map.is_closed.Deal lost = true
map.is_closed.* = false
from.is_won = stage
map.is_won.Сделка успешна = true
map.is_won.Deal won = true
map.is_won.* = false
map.type.Продажа = new_business
map.type.Комплексная продажа = new_business
map.type.Продажа товара = new_business
map.type.Продажа услуги = new_business
map.type.Sales = new_business
map.type.Сервисное обслуживание = renewal
map.type.After-sales service = renewal
map.currency.руб. = RUB
map.currency.Российский рубль = RUB
default.currency = RUB
date_order = dmy
footer = Итого
