# HubSpot contacts export (lifecycle-stage dates -> funnel)
name = hubspot_contacts
label = HubSpot contacts
table = leads
detect = Record ID | Lifecycle Stage | Create Date
column.lead_id = Record ID
column.contact_id = Record ID
column.account_id = Associated Company ID | Company Name
column.created_at = Create Date
column.channel = Original Source | Original Traffic Source
column.mql_at = Became a Marketing Qualified Lead Date
column.sal_at = Became a Sales Accepted Lead Date
column.sql_at = Became a Sales Qualified Lead Date
column.first_contact_at = First Contact Date | Date of first engagement
column.opportunity_id = Associated Deal IDs
default.channel = Other
# The export in the interface's other languages (ja / zh-CN; HubSpot has no
# Russian interface): HubSpot's Japanese and Simplified Chinese contact
# properties (レコードID, ライフサイクルステージ, 作成日, 元のソース; 记录 ID,
# 生命周期阶段, 创建日期, 原始来源); written from knowledge of those interfaces,
# not checked against files downloaded for this project.
detect.ja = レコードID | ライフサイクルステージ | 作成日
detect.zh = 记录 ID | 生命周期阶段 | 创建日期
column.lead_id = レコードID | 记录 ID | 记录ID
column.contact_id = レコードID | 记录 ID | 记录ID
column.created_at = 作成日 | 创建日期
column.channel = 元のソース | 原始来源
