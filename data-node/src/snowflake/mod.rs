//! The Snowflake wire protocol the official drivers speak (see the protocol reference §8):
//! login, query-request with JSON rowsets, session delete/heartbeat/renew, abort,
//! monitoring, result re-fetch and telemetry.

mod encode;
mod envelope;
mod login;
mod parameters;
mod query;
pub(crate) mod query_log;
mod session_ops;

use std::sync::Arc;

use axum::http::HeaderMap;
use axum::routing::{get, post};
use axum::Router;

use crate::sessions::SessionHandle;
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
        .route("/queries/{query_id}/result", get(query::result_by_id))
        .route("/monitoring/queries/{query_id}", get(query::monitoring))
        .route("/telemetry/send", post(session_ops::telemetry))
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
    MissingToken,
    UnknownToken,
}

impl axum::response::IntoResponse for AuthFailure {
    fn into_response(self) -> axum::response::Response {
        match self {
            AuthFailure::MissingToken => envelope::missing_token(),
            AuthFailure::UnknownToken => envelope::invalid_token(),
        }
    }
}

/// The session a request's token belongs to.
pub(crate) fn authorized(
    state: &AppState,
    headers: &HeaderMap,
) -> Result<(Arc<SessionHandle>, String), AuthFailure> {
    let token = bearer_token(headers).ok_or(AuthFailure::MissingToken)?;
    let session = state
        .sessions
        .get(&token)
        .ok_or(AuthFailure::UnknownToken)?;
    Ok((session, token))
}

pub(crate) fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or_default()
}
