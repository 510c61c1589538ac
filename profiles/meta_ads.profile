# Meta Ads Manager export (Reports > Export table data), as it comes by default (one row per
# campaign, ad set or ad for the reporting range, age/gender breakdown rows summed) or broken
# down by day (Breakdown > By time > Day). A range over more than one month is spread over its
# days, with a note.
name = meta_ads
label = Meta Ads Manager
table = spend
detect = Campaign name | Day
# the default export (no Day column; campaign, ad set or ad rows for the reporting range)
detect.range = Reporting starts | Reporting ends | Amount spent (*)
column.date = Day | Reporting starts
column.date_end = Reporting ends
# the row's range is Reporting starts..ends only when there is no Day column
range_start = Reporting starts
column.campaign_id = Campaign name | Ad set name | Ad name
column.amount = Amount spent (*)
column.currency = Currency
capture.currency = amount
const.channel = Meta
footer = Total
footer = No data available.
footer = No data available
# The export in the interface's other languages.  ja / zh-CN / ru names: the
# localised Ads Manager columns as Meta's Business Help Center shows them
# (キャンペーン名, 日, 消化金額 (JPY), レポート開始日; 广告系列名称, 天, 已花费金额
# (CNY), 报告开始日期; Название кампании, День, Потраченная сумма (RUB), Начало
# отчетности); written from knowledge of those pages, not checked against
# files downloaded for this project.
detect.ja = キャンペーン名 | レポート開始日
detect.zh = 广告系列名称 | 报告开始日期
detect.ru = Название кампании | Начало отчетности
column.date = 日 | 天 | 日期 | День | レポート開始日 | 报告开始日期 | Начало отчетности
column.campaign_id = キャンペーン名 | 广告系列名称 | Название кампании
column.amount = 消化金額 (*) | 已花费金额 (*) | Потраченная сумма (*)
column.currency = 通貨 | 货币 | Валюта
footer = 合計
footer = 总计
footer = Итого
