//! Cluster routes: status, membership (made on the leader wherever asked), data nodes.

use super::ops::{self, MembershipChange};
use super::{authorize, Admin, AdminResult};
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::response::IntoResponse;
use axum::Json;
use serde::Deserialize;

pub(super) async fn cluster_status(
    State(admin): State<Admin>,
    headers: HeaderMap,
) -> AdminResult<impl IntoResponse> {
    authorize(&admin, &headers)?;
    Ok(Json(admin.node.status()))
}

#[derive(Deserialize)]
pub(super) struct MemberBody {
    id: u64,
    address: String,
}

pub(super) async fn add_member(
    State(admin): State<Admin>,
    headers: HeaderMap,
    Json(body): Json<MemberBody>,
) -> AdminResult<impl IntoResponse> {
    authorize(&admin, &headers)?;
    let change = MembershipChange::Add {
        id: body.id,
        address: body.address,
    };
    ops::change_membership(&admin.node, change).await?;
    Ok(Json(admin.node.status()))
}

pub(super) async fn remove_member(
    State(admin): State<Admin>,
    headers: HeaderMap,
    Path(id): Path<u64>,
) -> AdminResult<impl IntoResponse> {
    authorize(&admin, &headers)?;
    ops::change_membership(&admin.node, MembershipChange::Remove { id }).await?;
    Ok(Json(admin.node.status()))
}

pub(super) async fn list_nodes(
    State(admin): State<Admin>,
    headers: HeaderMap,
) -> AdminResult<impl IntoResponse> {
    authorize(&admin, &headers)?;
    Ok(Json(ops::list_data_nodes(&admin.node).await?))
}
