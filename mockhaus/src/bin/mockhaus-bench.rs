//! `mockhaus-bench`: the numbers in docs/benchmarks.md. Method, for each measurement:
//! warm up, then time N runs and report the median and 95th percentile.
//!
//! 1. open-to-first-result: `mockhaus::connect(Memory)` + `select 1`.
//! 2. engine overhead: the same queries through a Mockhaus session and directly on DuckDB
//!    (prepare, execute, read every value), on identical data.
//! 3. rewrite overhead on analytical queries over 1M rows: each query through a Mockhaus
//!    session (as Snowflake SQL, a new text each run so parse and rewrite run every time) and
//!    the same query written for DuckDB on a raw connection, on identical data.
//! 4. wire round trips: `select 1` through the Snowflake protocol on loopback (a real HTTP
//!    client against an in-process server), beside the same statement run on the engine.

use std::sync::Arc;
use std::time::{Duration, Instant};

use engine::duckdb;
use serde_json::{json, Value};

fn main() -> anyhow::Result<()> {
    let runs: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(200);
    println!("mockhaus-bench: {runs} timed runs per measurement (median / p95)\n");
    open_to_first_result(runs)?;
    engine_overhead(runs)?;
    analytical_overhead((runs / 10).max(10))?;
    wire_round_trips(runs * 5)?;
    Ok(())
}

fn summarize(label: &str, mut samples: Vec<Duration>) -> Duration {
    samples.sort();
    let median = samples[samples.len() / 2];
    let p95 = samples[samples.len() * 95 / 100];
    println!(
        "{label:<58} median {:>9.1} µs   p95 {:>9.1} µs",
        micros(median),
        micros(p95)
    );
    median
}

fn micros(d: Duration) -> f64 {
    d.as_secs_f64() * 1e6
}

fn time<T>(mut f: impl FnMut() -> T) -> Duration {
    let start = Instant::now();
    std::hint::black_box(f());
    start.elapsed()
}

fn open_to_first_result(runs: usize) -> anyhow::Result<()> {
    println!("## memory mode: open to first result");
    let samples = (0..runs + 10)
        .map(|_| {
            time(|| {
                let mut conn = mockhaus::connect(mockhaus::Mode::Memory).unwrap();
                conn.execute("select 1").unwrap()
            })
        })
        .skip(10)
        .collect();
    summarize("connect(Memory) + select 1", samples);
    println!();
    Ok(())
}

const SETUP: &str = "create table facts (id int, grp int, amount number(12,2), label varchar)";
const FILL_ROWS: usize = 100_000;

fn engine_overhead(runs: usize) -> anyhow::Result<()> {
    println!("## engine overhead: Mockhaus session vs raw DuckDB, same query, same data ({FILL_ROWS} rows)");
    let instance = engine::Instance::open_memory("BENCH")?;
    let mut session = instance.session("BENCH")?;
    session.execute("create database bench")?;
    session.execute(SETUP)?;
    session
        .execute(&format!(
            "insert into facts select i, i % 100, (i % 1000) / 10, 'label' || (i % 7) \
         from (select seq4() as i from table(generator(rowcount => {FILL_ROWS})))"
        ))
        .or_else(|_| fill_with_values(&mut session))?;
    let raw = duckdb::Connection::open_in_memory()?;
    raw.execute_batch(&format!(
        "create table facts (id decimal(38,0), grp decimal(38,0), amount decimal(12,2), label varchar);
         insert into facts select i, i % 100, (i % 1000) / 10, 'label' || (i % 7) from range({FILL_ROWS}) t(i);"
    ))?;
    let queries = [
        ("select 1", "select 1", "SELECT 1 AS \"1\""),
        ("point lookup", "select label from facts where id = 4242", "SELECT \"LABEL\" FROM facts WHERE \"ID\" = 4242"),
        (
            "aggregate over 100k rows",
            "select grp, count(*), sum(amount) from facts group by grp order by grp",
            "SELECT \"GRP\", count(*) AS \"COUNT(*)\", sum(\"AMOUNT\") AS \"SUM(AMOUNT)\" FROM facts GROUP BY \"GRP\" ORDER BY \"GRP\"",
        ),
    ];
    // A text never seen before takes the full path: parse, checks, rewrite (no statement cache).
    let mut n = 0u64;
    let uncached = summarize(
        "select <n>, a new text each run: engine",
        sample(runs, || {
            n += 1;
            session.execute(&format!("select {n}")).unwrap()
        }),
    );
    let mut m = 0u64;
    let raw_uncached = summarize(
        "select <n>, a new text each run: raw DuckDB",
        sample(runs, || {
            m += 1;
            raw_query(&raw, &format!("SELECT {m} AS \"{m}\""))
        }),
    );
    println!(
        "{:<58} {:>+9.1} µs\n",
        "select <n>, first run of a text: overhead",
        micros(uncached) - micros(raw_uncached)
    );
    for (label, snowflake_sql, duckdb_sql) in queries {
        let through_engine = summarize(
            &format!("{label}: engine"),
            sample(runs, || session.execute(snowflake_sql).unwrap()),
        );
        let direct = summarize(
            &format!("{label}: raw DuckDB"),
            sample(runs, || raw_query(&raw, duckdb_sql)),
        );
        println!(
            "{:<58} {:>+9.1} µs\n",
            format!("{label}: overhead"),
            micros(through_engine) - micros(direct)
        );
    }
    Ok(())
}

