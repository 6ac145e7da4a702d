//! The gRPC `Admin` service: the typed twin of the REST admin API, over the same operations
//! (`ops`). Every call must carry `authorization: Bearer <admin token>` metadata.

use super::ops::{self, MembershipChange, NewToken, NewUser};
use super::token_matches;
use crate::model::{EpochMillis, Role};
use crate::node::NodeInner;
use proto::admin_server::Admin;
use proto::{
    AddMemberRequest, AdminDone, CreateTenantRequest, CreateTokenRequest, CreateUserRequest,
    DataNodeInfo, DataNodeList, GrantRoleRequest, IssuedToken, ListDataNodesRequest,
    ListTenantsRequest, RaftNodeId, RoleInfo, RoleList, RoleRef, SetPasswordRequest, StatusReply,
    StatusRequest, TenantInfo, TenantList, TenantName, TokenInfo, TokenList, TokenRef, UserInfo,
    UserList, UserRef,
};
use std::sync::Arc;
use tonic::{Request, Response, Status};

pub(crate) struct AdminService {
    node: Arc<NodeInner>,
}

impl AdminService {
    pub(crate) fn new(node: Arc<NodeInner>) -> Self {
        Self { node }
    }
}

/// Refuses, before any handler runs, a call without this node's admin token.
pub(crate) fn require_admin_token(
    node: Arc<NodeInner>,
) -> impl FnMut(Request<()>) -> Result<Request<()>, Status> + Clone {
    move |request: Request<()>| {
        let presented = request
            .metadata()
            .get("authorization")
            .and_then(|value| value.to_str().ok())
            .and_then(|value| value.strip_prefix("Bearer "))
            .unwrap_or_default();
        if token_matches(&node, presented) {
            Ok(request)
        } else {
            Err(Status::unauthenticated(
                "a valid admin token is required (authorization: Bearer <token>)",
            ))
        }
    }
}

type Reply<T> = Result<Response<T>, Status>;

fn done() -> Reply<AdminDone> {
    Ok(Response::new(AdminDone {}))
}

fn id<T>(field: Option<T>, name: &str) -> Result<T, Status> {
    field.ok_or_else(|| Status::invalid_argument(format!("{name} is required")))
}

fn tenant_of(field: Option<TenantName>) -> Result<String, Status> {
    Ok(id(field, "tenant")?.value)
}

fn user_ref(field: Option<UserRef>) -> Result<(String, String), Status> {
    let user = id(field, "user")?;
    Ok((tenant_of(user.tenant)?, id(user.user, "user")?.value))
}

fn role_ref(field: Option<RoleRef>) -> Result<(String, String), Status> {
    let role = id(field, "role")?;
    Ok((tenant_of(role.tenant)?, id(role.role, "role")?.value))
}

fn millis(at: EpochMillis) -> u64 {
    at.0
}

fn token_info(token: ops::TokenSummary) -> TokenInfo {
    TokenInfo {
        id: Some(token.id.0.into()),
        name: token.name,
        user: Some(token.user.to_string().into()),
        created_at_ms: millis(token.created_at),
        expires_at_ms: millis(token.expires_at),
        revoked: token.revoked,
    }
}

fn role_info(role: Role) -> RoleInfo {
    RoleInfo {
        name: Some(role.name.to_string().into()),
        grantees: role
            .grantees
            .into_iter()
            .map(|user| user.to_string().into())
            .collect(),
    }
}

fn user_info(user: ops::UserSummary) -> UserInfo {
    UserInfo {
        name: Some(user.name.to_string().into()),
        default_role: Some(user.default_role.to_string().into()),
        has_password: user.has_password,
        created_at_ms: millis(user.created_at),
    }
}

fn tenant_info(tenant: ops::TenantSummary) -> TenantInfo {
    TenantInfo {
        name: Some(tenant.name.to_string().into()),
        comment: tenant.comment.unwrap_or_default(),
        created_at_ms: millis(tenant.created_at),
        users: u32::try_from(tenant.users).unwrap_or(u32::MAX),
        node: tenant.node.map(|node| node.0.into()),
        generation: tenant.generation.map(|generation| generation.0.into()),
    }
}

impl From<MembershipChange> for proto::MembershipChange {
    fn from(change: MembershipChange) -> Self {
        use proto::membership_change::Change;
        let change = match change {
            MembershipChange::Add { id, address } => Change::Add(AddMemberRequest {
                id: Some(id.into()),
                address,
            }),
            MembershipChange::Remove { id } => Change::Remove(id.into()),
        };
        Self {
            change: Some(change),
        }
    }
}

impl TryFrom<proto::MembershipChange> for MembershipChange {
    type Error = Status;

    fn try_from(change: proto::MembershipChange) -> Result<Self, Status> {
        use proto::membership_change::Change;
        match id(change.change, "change")? {
            Change::Add(add) => add_member(add),
            Change::Remove(node) => Ok(MembershipChange::Remove { id: node.value }),
        }
    }
}

fn add_member(request: AddMemberRequest) -> Result<MembershipChange, Status> {
    if request.address.trim().is_empty() {
        return Err(Status::invalid_argument("the member's address is required"));
    }
    Ok(MembershipChange::Add {
        id: id(request.id, "id")?.value,
        address: request.address,
    })
}

