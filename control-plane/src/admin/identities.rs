//! Identity routes: tenants, users and passwords, access tokens, roles and grants.

use super::{
    authorize, hash_off_thread, outcome_body, propose, read, read_tenant, valid_name, Admin,
    AdminError, AdminResult,
};
use crate::command::Command;
use crate::credentials::issue_token;
use crate::model::{EpochMillis, RoleName, TenantName, TokenId, UserName};
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::IntoResponse;
use axum::Json;
use serde::{Deserialize, Serialize};
use serde_json::json;

const DEFAULT_TOKEN_DAYS: u64 = 90;
const DAY_MS: u64 = 24 * 60 * 60 * 1000;

#[derive(Deserialize)]
pub(super) struct NewTenant {
    name: String,
    comment: Option<String>,
}

pub(super) async fn list_tenants(
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

pub(super) async fn create_tenant(
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

pub(super) async fn delete_tenant(
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
pub(super) struct NewUser {
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

pub(super) async fn list_users(
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

pub(super) async fn create_user(
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

pub(super) async fn delete_user(
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
pub(super) struct NewPassword {
    password: String,
}

pub(super) async fn set_password(
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
pub(super) struct NewToken {
    user: String,
    name: Option<String>,
    valid_for_days: Option<u64>,
}

pub(super) async fn list_tokens(
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

pub(super) async fn create_token(
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

pub(super) async fn revoke_token(
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
pub(super) struct NewRole {
    name: String,
}

#[derive(Deserialize)]
pub(super) struct NewGrant {
    user: String,
}

pub(super) async fn list_roles(
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

pub(super) async fn create_role(
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

pub(super) async fn grant_role(
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
