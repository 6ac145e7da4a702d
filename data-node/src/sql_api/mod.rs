//! Snowflake's SQL API v2 (`/api/v2/statements`): submit a statement (synchronously, or with
//! `async=true`), poll its status and fetch result partitions by handle, cancel it. Each
//! request runs on an engine session of its own, with the database, schema, warehouse, role,
//! timeout, bindings and MULTI_STATEMENT_COUNT the body names. A synchronous request waits up
//! to 45 seconds and then answers 202, as Snowflake does; the statement runs on.

mod auth;
mod result_set;
mod store;

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use engine::{BindRow, QueryResult, Session, SessionState, SfError, SfResult};
use serde::Deserialize;
use serde_json::{json, Map, Value};
use tokio::sync::watch;

pub use store::Statements;

use crate::snowflake::{binds, now_ms};
use crate::{body, AppState};
use auth::Caller;
use result_set::{failure, in_progress, statement_failed, Page};
use store::{Record, Status};

/// How long a synchronous request waits before answering 202.
const SYNC_WAIT: Duration = Duration::from_secs(45);
/// Rows per result partition at most (the SQL API's page limit).
const MAX_PARTITION_ROWS: usize = 10_000;

pub fn routes() -> Router<Arc<AppState>> {
    Router::new()
        .route("/api/v2/statements", post(submit))
        .route("/api/v2/statements/{handle}", get(status))
        .route("/api/v2/statements/{handle}/cancel", post(cancel))
}

#[derive(Debug, Default, Deserialize)]
struct SubmitBody {
    #[serde(default)]
    statement: String,
    timeout: Option<u64>,
    database: Option<String>,
    schema: Option<String>,
    warehouse: Option<String>,
    role: Option<String>,
    bindings: Option<Map<String, Value>>,
    #[serde(default)]
    parameters: Map<String, Value>,
}

/// Everything a submitted statement runs with.
struct Submission {
    body: SubmitBody,
    binds: Vec<BindRow>,
    statement_count: usize,
    nullable: bool,
    partition_rows: usize,
}

async fn submit(
    State(state): State<Arc<AppState>>,
    Query(query): Query<HashMap<String, String>>,
    headers: HeaderMap,
    raw: Bytes,
) -> Response {
    let caller = match auth::caller(&state, &headers) {
        Ok(caller) => caller,
        Err(refused) => return refused.response(),
    };
    let body: SubmitBody = match body::decode(&headers, &raw) {
        Ok(body) => body,
        Err(e) => return failure(StatusCode::BAD_REQUEST, "390400", &e.to_string()),
    };
    let flag = |name: &str| query.get(name).map(|v| v.eq_ignore_ascii_case("true"));
    let handle = uuid::Uuid::new_v4().to_string();
    let request_id = query
        .get("requestId")
        .cloned()
        .unwrap_or_else(|| uuid::Uuid::new_v4().to_string());
    let created_ms = now_ms();
    let prepared = prepare(&state, &caller, body, flag("nullable").unwrap_or(true));
    let (submission, session) = match prepared {
        Ok(ready) => ready,
        Err(err) => return statement_failed(&err, &handle, created_ms),
    };
    let (done_tx, done_rx) = watch::channel(false);
    state.sql_api.insert(
        &handle,
        Record {
            account: caller.account.clone(),
            request_id: request_id.clone(),
            created_ms,
            status: Status::Running(session.interrupt_handle()),
        },
    );
    let account = caller.account.clone();
    let run = Run {
        app: state.clone(),
        handle: handle.clone(),
        request_id: request_id.clone(),
        account: caller.account,
        created_ms,
    };
    tokio::task::spawn_blocking(move || {
        run.execute(session, submission);
        let _ = done_tx.send(true);
    });
    if flag("async") == Some(true) {
        return in_progress(&handle, &request_id);
    }
    let mut done = done_rx;
    let _ = tokio::time::timeout(SYNC_WAIT, done.wait_for(|finished| *finished)).await;
    respond(&state, &account, &handle, None)
}