#[tonic::async_trait]
impl Admin for AdminService {
    async fn create_tenant(&self, request: Request<CreateTenantRequest>) -> Reply<TenantInfo> {
        let request = request.into_inner();
        let name = tenant_of(request.name)?;
        let comment = Some(request.comment);
        let tenant = ops::create_tenant(&self.node, &name, comment).await?;
        Ok(Response::new(TenantInfo {
            name: Some(tenant.name.to_string().into()),
            comment: tenant.comment.unwrap_or_default(),
            created_at_ms: millis(tenant.created_at),
            ..Default::default()
        }))
    }

    async fn delete_tenant(&self, request: Request<TenantName>) -> Reply<AdminDone> {
        ops::delete_tenant(&self.node, &request.into_inner().value).await?;
        done()
    }

    async fn list_tenants(&self, _request: Request<ListTenantsRequest>) -> Reply<TenantList> {
        let tenants = ops::list_tenants(&self.node).await?;
        Ok(Response::new(TenantList {
            tenants: tenants.into_iter().map(tenant_info).collect(),
        }))
    }

    async fn create_user(&self, request: Request<CreateUserRequest>) -> Reply<UserInfo> {
        let request = request.into_inner();
        let tenant = tenant_of(request.tenant)?;
        let user = NewUser {
            name: id(request.user, "user")?.value,
            password: Some(request.password),
            default_role: request.default_role.map(|role| role.value),
        };
        let created = ops::create_user(&self.node, &tenant, user).await?;
        Ok(Response::new(user_info(created)))
    }

    async fn delete_user(&self, request: Request<UserRef>) -> Reply<AdminDone> {
        let (tenant, user) = user_ref(Some(request.into_inner()))?;
        ops::delete_user(&self.node, &tenant, &user).await?;
        done()
    }

    async fn set_password(&self, request: Request<SetPasswordRequest>) -> Reply<AdminDone> {
        let request = request.into_inner();
        let (tenant, user) = user_ref(request.user)?;
        ops::set_password(&self.node, &tenant, &user, request.password).await?;
        done()
    }

    async fn list_users(&self, request: Request<TenantName>) -> Reply<UserList> {
        let users = ops::list_users(&self.node, &request.into_inner().value).await?;
        Ok(Response::new(UserList {
            users: users.into_iter().map(user_info).collect(),
        }))
    }

    async fn create_token(&self, request: Request<CreateTokenRequest>) -> Reply<IssuedToken> {
        let request = request.into_inner();
        let (tenant, user) = user_ref(request.user)?;
        let new_token = NewToken {
            user,
            name: Some(request.name),
            valid_for_days: (request.valid_for_days > 0).then_some(request.valid_for_days.into()),
        };
        let issued = ops::create_token(&self.node, &tenant, new_token).await?;
        Ok(Response::new(IssuedToken {
            token: Some(token_info(issued.token)),
            secret: issued.secret,
        }))
    }

    async fn revoke_token(&self, request: Request<TokenRef>) -> Reply<AdminDone> {
        let request = request.into_inner();
        let tenant = tenant_of(request.tenant)?;
        let token = id(request.id, "id")?.value;
        ops::revoke_token(&self.node, &tenant, &token).await?;
        done()
    }

    async fn list_tokens(&self, request: Request<TenantName>) -> Reply<TokenList> {
        let tokens = ops::list_tokens(&self.node, &request.into_inner().value).await?;
        Ok(Response::new(TokenList {
            tokens: tokens.into_iter().map(token_info).collect(),
        }))
    }

    async fn create_role(&self, request: Request<RoleRef>) -> Reply<AdminDone> {
        let (tenant, role) = role_ref(Some(request.into_inner()))?;
        ops::create_role(&self.node, &tenant, &role).await?;
        done()
    }

    async fn grant_role(&self, request: Request<GrantRoleRequest>) -> Reply<AdminDone> {
        let request = request.into_inner();
        let (tenant, role) = role_ref(request.role)?;
        let user = id(request.user, "user")?.value;
        ops::grant_role(&self.node, &tenant, &role, &user).await?;
        done()
    }

    async fn list_roles(&self, request: Request<TenantName>) -> Reply<RoleList> {
        let roles = ops::list_roles(&self.node, &request.into_inner().value).await?;
        Ok(Response::new(RoleList {
            roles: roles.into_iter().map(role_info).collect(),
        }))
    }

    async fn list_data_nodes(
        &self,
        _request: Request<ListDataNodesRequest>,
    ) -> Reply<DataNodeList> {
        let nodes = ops::list_data_nodes(&self.node).await?;
        let nodes = nodes
            .into_iter()
            .map(|node| DataNodeInfo {
                id: Some(node.id.0.into()),
                address: node.address,
                live: node.live,
                lease_expires_at_ms: millis(node.lease_expires_at),
                tenants: node
                    .tenants
                    .into_iter()
                    .map(|tenant| tenant.to_string().into())
                    .collect(),
            })
            .collect();
        Ok(Response::new(DataNodeList { nodes }))
    }

    async fn cluster_status(&self, _request: Request<StatusRequest>) -> Reply<StatusReply> {
        Ok(Response::new(self.node.status().into()))
    }

    async fn add_member(&self, request: Request<AddMemberRequest>) -> Reply<StatusReply> {
        let change = add_member(request.into_inner())?;
        ops::change_membership(&self.node, change).await?;
        Ok(Response::new(self.node.status().into()))
    }

    async fn remove_member(&self, request: Request<RaftNodeId>) -> Reply<StatusReply> {
        let change = MembershipChange::Remove {
            id: request.into_inner().value,
        };
        ops::change_membership(&self.node, change).await?;
        Ok(Response::new(self.node.status().into()))
    }
}
