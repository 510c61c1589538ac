# Google Ads campaign report (Reports > Predefined > Campaigns > Download CSV)
name = google_ads
label = Google Ads campaign report
table = spend
detect = Campaign | Cost
column.date = Day | Date | Week | Month
column.campaign_id = Campaign
column.amount = Cost
column.currency = Currency code | Currency
const.channel = Google Ads
empty = --
footer = Total:
footer = Total
