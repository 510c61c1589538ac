name = mytool
table = spend
detect = Spend day
column.date = Spend day
column.amount Spend
