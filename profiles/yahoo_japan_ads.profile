# Yahoo! JAPAN Ads (Yahoo!広告) search / display campaign report, by day (レポート > ダウンロード, CSV).
# Headers: Yahoo!広告's help on report items (レポート項目: 日, キャンペーン名,
# キャンペーンID, インプレッション数, クリック数, コスト) and the report file's
# title and total lines (レポート名, 集計期間, 合計); written from knowledge of
# those pages, not checked against a file downloaded for this project.  The
# CSV is Shift_JIS (CP932) unless UTF-8 is chosen; amounts are yen.
# The English UI's names (Day, Campaign name, Cost) follow.
name = yahoo_japan_ads
label = Yahoo! JAPAN Ads
table = spend
detect = キャンペーン名 | コスト
detect.en = Campaign name | Cost | Campaign ID
column.date = 日 | 日付 | 日別 | Day | Date
column.campaign_id = キャンペーン名 | Campaign name
column.amount = コスト | コスト(税抜) | Cost
column.currency = 通貨 | 通貨コード | Currency
const.channel = Yahoo! JAPAN Ads
default.currency = JPY
empty = --
footer = 合計
footer = 総計
footer = Total
