# Salesforce Opportunity report (Reports > Export > Details only, CSV or Excel)
name = salesforce_opportunities
label = Salesforce Opportunity report
table = opportunities
detect = Opportunity Name | Stage | Close Date
column.opportunity_id = Opportunity ID | Opportunity ID (18) | Opportunity Name
column.account_id = Account ID | Account Name
column.name = Opportunity Name
column.type = Type
column.stage = Stage
column.amount = Amount | Amount (converted)
column.currency = Amount Currency | Opportunity Currency | Currency
column.probability = Probability (%)
column.forecast_category = Forecast Category
column.created_date = Created Date
column.close_date = Close Date
column.owner = Opportunity Owner
column.lead_source = Lead Source
column.campaign_id = Primary Campaign Source | Campaign
from.is_closed = stage
map.is_closed.Closed Won = true
map.is_closed.Closed Lost = true
# Salesforce's default open stages
map.is_closed.Prospecting = false
map.is_closed.Qualification = false
map.is_closed.Needs Analysis = false
map.is_closed.Value Proposition = false
map.is_closed.Id. Decision Makers = false
map.is_closed.Perception Analysis = false
map.is_closed.Proposal/Price Quote = false
map.is_closed.Negotiation/Review = false
# any other stage is read by its words (won / lost / closed); see hubspot_deals.profile
map.is_closed.* = false
from.is_won = stage
map.is_won.Closed Won = true
map.is_won.* = false
map.type.New Business = new_business
map.type.Existing Business = expansion
map.type.Renewal = renewal
default.currency = USD
footer = Grand Totals
footer = Total
footer = Subtotal
footer = Confidential Information
footer = Copyright
footer = ©
# The report in the interface's other languages.  ja / zh-CN / ru names: the
# standard Opportunity field labels of Salesforce's translated interfaces
# (商談名, フェーズ, 金額, 完了予定日, 作成日, 取引先名, 商談 所有者; 业务机会名称, 阶段,
# 金额, 结束日期, 创建日期, 客户名, 业务机会所有人; Название возможности, Этап, Сумма,
# Дата закрытия, Дата создания, Название организации, Ответственный) and the
# default closed stages (成立 / 不成立; 结束并赢单 / 结束并丢单; Закрыто (успех) /
# Закрыто (неудача)); footers 総計 / 总计 / Общий итог.  Written from knowledge of
# those interfaces, not checked against files downloaded for this project.
detect.ja = 商談名 | フェーズ | 完了予定日
detect.zh = 业务机会名称 | 阶段 | 结束日期
detect.ru = Название возможности | Этап | Дата закрытия
column.opportunity_id = 商談 ID | 业务机会 ID | Идентификатор возможности | 商談名 | 业务机会名称 | Название возможности
column.account_id = 取引先 ID | 取引先名 | 客户 ID | 客户名 | 客户名称 | Название организации
column.name = 商談名 | 业务机会名称 | Название возможности
column.type = 種別 | 类型 | Тип
column.stage = フェーズ | 阶段 | Этап
column.amount = 金額 | 金额 | Сумма
column.currency = 商談 通貨 | 通貨 | 币种 | Валюта
column.probability = 確度(%) | 確度 (%) | 可能性(%) | 可能性 (%) | Вероятность (%)
column.forecast_category = 売上予測分類 | 预测类别 | Категория прогноза
column.created_date = 作成日 | 创建日期 | Дата создания
column.close_date = 完了予定日 | 结束日期 | Дата закрытия
column.owner = 商談 所有者 | 所有者 | 业务机会所有人 | Ответственный
column.lead_source = リードソース | 潜在客户来源 | Источник интереса
map.is_closed.成立 = true
map.is_closed.不成立 = true
map.is_closed.结束并赢单 = true
map.is_closed.结束并丢单 = true
map.is_closed.Закрыто (успех) = true
map.is_closed.Закрыто (неудача) = true
map.is_won.成立 = true
map.is_won.结束并赢单 = true
map.is_won.Закрыто (успех) = true
map.type.新規ビジネス = new_business
map.type.既存ビジネス = expansion
map.type.新业务 = new_business
map.type.现有业务 = expansion
map.type.Новый бизнес = new_business
map.type.Существующий бизнес = expansion
footer = 総計
footer = 总计
footer = Общий итог
