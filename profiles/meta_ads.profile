# Meta Ads Manager export (Reports > Export table data, breakdown by day)
name = meta_ads
label = Meta Ads Manager
table = spend
detect = Campaign name | Day
column.date = Day | Reporting starts
column.campaign_id = Campaign name
column.amount = Amount spent (*)
column.currency = Currency
capture.currency = amount
const.channel = Meta
footer = Total
