# Salesforce Data Export (Setup > Data Export, Opportunity.csv) and Data Loader extracts:
# API field names, ISO-8859-1 (or UTF-8), values as stored (IsClosed / IsWon true or false,
# CloseDate 2026-10-05, CreatedDate 2026-09-01T10:00:00.000Z). Field names from Salesforce's
# Object Reference (Opportunity); rich-text fields may hold NUL bytes, which are dropped.
name = salesforce_api
label = Salesforce Data Export (API names)
table = opportunities
detect = StageName | IsWon | CloseDate
column.opportunity_id = Id
column.account_id = AccountId
column.name = Name
column.type = Type
column.stage = StageName
column.is_closed = IsClosed
column.is_won = IsWon
column.amount = Amount
column.currency = CurrencyIsoCode
column.probability = Probability
column.forecast_category = ForecastCategoryName
column.created_date = CreatedDate
column.close_date = CloseDate
column.owner = OwnerId
column.lead_source = LeadSource
column.campaign_id = CampaignId
default.currency = USD
date_order = ymd
