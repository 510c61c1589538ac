# Olist marketing funnel: olist_marketing_qualified_leads_dataset.csv -> leads
# (every row is a marketing-qualified lead: first contact = MQL time)
name = olist_mql
label = Olist marketing-qualified leads
table = leads
detect = mql_id | first_contact_date | origin
column.lead_id = mql_id
column.created_at = first_contact_date
column.mql_at = first_contact_date
column.first_contact_at = first_contact_date
column.channel = origin
column.campaign_id = landing_page_id
default.channel = unknown
date_order = ymd
