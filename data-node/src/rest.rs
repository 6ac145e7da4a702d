//! Mockhaus' own REST API: `/health`, sessions, and `POST /api/v1/query` answering column
//! names with Snowflake types and rows as plain JSON values.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{delete, get, post};
use axum::{Json, Router};
use engine::{QueryResult, SfError};
use serde::Deserialize;
use serde_json::{json, Value};

use crate::control_plane::{ControlPlaneLink, LoginVerdict};
use crate::{body, AppState};

/// The account REST calls use when they name none.
pub const DEFAULT_ACCOUNT: &str = "MOCKHAUS";

pub fn routes() -> Router<Arc<AppState>> {
    Router::new()
        .route("/health", get(health))
        .route("/api/v1/sessions", post(create_session))
        .route("/api/v1/sessions/{session_id}", delete(delete_session))
        .route("/api/v1/query", post(query))
}

async fn health(State(state): State<Arc<AppState>>) -> Json<Value> {
    Json(json!({
        "status": "ok",
        "version": env!("CARGO_PKG_VERSION"),
        "accounts": state.accounts.count(),
        "sessions": state.sessions.count(),
    }))
}

#[derive(Debug, Default, Deserialize)]
struct SessionRequest {
    account: Option<String>,
    user: Option<String>,
    /// Checked by the control plane in service mode (a programmatic access token also works).
    password: Option<String>,
    database: Option<String>,
    schema: Option<String>,
}

async fn create_session(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    raw: Bytes,
) -> Response {
    let request: SessionRequest = match body::decode(&headers, &raw) {
        Ok(request) => request,
        Err(e) => return bad_request(&e.to_string()),
    };
    match open_session(&state, &request).await {
        Ok((session_id, account)) => {
            Json(json!({"session_id": session_id, "account": account})).into_response()
        }
        Err(e) => sql_failure(&e),
    }
}

async fn open_session(
    state: &AppState,
    request: &SessionRequest,
) -> Result<(String, String), SfError> {
    let account = request.account.as_deref().unwrap_or(DEFAULT_ACCOUNT);
    if let Some(link) = &state.control_plane {
        check_password(link, account, request).await?;
    }
    let instance = state.accounts.get_or_create(account)?;
    let session = instance.session(request.user.as_deref().unwrap_or("MOCKHAUS"))?;
    let (handle, token) = state
        .sessions
        .register(instance.account(), session, Default::default());
    let (db, schema) = (request.database.clone(), request.schema.clone());
    let context = handle.clone();
    tokio::task::spawn_blocking(move || {
        context.apply_login_context(db.as_deref(), schema.as_deref(), None, None)
    })
    .await
    .map_err(SfError::internal)?;
    Ok((token, instance.account().to_string()))
}

/// Service mode: a REST session needs the same credentials as a driver login.
async fn check_password(
    link: &ControlPlaneLink,
    account: &str,
    request: &SessionRequest,
) -> Result<(), SfError> {
    let refused = |message: &str| SfError::new("390100", "28000", message);
    let (Some(user), Some(password)) = (request.user.as_deref(), request.password.as_deref())
    else {
        return Err(refused(
            "Incorrect username or password was specified. (This server checks credentials: send user and password.)",
        ));
    };
    match link.authenticate_password(account, user, password).await {
        LoginVerdict::Accepted { .. } => Ok(()),
        LoginVerdict::ServedElsewhere(Some(address)) => Err(refused(&format!(
            "Account '{}' is served by another data node: connect to {address}.",
            account.to_uppercase()
        ))),
        LoginVerdict::Unavailable(_) | LoginVerdict::ServedElsewhere(None) => Err(refused(
            "Login failed: the account is not available at the moment; retry shortly.",
        )),
        LoginVerdict::BadCredentials | LoginVerdict::UnknownTenant => {
            Err(refused("Incorrect username or password was specified."))
        }
    }
}

async fn delete_session(
    State(state): State<Arc<AppState>>,
    Path(session_id): Path<String>,
) -> Response {
    if state.sessions.remove(&session_id) {
        Json(json!({"success": true})).into_response()
    } else {
        not_found("unknown session")
    }
}

#[derive(Debug, Default, Deserialize)]
struct QueryRequest {
    sql: Option<String>,
    session_id: Option<String>,
    account: Option<String>,
}

async fn query(State(state): State<Arc<AppState>>, headers: HeaderMap, raw: Bytes) -> Response {
    let request: QueryRequest = match body::decode(&headers, &raw) {
        Ok(request) => request,
        Err(e) => return bad_request(&e.to_string()),
    };
    let Some(sql) = request.sql else {
        return bad_request("the request needs a `sql` field");
    };
    let (handle, ephemeral_token) = match request.session_id {
        Some(id) => match state.sessions.get(&id) {
            Some(handle) => (handle, None),
            None => return not_found("unknown session"),
        },
        None => {
            let opened = open_session(
                &state,
                &SessionRequest {
                    account: request.account,
                    ..Default::default()
                },
            )
            .await;
            match opened {
                Ok((token, _)) => match state.sessions.get(&token) {
                    Some(handle) => (handle, Some(token)),
                    None => return sql_failure(&SfError::internal("session vanished")),
                },
                Err(e) => return sql_failure(&e),
            }
        }
    };
    let outcome = handle.execute(sql).await;
    if let Some(token) = ephemeral_token {
        state.sessions.remove(&token);
    }
    match outcome {
        Ok((result, _)) => Json(result_json(&result)).into_response(),
        Err(e) => sql_failure(&e),
    }
}

fn result_json(result: &QueryResult) -> Value {
    let columns: Vec<Value> = result
        .columns
        .iter()
        .map(|c| json!({"name": c.name, "type": c.sf_type.to_string(), "nullable": c.nullable}))
        .collect();
    let rows: Vec<Value> = result
        .rows
        .iter()
        .map(|row| row.iter().map(engine::format::to_json).collect())
        .collect();
    json!({
        "success": true,
        "statement_type": format!("{:?}", result.kind).to_uppercase(),
        "columns": columns,
        "rows": rows,
        "row_count": result.rows.len(),
    })
}

fn sql_failure(e: &SfError) -> Response {
    Json(json!({"success": false, "error": {"code": e.code, "sql_state": e.sql_state, "message": e.message}}))
        .into_response()
}

fn bad_request(message: &str) -> Response {
    (
        StatusCode::BAD_REQUEST,
        Json(json!({"success": false, "error": {"message": message}})),
    )
        .into_response()
}

fn not_found(message: &str) -> Response {
    (
        StatusCode::NOT_FOUND,
        Json(json!({"success": false, "error": {"message": message}})),
    )
        .into_response()
}
