//! `POST /queries/v1/query-request`: one statement, a multi-statement request, a
//! `describeOnly` request, or an asynchronous one (`asyncExec`), with bind values.

use std::collections::HashMap;
use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use engine::{BindRow, QueryResult, SfError, SfResult, Streaming};
use serde::Deserialize;
use serde_json::{Map, Value};

use super::binds;
use super::chunks::Spool;
use super::envelope;
use super::job::{Answer, Job, Single, FORMAT_PARAMETER};
use super::query_log::Outcome;
use super::{authorized, now_ms, result_scan};
use crate::sessions::SessionHandle;
use crate::{body, AppState};

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct QueryRequest {
    sql_text: Option<String>,
    #[serde(default)]
    async_exec: bool,
    #[serde(default)]
    describe_only: bool,
    #[serde(default)]
    bindings: Option<Map<String, Value>>,
    /// Per-request parameters, e.g. MULTI_STATEMENT_COUNT.
    #[serde(default)]
    parameters: Map<String, Value>,
}

pub async fn query(
    State(state): State<Arc<AppState>>,
    Query(url_params): Query<HashMap<String, String>>,
    headers: HeaderMap,
    raw: Bytes,
) -> Response {
    let (session, _) = match authorized(&state, &headers) {
        Ok(found) => found,
        Err(failure) => return failure.into_response(),
    };
    let query_id = uuid::Uuid::new_v4().to_string();
    let request: QueryRequest = match body::decode(&headers, &raw) {
        Ok(request) => request,
        Err(e) => {
            return envelope::sql_error(&SfError::new("000900", "42000", e.to_string()), &query_id)
        }
    };
    let job = Job {
        app: state.clone(),
        account: session.account.clone(),
        session_id: session.id,
        request_id: url_params.get("requestId").cloned(),
        query_id,
        sql: request.sql_text.clone().unwrap_or_default(),
        start_ms: now_ms(),
        client: session.client.clone(),
        base_url: format!(
            "http://{}",
            headers
                .get(axum::http::header::HOST)
                .and_then(|h| h.to_str().ok())
                .unwrap_or("127.0.0.1")
        ),
        requested_format: request
            .parameters
            .get(FORMAT_PARAMETER)
            .and_then(Value::as_str)
            .map(str::to_string),
    };
    let span = tracing::info_span!("query", account = %job.account, session_id = session.id, query_id = %job.query_id);
    let _entered = span.enter();
    if let Some(target) = result_scan::target(&job.sql) {
        let earlier = target.resolve(&session);
        let response =
            result_scan::respond(&state, &job.account, earlier.as_deref(), &job.query_id);
        session.record_rescan(&job.query_id, earlier.as_deref());
        return response;
    }
    // Running from here on: monitoring says so, and an abort-request can find it.
    job.record(Outcome::Running);
    if request.async_exec {
        let running = job.clone();
        tokio::spawn(async move {
            let answer = execute(&session, &request, &running).await;
            let _ = running.finish(answer);
        });
        return envelope::async_started(&job.query_id);
    }
    let answer = execute(&session, &request, &job).await;
    match job.finish(answer) {
        Ok(data) => envelope::ok_text(&data),
        Err(err) => envelope::sql_error(&err, &job.query_id),
    }
}

/// Runs (or, for `describeOnly`, describes) the request's statement or statements.
async fn execute(
    session: &Arc<SessionHandle>,
    request: &QueryRequest,
    job: &Job,
) -> SfResult<Answer> {
    let sql = job.sql.clone();
    if request.describe_only {
        let (description, state) = session.run(move |s| s.describe(&sql)).await?;
        return Ok(Answer::Single(Box::new(Single {
            result: QueryResult {
                kind: description.kind,
                columns: description.columns,
                rows: Vec::new(),
            },
            bind_count: description.bind_count,
            state,
            chunks: Vec::new(),
            inline_arrow: None,
        })));
    }
    let binds: Vec<BindRow> = match &request.bindings {
        Some(bindings) if !bindings.is_empty() => binds::decode(bindings)?,
        _ => Vec::new(),
    };
    let bind_count = binds.first().map_or(0, Vec::len);
    let requested = requested_statement_count(&request.parameters);
    let job = job.clone();
    let query_id = job.query_id.clone();
    let (answer, _) = session
        .run_query(&query_id, move |s| {
            if let Some(transfer) = s.file_transfer(&sql, &binds) {
                return Ok(Answer::Transfer(Box::new((transfer?, s.state().clone()))));
            }
            let expected = requested
                .or_else(|| statement_count(s.state().parameters.get("MULTI_STATEMENT_COUNT")?))
                .unwrap_or(1);
            if expected == 1 {
                let spool_dir = job.app.chunks.spool_dir(&job.query_id);
                let arrow = job.wants_arrow(s.state());
                let memory = job.app.chunks.memory();
                let mut spool = Spool::new(spool_dir, memory, arrow, job.app.chunk_rows);
                let streaming = Streaming {
                    batch_rows: job.app.chunk_rows,
                    sink: &mut spool,
                };
                let result = s
                    .execute_streaming(&sql, &binds, streaming)
                    .and_then(|result| spool.finish().map(|()| result))
                    .inspect_err(|_| spool.discard())?;
                return Ok(Answer::Single(Box::new(Single {
                    result,
                    bind_count,
                    state: s.state().clone(),
                    chunks: spool.chunks,
                    inline_arrow: spool.inline,
                })));
            }
            if !binds.is_empty() {
                return Err(SfError::unsupported(
                    "bind variables in a multi-statement request",
                ));
            }
            Ok(Answer::Multi(s.execute_multi(&sql, expected)?))
        })
        .await?;
    Ok(answer)
}

/// MULTI_STATEMENT_COUNT of the request; without it the session's (ALTER SESSION), else 1.
fn requested_statement_count(parameters: &Map<String, Value>) -> Option<usize> {
    statement_count(parameters.get("MULTI_STATEMENT_COUNT")?)
}

fn statement_count(value: &Value) -> Option<usize> {
    value
        .as_u64()
        .or_else(|| value.as_str()?.trim().parse().ok())
        .map(|n| n as usize)
}
