//! The REST admin API (JSON over HTTP), guarded by an admin bearer token. Every node serves it:
//! writes are forwarded to the leader, reads are linearizable.
//!
//! Routes, all under `/admin/v1`: `cluster`, `cluster/members[/{id}]`, `tenants[/{tenant}]`,
//! `tenants/{tenant}/users[/{user}[/password]]`, `tenants/{tenant}/tokens[/{id}]`,
//! `tenants/{tenant}/roles[/{role}/grants]`, `nodes`.

mod cluster;
pub(crate) mod grpc;
mod identities;
pub(crate) mod ops;

use crate::command::Refusal;
use crate::error::ControlError;
use crate::node::NodeInner;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{delete, get, post, put};
use axum::{Json, Router};
use cluster::{add_member, cluster_status, list_nodes, remove_member};
use identities::{
    create_role, create_tenant, create_token, create_user, delete_tenant, delete_user, grant_role,
    list_roles, list_tenants, list_tokens, list_users, revoke_token, set_password,
};
use serde_json::{json, Value};
use std::future::Future;
use std::sync::Arc;
use subtle::ConstantTimeEq;

#[derive(Clone)]
struct Admin {
    node: Arc<NodeInner>,
}

pub(crate) fn router(node: Arc<NodeInner>) -> Router {
    let admin = Admin { node };
    Router::new()
        .route("/admin/v1/cluster", get(cluster_status))
        .route("/admin/v1/cluster/members", post(add_member))
        .route("/admin/v1/cluster/members/{id}", delete(remove_member))
        .route("/admin/v1/tenants", get(list_tenants).post(create_tenant))
        .route("/admin/v1/tenants/{tenant}", delete(delete_tenant))
        .route(
            "/admin/v1/tenants/{tenant}/users",
            get(list_users).post(create_user),
        )
        .route(
            "/admin/v1/tenants/{tenant}/users/{user}",
            delete(delete_user),
        )
        .route(
            "/admin/v1/tenants/{tenant}/users/{user}/password",
            put(set_password),
        )
        .route(
            "/admin/v1/tenants/{tenant}/tokens",
            get(list_tokens).post(create_token),
        )
        .route(
            "/admin/v1/tenants/{tenant}/tokens/{id}",
            delete(revoke_token),
        )
        .route(
            "/admin/v1/tenants/{tenant}/roles",
            get(list_roles).post(create_role),
        )
        .route(
            "/admin/v1/tenants/{tenant}/roles/{role}/grants",
            post(grant_role),
        )
        .route("/admin/v1/nodes", get(list_nodes))
        .with_state(admin)
}

/// An admin API failure: an HTTP status and a JSON body `{"error": {"code", "message"}}`.
pub struct AdminError {
    status: StatusCode,
    code: &'static str,
    message: String,
    leader: Option<String>,
}

impl AdminError {
    fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> Self {
        Self {
            status,
            code,
            message: message.into(),
            leader: None,
        }
    }
}

impl From<ControlError> for AdminError {
    fn from(error: ControlError) -> Self {
        let message = error.to_string();
        match error {
            ControlError::Refused(refusal) => refusal.into(),
            ControlError::BadRequest(_) => {
                Self::new(StatusCode::BAD_REQUEST, "bad_request", message)
            }
            ControlError::NotLeader { address, .. } => Self {
                leader: Some(address),
                ..Self::new(StatusCode::MISDIRECTED_REQUEST, "not_leader", message)
            },
            ControlError::NoLeader | ControlError::Unreachable(_) | ControlError::ShuttingDown => {
                Self::new(StatusCode::SERVICE_UNAVAILABLE, "unavailable", message)
            }
            ControlError::NotInitialized => {
                Self::new(StatusCode::CONFLICT, "not_initialized", message)
            }
            ControlError::Storage(_) | ControlError::Raft(_) => {
                Self::new(StatusCode::INTERNAL_SERVER_ERROR, "internal", message)
            }
        }
    }
}

impl From<Refusal> for AdminError {
    fn from(refusal: Refusal) -> Self {
        let message = refusal.to_string();
        match refusal {
            Refusal::TenantExists(_) | Refusal::UserExists(_) | Refusal::RoleExists(_) => {
                Self::new(StatusCode::CONFLICT, "already_exists", message)
            }
            Refusal::NoSuchTenant(_)
            | Refusal::NoSuchUser(_)
            | Refusal::NoSuchToken(_)
            | Refusal::NoSuchRole(_) => Self::new(StatusCode::NOT_FOUND, "not_found", message),
        }
    }
}

impl IntoResponse for AdminError {
    fn into_response(self) -> Response {
        let mut body = json!({"error": {"code": self.code, "message": self.message}});
        if let Some(leader) = self.leader {
            body["error"]["leader"] = Value::String(leader);
        }
        (self.status, Json(body)).into_response()
    }
}

type AdminResult<T> = Result<T, AdminError>;

/// Whether `presented` is this node's admin token (compared in constant time). A node without
/// one accepts nothing.
pub(crate) fn token_matches(node: &NodeInner, presented: &str) -> bool {
    node.admin_token
        .as_deref()
        .is_some_and(|token| bool::from(presented.as_bytes().ct_eq(token.as_bytes())))
}

fn authorize(admin: &Admin, headers: &HeaderMap) -> AdminResult<()> {
    let presented = headers
        .get(axum::http::header::AUTHORIZATION)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.strip_prefix("Bearer "))
        .unwrap_or_default();
    if token_matches(&admin.node, presented) {
        Ok(())
    } else {
        Err(AdminError::new(
            StatusCode::UNAUTHORIZED,
            "unauthorized",
            "a valid admin token is required (Authorization: Bearer <token>)",
        ))
    }
}

/// Serves the admin API on `listener` until `shutdown` resolves.
pub async fn serve(
    listener: tokio::net::TcpListener,
    router: Router,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    axum::serve(listener, router)
        .with_graceful_shutdown(shutdown)
        .await
}