/// Opens the engine session and reads the request's options; failures are the statement's.
fn prepare(
    state: &AppState,
    caller: &Caller,
    body: SubmitBody,
    nullable: bool,
) -> SfResult<(Submission, Session)> {
    let instance = state.accounts.get_or_create(&caller.account)?;
    let session = instance.session(&caller.user)?;
    let binds = match &body.bindings {
        Some(bindings) if !bindings.is_empty() => binds::decode(bindings)?,
        _ => Vec::new(),
    };
    let statement_count = body
        .parameters
        .get("MULTI_STATEMENT_COUNT")
        .and_then(|v| v.as_u64().or_else(|| v.as_str()?.trim().parse().ok()))
        .map_or(1, |n| n as usize);
    Ok((
        Submission {
            body,
            binds,
            statement_count,
            nullable,
            partition_rows: state.chunk_rows.clamp(1, MAX_PARTITION_ROWS),
        },
        session,
    ))
}

/// One submitted statement while it runs on the blocking pool.
struct Run {
    app: Arc<AppState>,
    handle: String,
    request_id: String,
    account: String,
    created_ms: i64,
}

impl Run {
    fn execute(&self, mut session: Session, submission: Submission) {
        let status = match self.run(&mut session, &submission) {
            Ok(status) => status,
            Err(err) => Status::Failed(err),
        };
        self.app.sql_api.set_status(&self.handle, status);
    }

    fn run(&self, session: &mut Session, submission: &Submission) -> SfResult<Status> {
        apply_context(session, &submission.body)?;
        let sql = &submission.body.statement;
        if submission.statement_count == 1 {
            let result = session.execute_bound(sql, &submission.binds)?;
            return Ok(self.finished(&self.handle, &result, session.state(), submission));
        }
        if !submission.binds.is_empty() {
            return Err(SfError::unsupported(
                "bind variables in a multi-statement request",
            ));
        }
        let children = session.execute_multi(sql, submission.statement_count)?;
        let mut handles = Vec::new();
        for (result, state) in &children {
            let child = uuid::Uuid::new_v4().to_string();
            let status = self.finished(&child, result, state, submission);
            self.app.sql_api.insert(&child, self.record(status));
            handles.push(child);
        }
        let summary = QueryResult::multi_statement_summary();
        let mut status = self.finished(&self.handle, &summary, session.state(), submission);
        if let Status::Succeeded { first, .. } = &mut status {
            first["statementHandles"] = json!(handles);
        }
        Ok(status)
    }

    fn finished(
        &self,
        handle: &str,
        result: &QueryResult,
        state: &SessionState,
        submission: &Submission,
    ) -> Status {
        let partitions =
            result_set::partitions(result, submission.partition_rows, submission.nullable);
        let page = Page {
            handle,
            request_id: &self.request_id,
            created_ms: self.created_ms,
            result,
            state,
            partitions: &partitions,
            partition_rows: submission.partition_rows,
            nullable: submission.nullable,
        };
        Status::Succeeded {
            first: page.body(),
            partitions: Arc::new(partitions),
        }
    }

    fn record(&self, status: Status) -> Record {
        Record {
            account: self.account.clone(),
            request_id: self.request_id.clone(),
            created_ms: self.created_ms,
            status,
        }
    }
}

/// `USE` the body's database, schema, warehouse and role, and set its timeout.
fn apply_context(session: &mut Session, body: &SubmitBody) -> SfResult<()> {
    let uses = [
        ("DATABASE", &body.database),
        ("SCHEMA", &body.schema),
        ("WAREHOUSE", &body.warehouse),
        ("ROLE", &body.role),
    ];
    for (kind, name) in uses {
        if let Some(name) = name.as_deref().filter(|n| !n.is_empty()) {
            session.execute(&format!("USE {kind} {}", identifier(name)))?;
        }
    }
    if let Some(seconds) = body.timeout.filter(|s| *s > 0) {
        session.execute(&format!(
            "ALTER SESSION SET STATEMENT_TIMEOUT_IN_SECONDS = {seconds}"
        ))?;
    }
    Ok(())
}

