# Olist marketing funnel: olist_closed_deals_dataset.csv -> opportunities (all won)
name = olist_deals
label = Olist closed deals
table = opportunities
detect = mql_id | seller_id | won_date
column.opportunity_id = mql_id
column.account_id = seller_id
column.owner = sr_id
column.created_date = won_date
column.close_date = won_date
column.amount = declared_monthly_revenue
const.is_closed = true
const.is_won = true
default.amount = 0
date_order = ymd
decimal = dot
