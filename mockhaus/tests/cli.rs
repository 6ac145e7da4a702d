//! The `mockhaus` binary as a user runs it: `query`, and `serve --port 0` with the REST API.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

use serde_json::{json, Value};

const BIN: &str = env!("CARGO_BIN_EXE_mockhaus");

#[test]
fn query_runs_a_script_in_memory_and_prints_tables() {
    let output = Command::new(BIN)
        .args([
            "query",
            "create table t (x int, s varchar); insert into t values (1, 'a;b'); select * from t",
        ])
        .output()
        .unwrap();
    let stdout = successful_stdout(output);
    assert!(stdout.contains("Table T successfully created."), "{stdout}");
    assert!(stdout.contains("number of rows inserted"), "{stdout}");
    assert!(stdout.contains("a;b"), "{stdout}");
}

#[test]
fn query_shows_timestamp_ltz_in_the_session_time_zone() {
    let output = Command::new(BIN)
        .args([
            "query",
            "alter session set timezone = 'America/Los_Angeles'; \
             select '2024-01-02 00:00:00 +00:00'::timestamp_ltz as t",
        ])
        .output()
        .unwrap();
    let stdout = successful_stdout(output);
    assert!(stdout.contains("2024-01-01 16:00:00.000 -0800"), "{stdout}");
}

/// The standard output of a command that must have succeeded (its stderr otherwise).
fn successful_stdout(output: std::process::Output) -> String {
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).unwrap()
}

#[test]
fn query_reports_sql_errors_with_snowflake_codes() {
    let output = Command::new(BIN)
        .args(["query", "select * from nowhere"])
        .output()
        .unwrap();
    assert!(!output.status.success());
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(stderr.contains("002003"), "{stderr}");
}

struct Server {
    child: Child,
    base: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn serve() -> Server {
    let mut child = Command::new(BIN)
        .args(["serve", "--port", "0", "--memory"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let start = line.find("http://").expect("serve prints its address");
    let base = line[start..].split_whitespace().next().unwrap().to_string();
    Server { child, base }
}

fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into()
}

fn post(agent: &ureq::Agent, url: &str, body: Value) -> (u16, Value) {
    let mut response = agent.post(url).send_json(body).unwrap();
    let status = response.status().as_u16();
    (status, response.body_mut().read_json().unwrap())
}

#[test]
fn serve_on_port_zero_answers_health_and_rest_queries() {
    let server = serve();
    let agent = agent();
    let health: Value = agent
        .get(&format!("{}/health", server.base))
        .call()
        .unwrap()
        .body_mut()
        .read_json()
        .unwrap();
    assert_eq!(health["status"], "ok");

    let (_, session) = post(
        &agent,
        &format!("{}/api/v1/sessions", server.base),
        json!({"account": "rest"}),
    );
    let id = session["session_id"].as_str().unwrap().to_string();
    let query = |sql: &str| {
        post(
            &agent,
            &format!("{}/api/v1/query", server.base),
            json!({"sql": sql, "session_id": id}),
        )
        .1
    };
    query("create database r");
    query("create table t (id int, price number(6,2), name varchar(10))");
    query("insert into t values (1, 2.50, 'pen')");
    let result = query("select * from t");
    assert_eq!(result["success"], true);
    assert_eq!(
        result["columns"][0],
        json!({"name": "ID", "type": "NUMBER(38,0)", "nullable": true})
    );
    assert_eq!(result["columns"][2]["type"], "VARCHAR(10)");
    assert_eq!(result["rows"], json!([[1, "2.50", "pen"]]));

    let failed = query("select * from missing");
    assert_eq!(failed["success"], false);
    assert_eq!(failed["error"]["code"], "002003");

    let (status, _) = post(
        &agent,
        &format!("{}/api/v1/query", server.base),
        json!({"sql": "select 1", "session_id": "nope"}),
    );
    assert_eq!(status, 404);
    let (status, _) = post(
        &agent,
        &format!("{}/api/v1/query", server.base),
        json!({"nosql": 1}),
    );
    assert_eq!(status, 400);

    // without a session id, a query runs in a fresh session of the default account
    let (_, one) = post(
        &agent,
        &format!("{}/api/v1/query", server.base),
        json!({"sql": "select 1 as one"}),
    );
    assert_eq!(one["rows"], json!([[1]]));
}

#[test]
fn the_facade_talks_to_a_server() {
    let server = serve();
    let mut conn = mockhaus::connect(mockhaus::Mode::Server {
        url: server.base.clone(),
        account: Some("facade".into()),
    })
    .unwrap();
    conn.execute("create database f").unwrap();
    conn.execute("create table t (name varchar)").unwrap();
    conn.execute("insert into t values ('Alice')").unwrap();
    let rows = conn.execute("select name from t").unwrap();
    assert_eq!(rows[0].get("NAME").and_then(|c| c.as_str()), Some("Alice"));
    let err = conn.execute("select * from nowhere").unwrap_err();
    assert!(err.to_string().contains("002003"), "{err}");
}

#[test]
fn memory_connections_are_isolated() {
    let mut a = mockhaus::connect(mockhaus::Mode::Memory).unwrap();
    let mut b = mockhaus::connect(mockhaus::Mode::Memory).unwrap();
    a.execute("create table only_in_a (x int)").unwrap();
    assert!(b.execute("select * from only_in_a").is_err());
}

#[test]
fn repl_runs_multi_line_statements_from_standard_input() {
    use std::io::Write;
    let mut child = Command::new(BIN)
        .arg("repl")
        .env("HOME", std::env::temp_dir())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(b"create table t (x int);\nselect x + 1\n  as next\nfrom t;\ninsert into t values (41);\nselect x + 1 as next from t;\nexit\n")
        .unwrap();
    let output = child.wait_with_output().unwrap();
    let stdout = successful_stdout(output);
    assert!(stdout.contains("Table T successfully created."), "{stdout}");
    assert!(stdout.contains("NEXT"), "{stdout}");
    assert!(stdout.contains("42"), "{stdout}");
}

#[test]
fn settings_precedence_is_flag_then_environment_then_file() {
    let dir = std::env::temp_dir().join(format!("mockhaus-config-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let config = dir.join("mockhaus.toml");
    std::fs::write(&config, "mode = \"persistent\"\nport = 0\n").unwrap();
    // the file asks for a mode that does not exist yet: refused with a clear message
    let from_file = Command::new(BIN)
        .args(["serve", "--config"])
        .arg(&config)
        .output()
        .unwrap();
    assert!(!from_file.status.success());
    assert!(String::from_utf8_lossy(&from_file.stderr).contains("mode 'persistent'"));
    // the environment beats the file
    let from_env = Command::new(BIN)
        .args(["serve", "--config"])
        .arg(&config)
        .env("MOCKHAUS_MODE", "elsewhere")
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&from_env.stderr).contains("mode 'elsewhere'"));
    // and a flag beats both: --memory serves
    let mut served = Command::new(BIN)
        .args(["serve", "--memory", "--config"])
        .arg(&config)
        .env("MOCKHAUS_MODE", "elsewhere")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(served.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let _ = served.kill();
    let _ = served.wait();
    assert!(line.contains("listening on http://127.0.0.1:"), "{line}");
    let _ = std::fs::remove_dir_all(&dir);
}