/// A name as the body gives it: a plain identifier as written, anything else quoted.
fn identifier(name: &str) -> String {
    let plain = name
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '$');
    if plain || (name.starts_with('"') && name.ends_with('"') && name.len() > 1) {
        name.to_string()
    } else {
        format!("\"{}\"", name.replace('"', "\"\""))
    }
}

/// `GET /api/v2/statements/{handle}[?partition=n]`.
async fn status(
    State(state): State<Arc<AppState>>,
    Query(query): Query<HashMap<String, String>>,
    headers: HeaderMap,
    Path(handle): Path<String>,
) -> Response {
    let caller = match auth::caller(&state, &headers) {
        Ok(caller) => caller,
        Err(refused) => return refused.response(),
    };
    let partition = match query.get("partition").map(|p| p.parse::<usize>()) {
        None => None,
        Some(Ok(n)) => Some(n),
        Some(Err(_)) => return failure(StatusCode::BAD_REQUEST, "390400", "Invalid partition."),
    };
    respond(&state, &caller.account, &handle, partition)
}

/// A handle's status: its first page, a partition's data, 202 while running, 422 if failed.
fn respond(state: &AppState, account: &str, handle: &str, partition: Option<usize>) -> Response {
    let Some(record) = state.sql_api.get(account, handle) else {
        return not_found(handle);
    };
    match record.status {
        Status::Running(_) => in_progress(handle, &record.request_id),
        Status::Failed(err) => statement_failed(&err, handle, record.created_ms),
        Status::Succeeded { first, partitions } => match partition {
            None | Some(0) => Json(first).into_response(),
            Some(n) => match partitions.get(n) {
                Some(text) => {
                    let data: Value = serde_json::from_str(text).unwrap_or(Value::Null);
                    Json(json!({ "data": data })).into_response()
                }
                None => failure(
                    StatusCode::BAD_REQUEST,
                    "390400",
                    &format!("Partition {n} does not exist."),
                ),
            },
        },
    }
}

fn not_found(handle: &str) -> Response {
    failure(
        StatusCode::NOT_FOUND,
        "000709",
        &format!("Statement {handle} not found."),
    )
}

/// DuckDB forgets an interrupt that arrives before its query starts (the statement may still
/// be setting up), so the cancel repeats until the statement has stopped.
fn keep_interrupting(
    state: Arc<AppState>,
    account: String,
    handle: String,
    interrupt: Arc<engine::InterruptHandle>,
) {
    const EVERY: Duration = Duration::from_millis(10);
    const AT_MOST: Duration = Duration::from_secs(60);
    tokio::spawn(async move {
        let started = std::time::Instant::now();
        while started.elapsed() < AT_MOST {
            match state.sql_api.get(&account, &handle) {
                Some(Record {
                    status: Status::Running(_),
                    ..
                }) => interrupt.interrupt(),
                _ => break,
            }
            tokio::time::sleep(EVERY).await;
        }
    });
}

/// `POST /api/v2/statements/{handle}/cancel`: interrupts it if it still runs.
async fn cancel(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    Path(handle): Path<String>,
) -> Response {
    let caller = match auth::caller(&state, &headers) {
        Ok(caller) => caller,
        Err(refused) => return refused.response(),
    };
    let Some(record) = state.sql_api.get(&caller.account, &handle) else {
        return not_found(&handle);
    };
    if let Status::Running(interrupt) = record.status {
        keep_interrupting(state.clone(), caller.account, handle.clone(), interrupt);
    }
    Json(json!({
        "code": "000604",
        "sqlState": "57014",
        "message": "SQL execution canceled",
        "statementHandle": handle,
        "statementStatusUrl": result_set::status_url(&handle, &record.request_id),
    }))
    .into_response()
}
