// The Node snowflake-sdk against a real `mockhaus serve`: connect with accessUrl, DDL, DML,
// typed values, errors, close. Run with `node --test`.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { createRequire } from "node:module";
import { randomUUID } from "node:crypto";

const require = createRequire(process.env.MOCKHAUS_NODE_MODULES + "/");
const snowflake = require("snowflake-sdk");
snowflake.configure({ logLevel: "ERROR" });

let server;
let accessUrl;
// A second server that puts 1,000 rows inline and sends the rest in chunks.
let chunkedServer;
let chunkedUrl;

function startServer(extraArgs) {
  const child = spawn(process.env.MOCKHAUS_BIN, ["serve", "--port", "0", "--memory", ...extraArgs], {
    stdio: ["ignore", "pipe", "ignore"],
  });
  const url = new Promise((resolve, reject) => {
    child.stdout.once("data", (chunk) => {
      const match = /http:\/\/[\d.]+:\d+/.exec(chunk.toString());
      match ? resolve(match[0]) : reject(new Error(`no address in ${chunk}`));
    });
    child.once("exit", (code) => reject(new Error(`server exited ${code}`)));
  });
  return { child, url };
}

before(async () => {
  const main = startServer([]);
  const chunked = startServer(["--result-chunk-rows", "1000"]);
  [server, chunkedServer] = [main.child, chunked.child];
  [accessUrl, chunkedUrl] = await Promise.all([main.url, chunked.url]);
});

after(() => {
  server.kill();
  chunkedServer.kill();
});

function connect(account, extra = {}) {
  const connection = snowflake.createConnection({
    account,
    username: "tester",
    password: "secret",
    accessUrl,
    ...extra,
  });
  return new Promise((resolve, reject) =>
    connection.connect((err, conn) => (err ? reject(err) : resolve(conn))),
  );
}

function run(connection, sqlText) {
  return new Promise((resolve, reject) =>
    connection.execute({
      sqlText,
      complete: (err, stmt, rows) => (err ? reject(err) : resolve({ stmt, rows })),
    }),
  );
}

function runBound(connection, sqlText, binds) {
  return new Promise((resolve, reject) =>
    connection.execute({
      sqlText,
      binds,
      complete: (err, stmt, rows) => (err ? reject(err) : resolve({ stmt, rows })),
    }),
  );
}

function destroy(connection) {
  return new Promise((resolve, reject) => connection.destroy((err) => (err ? reject(err) : resolve())));
}

const freshAccount = () => "n" + randomUUID().replaceAll("-", "").slice(0, 12);

test("DDL, DML and typed values", async () => {
  const conn = await connect(freshAccount());
  await run(conn, "create database nodedb");
  const created = await run(conn, "create table items (id int, price number(10,2), name varchar, ok boolean)");
  assert.deepEqual(created.rows, [{ status: "Table ITEMS successfully created." }]);
  const inserted = await run(conn, "insert into items values (1, 9.99, 'pen', true), (2, 0.5, 'cap', false)");
  assert.equal(inserted.stmt.getNumUpdatedRows(), 2);
  const { rows } = await run(conn, "select id, price, name, ok from items order by id");
  assert.deepEqual(rows, [
    { ID: 1, PRICE: 9.99, NAME: "pen", OK: true },
    { ID: 2, PRICE: 0.5, NAME: "cap", OK: false },
  ]);
  await destroy(conn);
});

test("temporal, binary, variant and null values", async () => {
  const conn = await connect(freshAccount());
  const { rows } = await run(
    conn,
    `select '2024-01-15'::date as d, '2024-01-15 12:34:56.789'::timestamp_ntz as ts,
            '12:34:56'::time as t, 'ABCD'::binary as b, parse_json('{"k": 1}') as v,
            null as n, 1.5::float as f, '2024-01-15 12:34:56 +05:00'::timestamp_ltz as ltz`,
  );
  const row = rows[0];
  assert.equal(row.D.toJSON(), "2024-01-15");
  // formatted with the session's TIMESTAMP_NTZ_OUTPUT_FORMAT
  assert.equal(row.TS.toJSON(), "2024-01-15 12:34:56.789");
  assert.equal(row.T, "12:34:56");
  assert.deepEqual([...row.B], [0xab, 0xcd]);
  assert.deepEqual(row.V, { k: 1 });
  assert.equal(row.N, null);
  assert.equal(row.F, 1.5);
  assert.equal(row.LTZ.getTime(), Date.UTC(2024, 0, 15, 7, 34, 56));
  await destroy(conn);
});

test("errors carry Snowflake codes", async () => {
  const conn = await connect(freshAccount());
  await assert.rejects(run(conn, "select * from missing_table"), (err) => {
    // no current database yet: Snowflake refuses the unqualified name
    assert.equal(Number(err.code), 90105);
    return true;
  });
  await run(conn, "create database errs");
  await assert.rejects(run(conn, "select * from missing_table"), (err) => {
    assert.equal(Number(err.code), 2003);
    assert.equal(err.sqlState, "42S02");
    return true;
  });
  await assert.rejects(run(conn, "selec 1"), (err) => Number(err.code) === 1003);
  const { rows } = await run(conn, "select 1 as one");
  assert.deepEqual(rows, [{ ONE: 1 }]);
  await destroy(conn);
});

