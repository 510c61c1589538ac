# HubSpot deals export (CRM > Deals > Export)
name = hubspot_deals
label = HubSpot deals
table = opportunities
detect = Record ID | Deal Name | Deal Stage
column.opportunity_id = Record ID
column.account_id = Associated Company | Associated Company IDs | Company name | Deal Name
column.name = Deal Name
column.stage = Deal Stage
column.amount = Amount
column.currency = Currency | Deal currency code
column.close_date = Close Date
column.created_date = Create Date
column.owner = Deal owner | Deal Owner
column.lead_source = Original Source | Original Traffic Source
column.type = Deal Type
column.forecast_category = Forecast category
from.is_closed = stage
# every pipeline's closing stages: "Closed won (Renewals Pipeline)" is closed too
map.is_closed.Closed won* = true
map.is_closed.Closed lost* = true
# HubSpot's default sales pipeline (labels and the internal ids some exports show): open
map.is_closed.Appointment Scheduled = false
map.is_closed.Qualified To Buy = false
map.is_closed.Presentation Scheduled = false
map.is_closed.Decision Maker Bought-In = false
map.is_closed.Contract Sent = false
map.is_closed.appointmentscheduled = false
map.is_closed.qualifiedtobuy = false
map.is_closed.presentationscheduled = false
map.is_closed.decisionmakerboughtin = false
map.is_closed.contractsent = false
map.is_closed.closedwon = true
map.is_closed.closedlost = true
# any other stage ("Closed: won", "Closed: abandoned" of a custom pipeline) is read by its words
# (won / lost / closed, in en, ja, zh, ru); one the words do not decide is open and listed in
# the notes with its count; --stage "VALUE=won|lost|open" names one
map.is_closed.* = false
from.is_won = stage
map.is_won.Closed won* = true
map.is_won.closedwon = true
map.is_won.* = false
map.type.newbusiness = new_business
map.type.existingbusiness = expansion
default.currency = USD
# The export in the interface's other languages.  ja / zh-CN names: HubSpot's
# Japanese and Simplified Chinese interfaces and knowledge-base pages on deal
# properties (レコードID, 取引名, 取引ステージ, 金額, クローズ日, 作成日, 取引担当者;
# 记录 ID, 交易名称, 交易阶段, 金额, 成交日期, 创建日期, 交易所有者) and the default
# stages (成約 / 不成立; 赢单 / 丢单); HubSpot has no Russian interface.  Written
# from knowledge of those pages, not checked against files downloaded for this project.
detect.ja = レコードID | 取引名 | 取引ステージ
detect.zh = 记录 ID | 交易名称 | 交易阶段
column.opportunity_id = レコードID | 记录 ID | 记录ID
column.account_id = 関連付けられた会社 | 会社名 | 关联公司 | 公司名称
column.name = 取引名 | 交易名称
column.stage = 取引ステージ | 交易阶段
column.amount = 金額 | 金额
column.currency = 通貨 | 货币
column.close_date = クローズ日 | 成約日 | 成交日期 | 关闭日期
column.created_date = 作成日 | 创建日期
column.owner = 取引担当者 | 交易所有者
column.lead_source = 元のソース | 原始来源
column.type = 取引タイプ | 交易类型
map.is_closed.成約* = true
map.is_closed.不成立* = true
map.is_closed.赢单* = true
map.is_closed.丢单* = true
map.is_won.成約* = true
map.is_won.赢单* = true
