// duckdb_groupby.mjs: the benchmark's reference point: DuckDB's time for a
// plain channel x month GROUP BY over touchpoints.csv (node + @duckdb/node-api).
//   node tools/duckdb_groupby.mjs touchpoints.csv   -> "<seconds> <groups>"
import { DuckDBInstance } from '@duckdb/node-api';
const file = process.argv[2];
const db = await DuckDBInstance.create(':memory:');
const con = await db.connect();
const t0 = process.hrtime.bigint();
const r = await con.runAndReadAll(
  `SELECT channel, substr(CAST(timestamp AS VARCHAR), 1, 7) AS month, count(*) AS n
   FROM read_csv('${file.replace(/'/g, "''")}', header = true, all_varchar = true)
   GROUP BY ALL`);
const t1 = process.hrtime.bigint();
console.log(`${(Number(t1 - t0) / 1e9).toFixed(3)} ${r.getRows().length}`);
