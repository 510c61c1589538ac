# Yandex Direct statistics (Статистика > Мастер отчётов, by day, CSV / TSV / XLSX), Russian interface.
# Headers: Yandex Direct's report wizard as its help describes it ("Мастер
# отчетов": Дата, Кампания, № Кампании, Показы, Клики, Расход); the money
# columns carry the currency in the header ("Расход (руб.)", newer "Расход, ₽")
# and are written with a decimal comma; the English interface's names
# (Date, Campaign, Campaign ID, Cost (RUB)) and the Reports API's (Date,
# CampaignName, CampaignId, Cost) follow.  Written from knowledge of those
# pages, not checked against a file downloaded for this project.
name = yandex_direct
label = Yandex Direct statistics
table = spend
detect = Кампания | Дата
detect.number = № Кампании | Расход
detect.api = CampaignName | CampaignId | Cost
column.date = Дата | День | Date | Day
column.campaign_id = Кампания | Название кампании | CampaignName | Campaign
column.amount = Расход (*) | Расход, * | Расход | Cost (*) | Cost
column.currency = Валюта | Currency
capture.currency = amount
map.currency.руб. = RUB
map.currency.руб = RUB
map.currency.₽ = RUB
map.currency.у.е. = USD
const.channel = Yandex Direct
default.currency = RUB
decimal = comma
date_order = dmy
empty = --
footer = Итого
footer = Всего
footer = Total
