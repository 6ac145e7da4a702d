//! The REST admin API (JSON over HTTP), guarded by an admin bearer token. Every node serves it:
//! writes are forwarded to the leader, reads are linearizable.
//!
//! Routes, all under `/admin/v1`: `cluster`, `cluster/members[/{id}]`, `tenants[/{tenant}]`,
//! `tenants/{tenant}/users[/{user}[/password]]`, `tenants/{tenant}/tokens[/{id}]`,
//! `tenants/{tenant}/roles[/{role}/grants]`, `nodes`.

use crate::command::{Command, Outcome, Refusal};
use crate::credentials::{hash_password, issue_token};
use crate::error::ControlError;
use crate::model::{EpochMillis, RoleName, TenantName, TokenId, UserName};
use crate::node::{while_electing, Committed, NodeInner};
use crate::state::TenantState;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{delete, get, post, put};
use axum::{Json, Router};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use std::future::Future;
use std::sync::Arc;
use subtle::ConstantTimeEq;

const DEFAULT_TOKEN_DAYS: u64 = 90;
const DAY_MS: u64 = 24 * 60 * 60 * 1000;

#[derive(Clone)]
struct Admin {
    node: Arc<NodeInner>,
    token: Arc<str>,
}

pub(crate) fn router(node: Arc<NodeInner>, admin_token: String) -> Router {
    let admin = Admin {
        node,
        token: admin_token.into(),
    };
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

fn authorize(admin: &Admin, headers: &HeaderMap) -> AdminResult<()> {
    let presented = headers
        .get(axum::http::header::AUTHORIZATION)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.strip_prefix("Bearer "))
        .unwrap_or_default();
    let same: bool = presented.as_bytes().ct_eq(admin.token.as_bytes()).into();
    if same {
        Ok(())
    } else {
        Err(AdminError::new(
            StatusCode::UNAUTHORIZED,
            "unauthorized",
            "a valid admin token is required (Authorization: Bearer <token>)",
        ))
    }
}

async fn propose(admin: &Admin, command: Command) -> AdminResult<Outcome> {
    let Committed { outcome, .. } = while_electing(|| admin.node.propose(command.clone())).await?;
    match outcome {
        Outcome::Refused(refusal) => Err(refusal.into()),
        outcome => Ok(outcome),
    }
}

async fn read<T: Send + 'static>(
    admin: &Admin,
    reader: impl Fn(&crate::state::ControlState) -> T + Clone,
) -> AdminResult<T> {
    Ok(while_electing(|| admin.node.read(reader.clone())).await?)
}

/// Reads one tenant's state (linearizable); 404 when the tenant does not exist.
async fn read_tenant<T: Send + 'static>(
    admin: &Admin,
    tenant: &str,
    reader: impl Fn(&TenantState) -> T + Clone + Send,
) -> AdminResult<T> {
    let name = TenantName::new(tenant);
    let key = name.clone();
    let found = read(admin, move |state| state.tenant(&key).map(reader.clone())).await?;
    found.ok_or_else(|| Refusal::NoSuchTenant(name.to_string()).into())
}

async fn cluster_status(
    State(admin): State<Admin>,
    headers: HeaderMap,
) -> AdminResult<impl IntoResponse> {
    authorize(&admin, &headers)?;
    Ok(Json(admin.node.status()))
}

#[derive(Deserialize)]
struct NewMember {
    id: u64,
    address: String,
}

async fn add_member(
    State(admin): State<Admin>,
    headers: HeaderMap,
    Json(member): Json<NewMember>,
) -> AdminResult<impl IntoResponse> {
    authorize(&admin, &headers)?;
    admin.node.add_member(member.id, member.address).await?;
    Ok(Json(admin.node.status()))
}

async fn remove_member(
    State(admin): State<Admin>,
    headers: HeaderMap,
    Path(id): Path<u64>,
) -> AdminResult<impl IntoResponse> {
    authorize(&admin, &headers)?;
    admin.node.remove_member(id).await?;
    Ok(Json(admin.node.status()))
}

#[derive(Deserialize)]
struct NewTenant {
    name: String,
    comment: Option<String>,
}

async fn list_tenants(
    State(admin): State<Admin>,
    headers: HeaderMap,
) -> AdminResult<impl IntoResponse> {
    authorize(&admin, &headers)?;
    let tenants = read(&admin, |state| {
        state
            .tenants
            .values()
            .filter_map(|tenant| {
                let record = tenant.tenant.clone()?;
                Some(json!({
                    "name": record.name,
                    "comment": record.comment,
                    "created_at": record.created_at,
                    "users": tenant.users.len(),
                    "node": tenant.assignment.as_ref().map(|a| a.node.0.clone()),
                    "generation": tenant.assignment.as_ref().map(|a| a.generation.0),
                }))
            })
            .collect::<Vec<_>>()
    })
    .await?;
    Ok(Json(tenants))
}