test("connections to one account share data; accounts are isolated", async () => {
  const account = freshAccount();
  const first = await connect(account);
  await run(first, "create database shared");
  await run(first, "create table t (x int)");
  await run(first, "insert into t values (5)");
  const second = await connect(account, { database: "shared" });
  assert.deepEqual((await run(second, "select x from t")).rows, [{ X: 5 }]);
  const stranger = await connect(freshAccount());
  await assert.rejects(run(stranger, "select * from shared.public.t"));
  await Promise.all([destroy(first), destroy(second), destroy(stranger)]);
});

test("binds: single values, nulls and array binding", async () => {
  const conn = await connect(freshAccount());
  await run(conn, "create database nodedb");
  await run(conn, "create table items (id int, name varchar, price float, ok boolean, meta variant)");
  const one = await runBound(conn, "insert into items values (?, ?, ?, ?, parse_json(?))", [
    1,
    "it's",
    2.5,
    true,
    JSON.stringify({ k: 1 }),
  ]);
  assert.equal(one.stmt.getNumUpdatedRows(), 1);
  const many = await runBound(conn, "insert into items (id, name) values (?, ?)", [
    [2, "b"],
    [3, null],
  ]);
  assert.equal(many.stmt.getNumUpdatedRows(), 2);
  const { rows } = await runBound(conn, "select id, name, price, ok, meta:k as k from items where id >= :1 order by id", [1]);
  assert.deepEqual(rows, [
    { ID: 1, NAME: "it's", PRICE: 2.5, OK: true, K: 1 },
    { ID: 2, NAME: "b", PRICE: null, OK: null, K: null },
    { ID: 3, NAME: null, PRICE: null, OK: null, K: null },
  ]);
  await destroy(conn);
});

test("large results arrive in chunks, complete and in order", async () => {
  const conn = await connect(freshAccount(), { accessUrl: chunkedUrl });
  const { rows } = await run(
    conn,
    "with recursive r(n) as (select 1 union all select n + 1 from r where n < 5500) select n, 'row ' || n as label from r order by n",
  );
  assert.equal(rows.length, 5500);
  assert.deepEqual(
    rows.map((r) => r.N),
    Array.from({ length: 5500 }, (_, i) => i + 1),
  );
  assert.equal(rows[4321].LABEL, "row 4322");
  await destroy(conn);
});

test("multi-statement requests and asynchronous queries", async () => {
  const conn = await connect(freshAccount());
  const results = await new Promise((resolve, reject) => {
    const collected = [];
    conn.execute({
      sqlText: "select 1 as a; select 2 as b",
      parameters: { MULTI_STATEMENT_COUNT: 2 },
      complete: (err, stmt, rows) => {
        if (err) return reject(err);
        collected.push(rows);
        if (stmt.hasNext()) stmt.NextResult();
        else resolve(collected);
      },
    });
  });
  assert.deepEqual(results, [[{ A: 1 }], [{ B: 2 }]]);

  const queryId = await new Promise((resolve, reject) =>
    conn.execute({
      sqlText: "select 42 as answer",
      asyncExec: true,
      complete: (err, stmt) => (err ? reject(err) : resolve(stmt.getQueryId())),
    }),
  );
  const stmt = await conn.getResultsFromQueryId({ queryId });
  const rows = await new Promise((resolve, reject) => {
    const out = [];
    stmt
      .streamRows()
      .on("data", (row) => out.push(row))
      .on("end", () => resolve(out))
      .on("error", reject);
  });
  assert.deepEqual(rows, [{ ANSWER: 42 }]);
  await destroy(conn);
});

test("PUT and GET move files through a LOCAL_FS stage; COPY INTO loads them", async () => {
  const { mkdtempSync, mkdirSync, writeFileSync, readFileSync } = await import("node:fs");
  const { tmpdir } = await import("node:os");
  const { join } = await import("node:path");
  const { gunzipSync } = await import("node:zlib");
  const dir = mkdtempSync(join(tmpdir(), "mockhaus-node-"));
  const csv = "1,alpha\n2,beta\n";
  writeFileSync(join(dir, "rows.csv"), csv);

  const conn = await connect("n" + randomUUID().slice(0, 8));
  await run(conn, "create database stagedb");
  await run(conn, "create table t (id int, name varchar)");
  await run(conn, "create stage s");
  const put = await run(conn, `put file://${join(dir, "rows.csv")} @s`);
  assert.equal(put.rows[0].status, "UPLOADED");
  const listed = await run(conn, "list @s");
  assert.deepEqual(
    listed.rows.map((r) => r.name),
    ["s/rows.csv.gz"],
  );
  const copied = await run(conn, "copy into t from @s");
  assert.equal(copied.rows[0].status, "LOADED");
  assert.equal(copied.rows[0].rows_loaded, 2);
  const { rows } = await run(conn, "select id, name from t order by id");
  assert.deepEqual(rows, [
    { ID: 1, NAME: "alpha" },
    { ID: 2, NAME: "beta" },
  ]);

  // GET writes into a directory that must exist, as with Snowflake.
  const out = join(dir, "out");
  mkdirSync(out);
  const got = await run(conn, `get @s file://${out}/`);
  assert.equal(got.rows[0].status, "DOWNLOADED");
  assert.equal(gunzipSync(readFileSync(join(out, "rows.csv.gz"))).toString(), csv);
  await destroy(conn);
});
