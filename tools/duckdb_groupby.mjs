// duckdb_groupby.mjs: the benchmark's reference points (node + @duckdb/node-api).
//   node tools/duckdb_groupby.mjs touchpoints.csv      -> "<seconds> <groups>"
//     DuckDB's time for a plain channel x month GROUP BY over touchpoints.csv
//     (the yardstick: two columns of one file).
//   node tools/duckdb_groupby.mjs --load a.csv b.csv   -> "<seconds> <rows>"
//     DuckDB's time to load every column of every file into tables (as text:
//     spend.csv mixes months and dates in one column, which type detection
//     rejects), i.e. to read what revreport reads before computing anything.
import { DuckDBInstance } from '@duckdb/node-api';
const args = process.argv.slice(2);
const load = args[0] === '--load';
const files = load ? args.slice(1) : args;
const q = (f) => `'${f.replace(/'/g, "''")}'`;
const db = await DuckDBInstance.create(':memory:');
const con = await db.connect();
const t0 = process.hrtime.bigint();
let out = 0;
if (load) {
  for (let i = 0; i < files.length; i++) {
    await con.run(`CREATE TABLE t${i} AS SELECT * FROM read_csv(${q(files[i])}, header = true, all_varchar = true)`);
    const r = await con.runAndReadAll(`SELECT count(*) FROM t${i}`);
    out += Number(r.getRows()[0][0]);
  }
} else {
  const r = await con.runAndReadAll(
    `SELECT channel, substr(CAST(timestamp AS VARCHAR), 1, 7) AS month, count(*) AS n
     FROM read_csv(${q(files[0])}, header = true, all_varchar = true)
     GROUP BY ALL`);
  out = r.getRows().length;
}
const t1 = process.hrtime.bigint();
console.log(`${(Number(t1 - t0) / 1e9).toFixed(3)} ${out}`);
