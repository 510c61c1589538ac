# Google Ads campaign, account or ad-group report (Reports > Predefined > Download CSV). With
# no Day column (the default) the date range of the title lines is the rows' range:
# "1 February 2026 - 28 February 2026"; a range over several months is spread over its days,
# "All time" is refused (Segment > Time > Day gives daily rows).
name = google_ads
label = Google Ads campaign report
table = spend
detect = Campaign | Cost
# account and ad-group reports
detect.account = Cost | Currency code
column.date = Day | Date | Week | Month
column.campaign_id = Campaign | Ad group | Account | Account name
column.amount = Cost
column.currency = Currency code | Currency
const.channel = Google Ads
title_range = yes
empty = --
footer = Total:
footer = Total
# The report in the interface's other languages (Google Ads localises the
# headers, the title lines and the total rows with the display language).
# ja / zh-CN / ru names: Google Ads Help's localised pages on the report
# columns and segments (キャンペーン / 广告系列 / Кампания, 日 / 天 / День,
# 費用 / 费用 / Стоимость, 通貨コード / 货币代码 / Код валюты) and the totals
# (合計 / 总计 / Итого); written from knowledge of those pages, not checked
# against files downloaded for this project.
detect.ja = キャンペーン | 費用
detect.zh = 广告系列 | 费用
detect.ru = Кампания | Стоимость
column.date = 日 | 日付 | 週 | 月 | 天 | 日期 | 周 | 月份 | День | Дата | Неделя | Месяц
column.campaign_id = キャンペーン | 广告系列 | Кампания
column.amount = 費用 | 费用 | Стоимость | Расходы
column.currency = 通貨コード | 通貨 | 货币代码 | 货币 | Код валюты | Валюта
footer = 合計
footer = 总计
footer = Итого