async fn create_tenant(
    State(admin): State<Admin>,
    headers: HeaderMap,
    Json(tenant): Json<NewTenant>,
) -> AdminResult<impl IntoResponse> {
    authorize(&admin, &headers)?;
    let name = valid_name(&tenant.name, "tenant")?;
    let outcome = propose(
        &admin,
        Command::CreateTenant {
            name: TenantName::new(&name),
            comment: tenant.comment,
            at: EpochMillis::now(),
        },
    )
    .await?;
    Ok((StatusCode::CREATED, Json(outcome_body(outcome))))
}

async fn delete_tenant(
    State(admin): State<Admin>,
    headers: HeaderMap,
    Path(tenant): Path<String>,
) -> AdminResult<impl IntoResponse> {
    authorize(&admin, &headers)?;
    propose(
        &admin,
        Command::DeleteTenant {
            name: TenantName::new(&tenant),
        },
    )
    .await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize)]
struct NewUser {
    name: String,
    password: Option<String>,
    default_role: Option<String>,
}

#[derive(Serialize)]
struct UserView {
    name: UserName,
    default_role: RoleName,
    has_password: bool,
    created_at: EpochMillis,
}

async fn list_users(
    State(admin): State<Admin>,
    headers: HeaderMap,
    Path(tenant): Path<String>,
) -> AdminResult<impl IntoResponse> {
    authorize(&admin, &headers)?;
    let users = read_tenant(&admin, &tenant, |t| {
        t.users
            .values()
            .map(|user| UserView {
                name: user.name.clone(),
                default_role: user.default_role.clone(),
                has_password: user.password_hash.is_some(),
                created_at: user.created_at,
            })
            .collect::<Vec<_>>()
    })
    .await?;
    Ok(Json(users))
}

async fn create_user(
    State(admin): State<Admin>,
    headers: HeaderMap,
    Path(tenant): Path<String>,
    Json(user): Json<NewUser>,
) -> AdminResult<impl IntoResponse> {
    authorize(&admin, &headers)?;
    let name = valid_name(&user.name, "user")?;
    let password_hash = match user.password {
        Some(password) => Some(hash_off_thread(password).await?),
        None => None,
    };
    propose(
        &admin,
        Command::CreateUser {
            tenant: TenantName::new(&tenant),
            user: UserName::new(&name),
            password_hash,
            default_role: user.default_role.as_deref().map(RoleName::new),
            at: EpochMillis::now(),
        },
    )
    .await?;
    Ok((
        StatusCode::CREATED,
        Json(json!({"name": UserName::new(&name)})),
    ))
}

async fn delete_user(
    State(admin): State<Admin>,
    headers: HeaderMap,
    Path((tenant, user)): Path<(String, String)>,
) -> AdminResult<impl IntoResponse> {
    authorize(&admin, &headers)?;
    let command = Command::DeleteUser {
        tenant: TenantName::new(&tenant),
        user: UserName::new(&user),
    };
    propose(&admin, command).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize)]
struct NewPassword {
    password: String,
}

async fn set_password(
    State(admin): State<Admin>,
    headers: HeaderMap,
    Path((tenant, user)): Path<(String, String)>,
    Json(body): Json<NewPassword>,
) -> AdminResult<impl IntoResponse> {
    authorize(&admin, &headers)?;
    let password_hash = hash_off_thread(body.password).await?;
    let command = Command::SetPassword {
        tenant: TenantName::new(&tenant),
        user: UserName::new(&user),
        password_hash,
    };
    propose(&admin, command).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize)]
struct NewToken {
    user: String,
    name: Option<String>,
    valid_for_days: Option<u64>,
}

async fn list_tokens(
    State(admin): State<Admin>,
    headers: HeaderMap,
    Path(tenant): Path<String>,
) -> AdminResult<impl IntoResponse> {
    authorize(&admin, &headers)?;
    let tokens = read_tenant(&admin, &tenant, |t| {
        t.tokens
            .values()
            .map(|token| {
                json!({
                    "id": token.id,
                    "name": token.name,
                    "user": token.user,
                    "created_at": token.created_at,
                    "expires_at": token.expires_at,
                    "revoked": token.revoked,
                })
            })
            .collect::<Vec<_>>()
    })
    .await?;
    Ok(Json(tokens))
}

