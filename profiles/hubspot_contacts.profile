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
