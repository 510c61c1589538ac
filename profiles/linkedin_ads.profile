# LinkedIn Campaign Manager performance export (campaign performance report, daily)
name = linkedin_ads
label = LinkedIn Campaign Manager
table = spend
detect = Start Date (in UTC) | Total Spent
column.date = Start Date (in UTC)
column.campaign_id = Campaign Name | Campaign
column.amount = Total Spent
column.currency = Currency
const.channel = LinkedIn
date_order = mdy
footer = Total
