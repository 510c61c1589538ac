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
map.is_closed.* = false
from.is_won = stage
map.is_won.Closed won* = true
map.is_won.* = false
map.type.newbusiness = new_business
map.type.existingbusiness = expansion
default.currency = USD
