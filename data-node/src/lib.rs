//! The data node: serves the Snowflake wire protocol (`snowflake`) and Mockhaus' REST API
//! (`rest`) over the engine, one engine instance per account (`accounts`), one engine
//! session per client session (`sessions`).

pub mod accounts;
mod body;
pub mod control_plane;
pub mod rest;
pub mod sessions;
mod snowflake;
mod sql_api;

use std::future::Future;
use std::sync::Arc;

use axum::extract::DefaultBodyLimit;
use axum::Router;
use tokio::net::TcpListener;

use accounts::Accounts;
use sessions::Sessions;
use snowflake::chunks::ChunkStore;
use snowflake::query_log::QueryLog;

/// Rows per result chunk unless the server is configured otherwise.
pub const DEFAULT_CHUNK_ROWS: usize = 100_000;

/// Largest compressed request body accepted (the decompressed limit is in `body.rs`).
const MAX_REQUEST_BYTES: usize = 64 * 1024 * 1024;

/// Everything the handlers share.
pub struct AppState {
    pub accounts: Accounts,
    pub sessions: Sessions,
    pub(crate) query_log: QueryLog,
    pub(crate) chunks: ChunkStore,
    pub(crate) sql_api: sql_api::Statements,
    /// Rows per result chunk: a query's first this-many rows go inline, the rest in chunks.
    pub chunk_rows: usize,
    /// Service mode: where logins are checked and which tenants this node serves. `None` is
    /// memory mode, where any credentials open any account.
    pub control_plane: Option<Arc<control_plane::ControlPlaneLink>>,
}

impl Default for AppState {
    fn default() -> Self {
        Self {
            accounts: Accounts::default(),
            sessions: Sessions::default(),
            query_log: QueryLog::default(),
            chunks: ChunkStore::default(),
            sql_api: sql_api::Statements::default(),
            chunk_rows: DEFAULT_CHUNK_ROWS,
            control_plane: None,
        }
    }
}

impl AppState {
    /// A server whose session and master tokens live as long as `validity` says.
    pub fn with_token_validity(validity: sessions::TokenValidity) -> Self {
        Self {
            sessions: Sessions::with_validity(validity),
            ..Default::default()
        }
    }
}

/// Both APIs on one router.
pub fn router(state: Arc<AppState>) -> Router {
    Router::new()
        .merge(snowflake::routes())
        .merge(rest::routes())
        .merge(sql_api::routes())
        .fallback(not_found)
        .layer(DefaultBodyLimit::max(MAX_REQUEST_BYTES))
        .with_state(state)
}

async fn not_found(
    method: axum::http::Method,
    uri: axum::http::Uri,
) -> (axum::http::StatusCode, axum::Json<serde_json::Value>) {
    tracing::info!(%method, %uri, "unknown endpoint");
    let body = serde_json::json!({"data": null, "code": "390404", "message": "Unknown endpoint.", "success": false});
    (axum::http::StatusCode::NOT_FOUND, axum::Json(body))
}

/// Serves until `shutdown` resolves.
pub async fn serve(
    listener: TcpListener,
    state: Arc<AppState>,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    use tower::Layer;
    let app = tower::util::MapRequestLayer::new(collapse_slashes).layer(router(state));
    let service = axum::ServiceExt::<axum::extract::Request>::into_make_service(app);
    axum::serve(listener, service)
        .with_graceful_shutdown(shutdown)
        .await
}

/// Python connector 5.x asks for `/monitoring/queries//<id>`; Snowflake treats repeated
/// slashes as one, and so does Mockhaus, before routing.
fn collapse_slashes(mut request: axum::extract::Request) -> axum::extract::Request {
    let uri = request.uri();
    if !uri.path().contains("//") {
        return request;
    }
    let mut path = String::with_capacity(uri.path().len());
    for c in uri.path().chars() {
        if !(c == '/' && path.ends_with('/')) {
            path.push(c);
        }
    }
    let path_and_query = match uri.query() {
        Some(query) => format!("{path}?{query}"),
        None => path,
    };
    if let Ok(fixed) = path_and_query.parse() {
        *request.uri_mut() = fixed;
    }
    request
}
