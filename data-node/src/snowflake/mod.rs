//! The Snowflake wire protocol the official drivers speak (see the protocol reference §8):
//! login, query-request with JSON rowsets, session delete/heartbeat/renew, abort,
//! monitoring, result re-fetch and telemetry.

mod arrow;
pub(crate) mod binds;
pub(crate) mod chunks;
mod columnar;
pub(crate) mod encode;
mod envelope;
mod job;
mod login;
mod lookup;
mod parameters;
mod query;
pub(crate) mod query_log;
mod result_scan;
mod session_ops;
mod transfer;

use std::sync::Arc;

use axum::http::HeaderMap;
use axum::routing::{get, post};
use axum::Router;

use crate::sessions::{SessionHandle, TokenLookup};
use crate::AppState;

pub fn routes() -> Router<Arc<AppState>> {
    Router::new()
        .route("/session/v1/login-request", post(login::login))
        .route("/session", post(session_ops::delete))
        .route("/session/heartbeat", post(session_ops::heartbeat))
        .route("/session/token-request", post(session_ops::renew))
        .route("/queries/v1/query-request", post(query::query))
        .route("/queries/v1/abort-request", post(session_ops::abort))
        .route(
            "/queries/{query_id}/abort-request",
            post(session_ops::abort_by_id),
        )
        .route("/queries/{query_id}/result", get(lookup::result_by_id))
        .route("/monitoring/queries/{query_id}", get(lookup::monitoring))
        .route("/telemetry/send", post(session_ops::telemetry))
        .route("/mockhaus/chunks/{query_id}/{index}", get(chunks::fetch))
}

/// The token of `Authorization: Snowflake Token="<token>"`.
pub(crate) fn bearer_token(headers: &HeaderMap) -> Option<String> {
    let value = headers
        .get(axum::http::header::AUTHORIZATION)?
        .to_str()
        .ok()?;
    let token = value
        .trim()
        .strip_prefix("Snowflake Token=\"")?
        .strip_suffix('"')?;
    Some(token.to_string())
}

/// Why a request has no session: the driver expects a 401 with 390101 or 390104.
pub(crate) enum AuthFailure {
    Missing,
    Unknown,
    Expired,
    /// Service mode: the session's account is no longer assigned to this node.
    Moved,
}

impl axum::response::IntoResponse for AuthFailure {
    fn into_response(self) -> axum::response::Response {
        match self {
            AuthFailure::Missing => envelope::missing_token(),
            AuthFailure::Unknown => envelope::invalid_token(),
            // HTTP 200 with 390112: every driver then renews with its master token and retries.
            AuthFailure::Expired => {
                envelope::failure("390112", "Your session has expired. Please login again.")
            }
            AuthFailure::Moved => envelope::failure(
                "390111",
                "This session's account moved to another data node. Please login again.",
            ),
        }
    }
}

/// The session a request's token belongs to.
pub(crate) fn authorized(
    state: &AppState,
    headers: &HeaderMap,
) -> Result<(Arc<SessionHandle>, String), AuthFailure> {
    let token = bearer_token(headers).ok_or(AuthFailure::Missing)?;
    match state.sessions.lookup(&token) {
        TokenLookup::Valid(session) => {
            let moved = state
                .control_plane
                .as_ref()
                .is_some_and(|link| !link.serves(&session.account));
            if moved {
                return Err(AuthFailure::Moved);
            }
            Ok((session, token))
        }
        TokenLookup::Expired => Err(AuthFailure::Expired),
        TokenLookup::Unknown => Err(AuthFailure::Unknown),
    }
}

pub(crate) fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or_default()
}