async fn create_token(
    State(admin): State<Admin>,
    headers: HeaderMap,
    Path(tenant): Path<String>,
    Json(body): Json<NewToken>,
) -> AdminResult<impl IntoResponse> {
    authorize(&admin, &headers)?;
    let days = body.valid_for_days.unwrap_or(DEFAULT_TOKEN_DAYS);
    if days == 0 {
        return Err(AdminError::new(
            StatusCode::BAD_REQUEST,
            "bad_request",
            "valid_for_days must be at least 1",
        ));
    }
    let (token, secret) = issue_token(
        UserName::new(&body.user),
        body.name.unwrap_or_else(|| "token".into()),
        EpochMillis::now(),
        days.saturating_mul(DAY_MS),
    );
    let command = Command::CreateToken {
        tenant: TenantName::new(&tenant),
        token: token.clone(),
    };
    propose(&admin, command).await?;
    // The secret is in this reply only; the cluster keeps its SHA-256.
    Ok((
        StatusCode::CREATED,
        Json(json!({
            "id": token.id,
            "name": token.name,
            "user": token.user,
            "expires_at": token.expires_at,
            "secret": secret,
        })),
    ))
}

async fn revoke_token(
    State(admin): State<Admin>,
    headers: HeaderMap,
    Path((tenant, id)): Path<(String, String)>,
) -> AdminResult<impl IntoResponse> {
    authorize(&admin, &headers)?;
    let command = Command::RevokeToken {
        tenant: TenantName::new(&tenant),
        id: TokenId(id),
    };
    propose(&admin, command).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize)]
struct NewRole {
    name: String,
}

#[derive(Deserialize)]
struct NewGrant {
    user: String,
}

async fn list_roles(
    State(admin): State<Admin>,
    headers: HeaderMap,
    Path(tenant): Path<String>,
) -> AdminResult<impl IntoResponse> {
    authorize(&admin, &headers)?;
    let roles = read_tenant(&admin, &tenant, |t| {
        t.roles.values().cloned().collect::<Vec<_>>()
    })
    .await?;
    Ok(Json(roles))
}

async fn create_role(
    State(admin): State<Admin>,
    headers: HeaderMap,
    Path(tenant): Path<String>,
    Json(role): Json<NewRole>,
) -> AdminResult<impl IntoResponse> {
    authorize(&admin, &headers)?;
    let name = valid_name(&role.name, "role")?;
    let command = Command::CreateRole {
        tenant: TenantName::new(&tenant),
        role: RoleName::new(&name),
    };
    propose(&admin, command).await?;
    Ok(StatusCode::CREATED)
}

async fn grant_role(
    State(admin): State<Admin>,
    headers: HeaderMap,
    Path((tenant, role)): Path<(String, String)>,
    Json(grant): Json<NewGrant>,
) -> AdminResult<impl IntoResponse> {
    authorize(&admin, &headers)?;
    let command = Command::GrantRole {
        tenant: TenantName::new(&tenant),
        role: RoleName::new(&role),
        user: UserName::new(&grant.user),
    };
    propose(&admin, command).await?;
    Ok(StatusCode::NO_CONTENT)
}

async fn list_nodes(
    State(admin): State<Admin>,
    headers: HeaderMap,
) -> AdminResult<impl IntoResponse> {
    authorize(&admin, &headers)?;
    let nodes = read(&admin, |state| {
        state
            .nodes
            .values()
            .map(|node| {
                let tenants: Vec<String> = state
                    .assignments_of(&node.id)
                    .into_iter()
                    .map(|(tenant, _)| tenant.to_string())
                    .collect();
                json!({
                    "id": node.id,
                    "address": node.address,
                    "live": node.live,
                    "lease_expires_at": node.lease_expires_at,
                    "tenants": tenants,
                })
            })
            .collect::<Vec<_>>()
    })
    .await?;
    Ok(Json(nodes))
}

/// Snowflake identifiers for accounts, users and roles: a letter or underscore, then letters,
/// digits, underscores or dollar signs (Mockhaus does not accept quoted names here).
fn valid_name(name: &str, what: &str) -> AdminResult<String> {
    let name = name.trim();
    let mut chars = name.chars();
    let first_ok = chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_');
    let rest_ok = chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '$');
    if first_ok && rest_ok && name.len() <= 255 {
        Ok(name.to_owned())
    } else {
        Err(AdminError::new(
            StatusCode::BAD_REQUEST,
            "bad_request",
            format!("{what} name {name:?} is not a valid identifier"),
        ))
    }
}

async fn hash_off_thread(password: String) -> AdminResult<String> {
    if password.is_empty() {
        return Err(AdminError::new(
            StatusCode::BAD_REQUEST,
            "bad_request",
            "the password is empty",
        ));
    }
    tokio::task::spawn_blocking(move || hash_password(&password))
        .await
        .map_err(|e| AdminError::new(StatusCode::INTERNAL_SERVER_ERROR, "internal", e.to_string()))
}

fn outcome_body(outcome: Outcome) -> Value {
    match outcome {
        Outcome::Tenant(tenant) => json!(tenant),
        other => json!(other),
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