const ANALYTICAL_ROWS: usize = 1_000_000;

/// (label, Snowflake SQL, the same query written for DuckDB).
const ANALYTICAL_QUERIES: [(&str, &str, &str); 4] = [
    (
        "group by: count, sum, avg",
        "select grp, count(*), sum(amount), avg(amount) from facts group by grp order by grp",
        "SELECT grp, count(*), sum(amount), avg(amount) FROM facts GROUP BY grp ORDER BY grp",
    ),
    (
        "window then aggregate",
        "select grp, max(r) from (select grp, rank() over (partition by grp order by amount desc, id) as r from facts) group by grp order by grp",
        "SELECT grp, max(r) FROM (SELECT grp, rank() OVER (PARTITION BY grp ORDER BY amount DESC, id) AS r FROM facts) GROUP BY grp ORDER BY grp",
    ),
    (
        "filter, LIKE, IFF, COUNT_IF",
        "select label, sum(iff(amount > 50, 1, 0)), count_if(grp > 10) from facts where label like 'label%' group by label order by label",
        "SELECT label, sum(CASE WHEN amount > 50 THEN 1 ELSE 0 END), count_if(grp > 10) FROM facts WHERE label LIKE 'label%' GROUP BY label ORDER BY label",
    ),
    (
        "join with a dimension",
        "select d.name, count(*), sum(f.amount) from facts f join dims d on f.grp = d.grp group by d.name order by d.name",
        "SELECT d.name, count(*), sum(f.amount) FROM facts f JOIN dims d ON f.grp = d.grp GROUP BY d.name ORDER BY d.name",
    ),
];

fn analytical_overhead(runs: usize) -> anyhow::Result<()> {
    println!(
        "## rewrite overhead: analytical queries over {ANALYTICAL_ROWS} rows, engine (new text each run) vs raw DuckDB"
    );
    let fill = format!(
        "insert into facts select seq4(), seq4() % 100, (seq4() % 1000) / 10, 'label' || (seq4() % 7) \
         from table(generator(rowcount => {ANALYTICAL_ROWS}))"
    );
    let instance = engine::Instance::open_memory("BENCH")?;
    let mut session = instance.session("BENCH")?;
    session.execute("create database bench")?;
    session.execute(SETUP)?;
    session.execute(&fill)?;
    session.execute("create table dims (grp int, name varchar)")?;
    session.execute(
        "insert into dims select seq4(), 'name' || (seq4() % 10) from table(generator(rowcount => 100))",
    )?;
    let raw = duckdb::Connection::open_in_memory()?;
    raw.execute_batch(&format!(
        "create table facts (id decimal(38,0), grp decimal(38,0), amount decimal(12,2), label varchar);
         insert into facts select i, i % 100, (i % 1000) / 10, 'label' || (i % 7) from range({ANALYTICAL_ROWS}) t(i);
         create table dims (grp decimal(38,0), name varchar);
         insert into dims select i, 'name' || (i % 10) from range(100) t(i);"
    ))?;
    let mut n = 0u64;
    for (label, snowflake_sql, duckdb_sql) in ANALYTICAL_QUERIES {
        let through_engine = summarize(
            &format!("{label}: engine"),
            sample(runs, || {
                n += 1;
                session
                    .execute(&format!("{snowflake_sql} /* run {n} */"))
                    .unwrap()
            }),
        );
        let repeated = summarize(
            &format!("{label}: engine, repeated text"),
            sample(runs, || session.execute(snowflake_sql).unwrap()),
        );
        let direct = summarize(
            &format!("{label}: raw DuckDB"),
            sample(runs, || raw_query(&raw, duckdb_sql)),
        );
        println!(
            "{:<58} {:>+9.1} µs",
            format!("{label}: parse + rewrite + checks (new - repeated)"),
            micros(through_engine) - micros(repeated)
        );
        let translation = summarize(
            &format!("{label}: parse + rewrite + print alone"),
            sample(runs * 10, || translate_only(snowflake_sql)),
        );
        println!(
            "{:<58} {:>9.1}% of raw DuckDB",
            format!("{label}: parse + rewrite + print"),
            100.0 * micros(translation) / micros(direct)
        );
        let overhead = micros(through_engine) - micros(direct);
        println!(
            "{:<58} {:>+9.1} µs ({:+.1}%)\n",
            format!("{label}: overhead"),
            overhead,
            100.0 * overhead / micros(direct)
        );
    }
    Ok(())
}

