//! `POST /queries/v1/query-request` and the endpoints that look a query up by id.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use engine::{BindRow, QueryResult, SessionState, SfError, SfResult, StatementKind};
use serde::Deserialize;
use serde_json::{json, Map, Value};

use super::binds;
use super::encode::{rowset, rowtype};
use super::envelope;
use super::parameters::with_overrides;
use super::query_log::QueryRecord;
use super::{authorized, now_ms};
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
}

pub async fn query(State(state): State<Arc<AppState>>, headers: HeaderMap, raw: Bytes) -> Response {
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
    let sql = request.sql_text.clone().unwrap_or_default();
    let start_ms = now_ms();
    let span = tracing::info_span!("query", account = %session.account, session_id = session.id, query_id = %query_id);
    let _entered = span.enter();
    let outcome = run_request(&session, &request, sql.clone()).await;
    let record = |data: Value, error: Option<&SfError>, rows: usize| QueryRecord {
        sql: sql.clone(),
        start_ms,
        end_ms: now_ms(),
        error: error.map(|e| (e.code.to_string(), e.message.clone())),
        rows,
        data,
    };
    match outcome {
        Ok(((result, bind_count), session_state)) => {
            let data = result_data(&result, &session_state, &query_id, bind_count);
            state
                .query_log
                .record(&query_id, record(data.clone(), None, result.rows.len()));
            envelope::ok(data)
        }
        Err(err) => {
            tracing::debug!(code = %err.code, message = %err.message, "statement failed");
            state
                .query_log
                .record(&query_id, record(Value::Null, Some(&err), 0));
            envelope::sql_error(&err, &query_id)
        }
    }
}

/// Runs (or, for `describeOnly`, describes) the request's statement; the result and the
/// number of bind variables to report.
async fn run_request(
    session: &Arc<SessionHandle>,
    request: &QueryRequest,
    sql: String,
) -> SfResult<((QueryResult, usize), SessionState)> {
    if request.async_exec {
        return Err(SfError::unsupported("asynchronous execution (asyncExec)"));
    }
    if request.describe_only {
        return session
            .run(move |s| {
                let description = s.describe(&sql)?;
                let result = QueryResult {
                    kind: description.kind,
                    columns: description.columns,
                    rows: Vec::new(),
                };
                Ok((result, description.bind_count))
            })
            .await;
    }
    let binds: Vec<BindRow> = match &request.bindings {
        Some(bindings) if !bindings.is_empty() => binds::decode(bindings)?,
        _ => Vec::new(),
    };
    let bind_count = binds.first().map_or(0, Vec::len);
    session
        .run(move |s| Ok((s.execute_bound(&sql, &binds)?, bind_count)))
        .await
}

/// The `data` of a successful query-request (protocol reference §3.3).
fn result_data(
    result: &QueryResult,
    state: &SessionState,
    query_id: &str,
    bind_count: usize,
) -> Value {
    json!({
        "parameters": with_overrides(&state.parameters),
        "rowtype": rowtype(&result.columns, state),
        "rowset": rowset(result),
        "total": result.rows.len(),
        "returned": result.rows.len(),
        "queryId": query_id,
        "statementTypeId": result.kind.type_id(),
        "version": 1,
        "sendResultTime": now_ms(),
        "numberOfBinds": bind_count,
        // Array binding runs any DML statement once per row; Snowflake offers it for INSERT.
        "arrayBindSupported": result.kind == StatementKind::Insert,
        "databaseProvider": null,
        "finalDatabaseName": state.database,
        "finalSchemaName": state.schema,
        "finalWarehouseName": state.warehouse,
        "finalRoleName": state.role,
        "queryResultFormat": "json",
    })
}

/// `GET /queries/{id}/result`: the stored result of a finished query.
pub async fn result_by_id(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    Path(query_id): Path<String>,
) -> Response {
    if let Err(failure) = authorized(&state, &headers) {
        return failure.into_response();
    }
    match state.query_log.get(&query_id) {
        Some(QueryRecord {
            error: None, data, ..
        }) => envelope::ok(data),
        Some(QueryRecord {
            error: Some((code, message)),
            ..
        }) => envelope::failure(&code, &message),
        None => envelope::failure("000709", &format!("Statement {query_id} not found")),
    }
}

/// `GET /monitoring/queries/{id}`: the status of a recent query.
pub async fn monitoring(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    Path(query_id): Path<String>,
) -> Response {
    if let Err(failure) = authorized(&state, &headers) {
        return failure.into_response();
    }
    let queries = match state.query_log.get(&query_id) {
        None => json!([]),
        Some(record) => {
            let (status, code, message) = match &record.error {
                None => ("SUCCESS", String::new(), String::new()),
                Some((code, message)) => ("FAILED_WITH_ERROR", code.clone(), message.clone()),
            };
            json!([{
                "id": query_id,
                "status": status,
                "sqlText": record.sql,
                "startTime": record.start_ms,
                "endTime": record.end_ms,
                "errorCode": code,
                "errorMessage": message,
                "stats": {"scanBytes": 0, "producedRows": record.rows},
            }])
        }
    };
    envelope::ok(json!({"queries": queries}))
}
