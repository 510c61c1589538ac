# Maven Analytics "CRM + Sales + Opportunities": sales_pipeline.csv -> opportunities
# (a user-written profile, read by tests/input_shared.sh from $SHARED_DATA in place)
name = maven_pipeline
label = Maven CRM sales pipeline
table = opportunities
detect = opportunity_id | sales_agent | deal_stage | close_value
column.opportunity_id = opportunity_id
column.account_id = account
column.name = product
column.stage = deal_stage
column.owner = sales_agent
column.amount = close_value
column.created_date = engage_date
column.close_date = close_date
from.is_closed = stage
map.is_closed.Won = true
map.is_closed.Lost = true
map.is_closed.* = false
from.is_won = stage
map.is_won.Won = true
map.is_won.* = false
date_order = ymd
decimal = dot
