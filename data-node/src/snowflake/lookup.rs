//! The endpoints that look a query up by id: `/queries/{id}/result` and
//! `/monitoring/queries/{id}`. A session only finds its own account's queries.

use std::sync::Arc;

use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use serde_json::json;

use super::authorized;
use super::envelope;
use super::query_log::{Outcome, QueryRecord};
use crate::AppState;

/// `GET /queries/{id}/result`: the result of a finished query; while it runs, Snowflake's
/// "still running" answer (333333), which drivers poll.
pub async fn result_by_id(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    Path(query_id): Path<String>,
) -> Response {
    let (session, _) = match authorized(&state, &headers) {
        Ok(found) => found,
        Err(failure) => return failure.into_response(),
    };
    match state.query_log.get(&session.account, &query_id) {
        Some(QueryRecord { outcome, .. }) => match outcome {
            Outcome::Succeeded { data, .. } => envelope::ok_text(&data),
            Outcome::Failed(err) => envelope::sql_error(&err, &query_id),
            Outcome::Running => envelope::still_running(&query_id),
        },
        None => envelope::failure("000709", &format!("Statement {query_id} not found")),
    }
}

/// `GET /monitoring/queries/{id}`: the status of a recent query. An unknown id is an empty
/// list, which drivers read as NO_DATA.
pub async fn monitoring(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    Path(query_id): Path<String>,
) -> Response {
    let (session, _) = match authorized(&state, &headers) {
        Ok(found) => found,
        Err(failure) => return failure.into_response(),
    };
    let queries = match state.query_log.get(&session.account, &query_id) {
        None => json!([]),
        Some(record) => {
            let (status, code, message, rows) = match &record.outcome {
                Outcome::Running => ("RUNNING", String::new(), String::new(), 0),
                Outcome::Succeeded { rows, .. } => ("SUCCESS", String::new(), String::new(), *rows),
                Outcome::Failed(err) => {
                    let status = if err.code == "000604" {
                        "ABORTED"
                    } else {
                        "FAILED_WITH_ERROR"
                    };
                    (status, err.code.to_string(), err.message.clone(), 0)
                }
            };
            json!([{
                "id": query_id,
                "status": status,
                "sqlText": record.sql,
                "startTime": record.start_ms,
                "endTime": record.end_ms,
                "errorCode": code,
                "errorMessage": message,
                "stats": {"scanBytes": 0, "producedRows": rows},
            }])
        }
    };
    envelope::ok(json!({"queries": queries}))
}
