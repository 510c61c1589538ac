# LinkedIn Campaign Manager performance export (campaign performance report, daily)
name = linkedin_ads
label = LinkedIn Campaign Manager
table = spend
detect = Start Date (in UTC) | Total Spent
column.date = Start Date (in UTC)
column.campaign_id = Campaign Name | Campaign
column.amount = Total Spent
column.currency = Currency
const.channel = LinkedIn
date_order = mdy
footer = Total
# The export in the interface's other languages.  ja / zh-CN / ru names:
# Campaign Manager's localised report columns (開始日（UTC）, キャンペーン名, 合計
# 費用; 开始日期（UTC）, 广告系列名称, 总花费; Дата начала (в формате UTC), Название
# кампании, Всего потрачено); written from knowledge of the localised
# interface, not checked against files downloaded for this project.
detect.ja = 開始日（UTC） | 合計費用
detect.zh = 开始日期（UTC） | 总花费
detect.ru = Дата начала (в формате UTC) | Всего потрачено
column.date = 開始日（UTC） | 开始日期（UTC） | Дата начала (в формате UTC)
column.campaign_id = キャンペーン名 | 广告系列名称 | Название кампании
column.amount = 合計費用 | 总花费 | Всего потрачено
column.currency = 通貨 | 货币 | Валюта
footer = 合計
footer = 总计
footer = Итого
