//! Identity routes: tenants, users and passwords, access tokens, roles and grants.

use super::ops::{self, NewToken, NewUser};
use super::{authorize, Admin, AdminResult};
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::IntoResponse;
use axum::Json;
use serde::Deserialize;

#[derive(Deserialize)]
pub(super) struct TenantBody {
    name: String,
    comment: Option<String>,
}

pub(super) async fn list_tenants(
    State(admin): State<Admin>,
    headers: HeaderMap,
) -> AdminResult<impl IntoResponse> {
    authorize(&admin, &headers)?;
    Ok(Json(ops::list_tenants(&admin.node).await?))
}

pub(super) async fn create_tenant(
    State(admin): State<Admin>,
    headers: HeaderMap,
    Json(body): Json<TenantBody>,
) -> AdminResult<impl IntoResponse> {
    authorize(&admin, &headers)?;
    let tenant = ops::create_tenant(&admin.node, &body.name, body.comment).await?;
    Ok((StatusCode::CREATED, Json(tenant)))
}

pub(super) async fn delete_tenant(
    State(admin): State<Admin>,
    headers: HeaderMap,
    Path(tenant): Path<String>,
) -> AdminResult<impl IntoResponse> {
    authorize(&admin, &headers)?;
    ops::delete_tenant(&admin.node, &tenant).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize)]
pub(super) struct UserBody {
    name: String,
    password: Option<String>,
    default_role: Option<String>,
}

pub(super) async fn list_users(
    State(admin): State<Admin>,
    headers: HeaderMap,
    Path(tenant): Path<String>,
) -> AdminResult<impl IntoResponse> {
    authorize(&admin, &headers)?;
    Ok(Json(ops::list_users(&admin.node, &tenant).await?))
}

pub(super) async fn create_user(
    State(admin): State<Admin>,
    headers: HeaderMap,
    Path(tenant): Path<String>,
    Json(body): Json<UserBody>,
) -> AdminResult<impl IntoResponse> {
    authorize(&admin, &headers)?;
    let user = NewUser {
        name: body.name,
        password: body.password,
        default_role: body.default_role,
    };
    let created = ops::create_user(&admin.node, &tenant, user).await?;
    Ok((StatusCode::CREATED, Json(created)))
}

pub(super) async fn delete_user(
    State(admin): State<Admin>,
    headers: HeaderMap,
    Path((tenant, user)): Path<(String, String)>,
) -> AdminResult<impl IntoResponse> {
    authorize(&admin, &headers)?;
    ops::delete_user(&admin.node, &tenant, &user).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize)]
pub(super) struct PasswordBody {
    password: String,
}

pub(super) async fn set_password(
    State(admin): State<Admin>,
    headers: HeaderMap,
    Path((tenant, user)): Path<(String, String)>,
    Json(body): Json<PasswordBody>,
) -> AdminResult<impl IntoResponse> {
    authorize(&admin, &headers)?;
    ops::set_password(&admin.node, &tenant, &user, body.password).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize)]
pub(super) struct TokenBody {
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
    Ok(Json(ops::list_tokens(&admin.node, &tenant).await?))
}

pub(super) async fn create_token(
    State(admin): State<Admin>,
    headers: HeaderMap,
    Path(tenant): Path<String>,
    Json(body): Json<TokenBody>,
) -> AdminResult<impl IntoResponse> {
    authorize(&admin, &headers)?;
    let request = NewToken {
        user: body.user,
        name: body.name,
        valid_for_days: body.valid_for_days,
    };
    let issued = ops::create_token(&admin.node, &tenant, request).await?;
    Ok((StatusCode::CREATED, Json(issued)))
}

pub(super) async fn revoke_token(
    State(admin): State<Admin>,
    headers: HeaderMap,
    Path((tenant, id)): Path<(String, String)>,
) -> AdminResult<impl IntoResponse> {
    authorize(&admin, &headers)?;
    ops::revoke_token(&admin.node, &tenant, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize)]
pub(super) struct RoleBody {
    name: String,
}

#[derive(Deserialize)]
pub(super) struct GrantBody {
    user: String,
}

pub(super) async fn list_roles(
    State(admin): State<Admin>,
    headers: HeaderMap,
    Path(tenant): Path<String>,
) -> AdminResult<impl IntoResponse> {
    authorize(&admin, &headers)?;
    Ok(Json(ops::list_roles(&admin.node, &tenant).await?))
}

pub(super) async fn create_role(
    State(admin): State<Admin>,
    headers: HeaderMap,
    Path(tenant): Path<String>,
    Json(body): Json<RoleBody>,
) -> AdminResult<impl IntoResponse> {
    authorize(&admin, &headers)?;
    ops::create_role(&admin.node, &tenant, &body.name).await?;
    Ok(StatusCode::CREATED)
}

pub(super) async fn grant_role(
    State(admin): State<Admin>,
    headers: HeaderMap,
    Path((tenant, role)): Path<(String, String)>,
    Json(body): Json<GrantBody>,
) -> AdminResult<impl IntoResponse> {
    authorize(&admin, &headers)?;
    ops::grant_role(&admin.node, &tenant, &role, &body.user).await?;
    Ok(StatusCode::NO_CONTENT)
}
