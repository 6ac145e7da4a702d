//! Cluster routes: status, membership, data nodes.

use super::{authorize, read, Admin, AdminResult};
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::response::IntoResponse;
use axum::Json;
use serde::Deserialize;
use serde_json::json;

pub(super) async fn cluster_status(
    State(admin): State<Admin>,
    headers: HeaderMap,
) -> AdminResult<impl IntoResponse> {
    authorize(&admin, &headers)?;
    Ok(Json(admin.node.status()))
}

#[derive(Deserialize)]
pub(super) struct NewMember {
    id: u64,
    address: String,
}

pub(super) async fn add_member(
    State(admin): State<Admin>,
    headers: HeaderMap,
    Json(member): Json<NewMember>,
) -> AdminResult<impl IntoResponse> {
    authorize(&admin, &headers)?;
    admin.node.add_member(member.id, member.address).await?;
    Ok(Json(admin.node.status()))
}

pub(super) async fn remove_member(
    State(admin): State<Admin>,
    headers: HeaderMap,
    Path(id): Path<u64>,
) -> AdminResult<impl IntoResponse> {
    authorize(&admin, &headers)?;
    admin.node.remove_member(id).await?;
    Ok(Json(admin.node.status()))
}

pub(super) async fn list_nodes(
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
