//! Session lifecycle endpoints: delete (logout), heartbeat, token renewal, abort, telemetry.

use std::collections::HashMap;
use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde_json::json;

use super::query_log::Outcome;
use super::{authorized, bearer_token, envelope};
use crate::sessions::{RenewFailure, SessionHandle};
use crate::{body, AppState};

/// `POST /session?delete=true`: logs out; the session's resources are released.
pub async fn delete(
    State(state): State<Arc<AppState>>,
    Query(params): Query<HashMap<String, String>>,
    headers: HeaderMap,
) -> Response {
    if params.get("delete").map(String::as_str) != Some("true") {
        return envelope::failure("390400", "Unsupported session request.");
    }
    let Some(token) = bearer_token(&headers) else {
        return envelope::missing_token();
    };
    state.sessions.remove(&token);
    envelope::ok(serde_json::Value::Null)
}

pub async fn heartbeat(State(state): State<Arc<AppState>>, headers: HeaderMap) -> Response {
    match authorized(&state, &headers) {
        Ok(_) => envelope::ok(serde_json::Value::Null),
        Err(failure) => failure.into_response(),
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RenewRequest {
    old_session_token: Option<String>,
}

/// `POST /session/token-request`: a new session token, authorised by the master token.
pub async fn renew(State(state): State<Arc<AppState>>, headers: HeaderMap, raw: Bytes) -> Response {
    let Some(master) = bearer_token(&headers) else {
        return envelope::missing_token();
    };
    let request: RenewRequest = match body::decode(&headers, &raw) {
        Ok(request) => request,
        Err(e) => return envelope::failure("390400", &e.to_string()),
    };
    let old = request.old_session_token.unwrap_or_default();
    let validity = state.sessions.validity();
    match state.sessions.renew(&old, &master) {
        Ok((handle, token)) => envelope::ok(json!({
            "sessionToken": token,
            "validityInSecondsST": validity.session.as_secs(),
            "masterToken": handle.master_token,
            "validityInSecondsMT": validity.master.as_secs(),
            "masterValidityInSeconds": validity.master.as_secs(),
            "sessionId": handle.id,
        })),
        Err(RenewFailure::NotFound) => envelope::failure(
            "390113",
            "Master token not found or does not match the session.",
        ),
        Err(RenewFailure::MasterExpired) => envelope::failure(
            "390114",
            "Authentication token has expired.  The user must authenticate again.",
        ),
    }
}

/// `POST /queries/v1/abort-request`: cancels the session's running statement.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
struct AbortRequest {
    request_id: Option<String>,
}

/// `POST /queries/v1/abort-request`: cancels the query the body's `requestId` started (its
/// query-request carried the same `requestId`); without one, whatever the session runs now.
pub async fn abort(State(state): State<Arc<AppState>>, headers: HeaderMap, raw: Bytes) -> Response {
    let (session, _) = match authorized(&state, &headers) {
        Ok(found) => found,
        Err(failure) => return failure.into_response(),
    };
    let request: AbortRequest = body::decode(&headers, &raw).unwrap_or_default();
    let target = request
        .request_id
        .and_then(|id| state.query_log.find_by_request(&session.account, &id));
    match target {
        Some((query_id, record)) => {
            if matches!(record.outcome, Outcome::Running) && record.session_id == session.id {
                keep_cancelling(state.clone(), session, query_id);
            }
        }
        None => session.cancel(),
    }
    envelope::ok(serde_json::Value::Null)
}

/// `POST /queries/{id}/abort-request`: cancels that query if it still runs on the caller's
/// session; a query that has finished (or another session's) is left alone, so the abort can
/// never hit a later statement.
pub async fn abort_by_id(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    Path(query_id): Path<String>,
) -> Response {
    let (session, _) = match authorized(&state, &headers) {
        Ok(found) => found,
        Err(failure) => return failure.into_response(),
    };
    let record = state.query_log.get(&session.account, &query_id);
    if let Some(record) = record {
        if matches!(record.outcome, Outcome::Running) && record.session_id == session.id {
            keep_cancelling(state.clone(), session, query_id);
        }
    }
    envelope::ok(serde_json::Value::Null)
}

/// DuckDB forgets an interrupt that arrives before its query starts, and an asynchronous query
/// may still wait for its session: the cancel repeats until the query has stopped.
fn keep_cancelling(state: Arc<AppState>, session: Arc<SessionHandle>, query_id: String) {
    const EVERY: std::time::Duration = std::time::Duration::from_millis(10);
    const AT_MOST: std::time::Duration = std::time::Duration::from_secs(60);
    tokio::spawn(async move {
        let started = std::time::Instant::now();
        while started.elapsed() < AT_MOST {
            let still_running = state
                .query_log
                .get(&session.account, &query_id)
                .is_some_and(|r| matches!(r.outcome, Outcome::Running));
            if !still_running {
                break;
            }
            session.cancel_query(&query_id);
            tokio::time::sleep(EVERY).await;
        }
    });
}

pub async fn telemetry(State(state): State<Arc<AppState>>, headers: HeaderMap) -> Response {
    match authorized(&state, &headers) {
        Ok(_) => envelope::ok(json!("Log Received")),
        Err(failure) => failure.into_response(),
    }
}
