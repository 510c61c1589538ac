#!/bin/bash
# fc_convert.sh: map the shared reference CRM data sets to revreport's
# canonical CSVs (docs/inputs.md), reading them in place (never copied into
# the repository: licences).  Used by tests/test_fc_report.c.
#
#   tests/fc_convert.sh olist /work/shared/data/olist-marketing-funnel /tmp/x
#   tests/fc_convert.sh maven /work/shared/data/maven-crm-sales-opportunities /tmp/y
#
# olist: every MQL is a lead (created_at = mql_at = first_contact_date,
#   channel = origin, "(none)" when empty); every closed deal is a won
#   new-business opportunity (id = mql_id, account = seller_id, created on
#   the MQL date, or on won_date when that is earlier (some are), closed on
#   won_date, amount = declared_monthly_revenue).
# maven: every sales_pipeline row is an opportunity (created = engage_date,
#   close = close_date, amount = close_value, Won/Lost closed); open rows
#   without dates are dated 2017-12-31 (the end of the data), empty accounts
#   are "(none)".
set -eu
kind=$1 src=$2 dst=$3
mkdir -p "$dst"
case $kind in
olist)
  awk -F, '
    FNR == 1 { next }
    FILENAME ~ /marketing_qualified/ { sub(/\r$/, ""); day[$1] = $2; org[$1] = ($4 == "" ? "(none)" : $4); ord[++n] = $1; next }
    { sub(/\r$/, ""); won[$1] = substr($5, 1, 10); seller[$1] = $2; amt[$1] = ($NF == "" ? 0 : $NF); }
    END {
      L = dst "/leads.csv"; O = dst "/opportunities.csv"
      print "lead_id,contact_id,account_id,created_at,channel,campaign_id,mql_at,sal_at,sql_at,first_contact_at,opportunity_id" > L
      print "opportunity_id,account_id,type,stage,is_closed,is_won,amount,created_date,close_date" > O
      for (i = 1; i <= n; i++) {
        id = ord[i]
        print id ",,," day[id] "," org[id] ",," day[id] ",,,," ((id in won) ? id : "") > L
        if (id in won) print id "," seller[id] ",new_business,Closed Won,true,true," amt[id] "," (won[id] < day[id] ? won[id] : day[id]) "," won[id] > O
      }
    }' dst="$dst" "$src/olist_marketing_qualified_leads_dataset.csv" "$src/olist_closed_deals_dataset.csv"
  ;;
maven)
  awk -F, '
    NR == 1 { print "opportunity_id,account_id,type,stage,is_closed,is_won,amount,created_date,close_date,owner"; next }
    { sub(/\r$/, "")
      closed = ($5 == "Won" || $5 == "Lost") ? "true" : "false"
      created = ($6 == "" ? "2017-12-31" : $6); cl = ($7 == "" ? "2017-12-31" : $7)
      print $1 "," ($4 == "" ? "(none)" : $4) ",new_business," $5 "," closed "," ($5 == "Won" ? "true" : "false") "," \
            ($8 == "" ? 0 : $8) "," created "," cl "," $2 }' "$src/sales_pipeline.csv" > "$dst/opportunities.csv"
  ;;
*) echo "fc_convert.sh: unknown data set $kind" >&2; exit 2 ;;
esac