/// The translation alone: the statement parsed, rewritten for DuckDB and printed.
fn translate_only(sql: &str) -> String {
    use engine::rewrite::{self, FunctionContext};
    let ctx = FunctionContext::standalone("BENCH", "BENCH", Some("BENCH"), Some("PUBLIC"));
    let mut statement = rewrite::parse(sql).unwrap().remove(0);
    rewrite::rewrite(&mut statement, sql, &ctx).unwrap();
    statement.to_string()
}

/// Fallback fill for engines without GENERATOR: 1000-row VALUES batches.
fn fill_with_values(session: &mut engine::Session) -> engine::SfResult<engine::QueryResult> {
    let mut last = None;
    for batch in 0..FILL_ROWS / 1000 {
        let values: Vec<String> = (0..1000)
            .map(|j| {
                let i = batch * 1000 + j;
                format!(
                    "({i}, {}, {}.{}, 'label{}')",
                    i % 100,
                    (i % 1000) / 10,
                    i % 10,
                    i % 7
                )
            })
            .collect();
        last = Some(session.execute(&format!("insert into facts values {}", values.join(", ")))?);
    }
    Ok(last.expect("at least one batch"))
}

fn sample<T>(runs: usize, mut f: impl FnMut() -> T) -> Vec<Duration> {
    (0..runs + 10).map(|_| time(&mut f)).skip(10).collect()
}

fn raw_query(conn: &duckdb::Connection, sql: &str) -> usize {
    let mut stmt = conn.prepare(sql).unwrap();
    let mut rows = stmt.query([]).unwrap();
    let mut cells = 0;
    while let Some(row) = rows.next().unwrap() {
        let width = row.as_ref().column_count();
        for i in 0..width {
            std::hint::black_box(row.get_ref(i).unwrap());
            cells += 1;
        }
    }
    cells
}

fn wire_round_trips(runs: usize) -> anyhow::Result<()> {
    println!("## wire protocol: select 1 round trips on loopback");
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    let listener = runtime.block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))?;
    let address = listener.local_addr()?;
    let state = Arc::new(data_node::AppState::default());
    runtime.spawn(data_node::serve(listener, state, std::future::pending()));
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into();
    let base = format!("http://{address}");
    let login: Value = agent
        .post(&format!("{base}/session/v1/login-request"))
        .send_json(json!({"data": {"ACCOUNT_NAME": "bench", "LOGIN_NAME": "u", "PASSWORD": "p"}}))?
        .body_mut()
        .read_json()?;
    let token = login["data"]["token"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    let query = || {
        let reply: Value = agent
            .post(&format!("{base}/queries/v1/query-request"))
            .header("Authorization", &format!("Snowflake Token=\"{token}\""))
            .send_json(json!({"sqlText": "select 1", "sequenceId": 1}))
            .unwrap()
            .body_mut()
            .read_json()
            .unwrap();
        assert_eq!(reply["success"], true);
    };
    let samples = sample(runs, query);
    let total: Duration = samples.iter().sum();
    let wire = summarize("select 1 through the wire protocol", samples);
    println!(
        "{:<58} {:>9.0} /s (one client, sequential)",
        "round trips",
        runs as f64 / total.as_secs_f64()
    );
    let instance = engine::Instance::open_memory("DIRECT")?;
    let mut session = instance.session("U")?;
    let direct = summarize(
        "select 1 on the engine directly",
        sample(runs, || session.execute("select 1").unwrap()),
    );
    println!(
        "{:<58} {:>+9.1} µs",
        "server adds per round trip",
        micros(wire) - micros(direct)
    );
    Ok(())
}
