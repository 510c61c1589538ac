# Baidu search ads (百度营销 / 百度推广) campaign report, by day (数据报告 > 推广计划报告 > 下载, CSV).
# Headers: Baidu's help on the campaign report (推广计划报告: 日期, 账户,
# 推广计划, 推广计划ID, 展现, 点击, 消费, 点击率, 平均点击价格) and its total line
# (合计); written from knowledge of those pages, not checked against a file
# downloaded for this project.  The CSV is GBK (read as GB18030); amounts are yuan.
name = baidu
label = Baidu search ads
table = spend
detect = 推广计划 | 消费
detect.date = 计划名称 | 消费
column.date = 日期 | 时间
column.campaign_id = 推广计划 | 推广计划名称 | 计划名称
column.amount = 消费 | 消费(元) | 花费
column.currency = 币种 | 货币
const.channel = Baidu
default.currency = CNY
empty = -
footer = 合计
footer = 总计
