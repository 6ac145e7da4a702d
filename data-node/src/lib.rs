//! The data node: serves the Snowflake wire protocol (`snowflake`) and Mockhaus' REST API
//! (`rest`) over the engine, one engine instance per account (`accounts`), one engine
//! session per client session (`sessions`).

pub mod accounts;
mod body;
pub mod rest;
pub mod sessions;
mod snowflake;

use std::future::Future;
use std::sync::Arc;

use axum::extract::DefaultBodyLimit;
use axum::Router;
use tokio::net::TcpListener;

use accounts::Accounts;
use sessions::Sessions;
use snowflake::query_log::QueryLog;

/// Largest compressed request body accepted (the decompressed limit is in `body.rs`).
const MAX_REQUEST_BYTES: usize = 64 * 1024 * 1024;

/// Everything the handlers share.
#[derive(Default)]
pub struct AppState {
    pub accounts: Accounts,
    pub sessions: Sessions,
    pub(crate) query_log: QueryLog,
}

/// Both APIs on one router.
pub fn router(state: Arc<AppState>) -> Router {
    Router::new()
        .merge(snowflake::routes())
        .merge(rest::routes())
        .fallback(not_found)
        .layer(DefaultBodyLimit::max(MAX_REQUEST_BYTES))
        .with_state(state)
}

async fn not_found() -> (axum::http::StatusCode, axum::Json<serde_json::Value>) {
    let body = serde_json::json!({"data": null, "code": "390404", "message": "Unknown endpoint.", "success": false});
    (axum::http::StatusCode::NOT_FOUND, axum::Json(body))
}

/// Serves until `shutdown` resolves.
pub async fn serve(
    listener: TcpListener,
    state: Arc<AppState>,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    axum::serve(listener, router(state))
        .with_graceful_shutdown(shutdown)
        .await
}
