//! The admin operations, typed: what the REST admin API and the gRPC `Admin` service both do.
//!
//! Names are validated here, once. Writes go through Raft (a follower forwards them to the
//! leader) and wait out an election; reads are linearizable. Refusals come back as
//! `ControlError::Refused`, bad input as `ControlError::BadRequest`.

use crate::command::{Command, Outcome, Refusal};
use crate::credentials::{hash_password, issue_token};
use crate::error::ControlError;
use crate::model::{
    DataNodeId, EpochMillis, Generation, Role, RoleName, Tenant, TenantName, TokenId, UserName,
};
use crate::node::{while_electing, Committed, NodeInner};
use crate::state::{ControlState, TenantState};
use crate::types::NodeId;
use serde::Serialize;

const DEFAULT_TOKEN_DAYS: u64 = 90;
const DAY_MS: u64 = 24 * 60 * 60 * 1000;

#[derive(Debug, Clone, Serialize)]
pub struct TenantSummary {
    pub name: TenantName,
    pub comment: Option<String>,
    pub created_at: EpochMillis,
    pub users: usize,
    pub node: Option<DataNodeId>,
    pub generation: Option<Generation>,
}

#[derive(Debug, Clone, Serialize)]
pub struct UserSummary {
    pub name: UserName,
    pub default_role: RoleName,
    pub has_password: bool,
    pub created_at: EpochMillis,
}

#[derive(Debug, Clone, Serialize)]
pub struct TokenSummary {
    pub id: TokenId,
    pub name: String,
    pub user: UserName,
    pub created_at: EpochMillis,
    pub expires_at: EpochMillis,
    pub revoked: bool,
}

/// A token just created: the only time its secret is seen.
#[derive(Debug, Clone, Serialize)]
pub struct IssuedToken {
    #[serde(flatten)]
    pub token: TokenSummary,
    pub secret: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct DataNodeSummary {
    pub id: DataNodeId,
    pub address: String,
    pub live: bool,
    pub lease_expires_at: EpochMillis,
    pub tenants: Vec<TenantName>,
}

pub struct NewUser {
    pub name: String,
    pub password: Option<String>,
    pub default_role: Option<String>,
}

pub struct NewToken {
    pub user: String,
    pub name: Option<String>,
    pub valid_for_days: Option<u64>,
}

/// Snowflake identifiers for accounts, users and roles: a letter or underscore, then letters,
/// digits, underscores or dollar signs (Mockhaus does not accept quoted names here).
pub(crate) fn valid_name(name: &str, what: &str) -> Result<String, ControlError> {
    let name = name.trim();
    let mut chars = name.chars();
    let first_ok = chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_');
    let rest_ok = chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '$');
    if first_ok && rest_ok && name.len() <= 255 {
        Ok(name.to_owned())
    } else {
        Err(ControlError::BadRequest(format!(
            "{what} name {name:?} is not a valid identifier"
        )))
    }
}

async fn propose(node: &NodeInner, command: Command) -> Result<Outcome, ControlError> {
    let Committed { outcome, .. } = while_electing(|| node.propose(command.clone())).await?;
    match outcome {
        Outcome::Refused(refusal) => Err(refusal.into()),
        outcome => Ok(outcome),
    }
}

async fn read<T: Send + 'static>(
    node: &NodeInner,
    reader: impl Fn(&ControlState) -> T + Clone,
) -> Result<T, ControlError> {
    while_electing(|| node.read(reader.clone())).await
}

/// Reads one tenant's state; `NoSuchTenant` when it does not exist.
async fn read_tenant<T: Send + 'static>(
    node: &NodeInner,
    tenant: &str,
    reader: impl Fn(&TenantState) -> T + Clone + Send,
) -> Result<T, ControlError> {
    let name = TenantName::new(tenant);
    let key = name.clone();
    let found = read(node, move |state| state.tenant(&key).map(reader.clone())).await?;
    found.ok_or_else(|| Refusal::NoSuchTenant(name.to_string()).into())
}

/// argon2id is deliberately slow: it runs on a blocking thread.
async fn hash_off_thread(password: String) -> Result<String, ControlError> {
    if password.is_empty() {
        return Err(ControlError::BadRequest("the password is empty".into()));
    }
    tokio::task::spawn_blocking(move || hash_password(&password))
        .await
        .map_err(|e| ControlError::Raft(format!("password hashing failed: {e}")))
}

pub(crate) async fn list_tenants(node: &NodeInner) -> Result<Vec<TenantSummary>, ControlError> {
    read(node, |state| {
        state
            .tenants
            .values()
            .filter_map(|tenant| {
                let record = tenant.tenant.clone()?;
                Some(TenantSummary {
                    name: record.name,
                    comment: record.comment,
                    created_at: record.created_at,
                    users: tenant.users.len(),
                    node: tenant.assignment.as_ref().map(|a| a.node.clone()),
                    generation: tenant.assignment.as_ref().map(|a| a.generation),
                })
            })
            .collect()
    })
    .await
}

pub(crate) async fn create_tenant(
    node: &NodeInner,
    name: &str,
    comment: Option<String>,
) -> Result<Tenant, ControlError> {
    let name = valid_name(name, "tenant")?;
    let command = Command::CreateTenant {
        name: TenantName::new(&name),
        comment: comment.filter(|c| !c.is_empty()),
        at: EpochMillis::now(),
    };
    match propose(node, command).await? {
        Outcome::Tenant(tenant) => Ok(tenant),
        other => Err(unexpected(other)),
    }
}

pub(crate) async fn delete_tenant(node: &NodeInner, name: &str) -> Result<(), ControlError> {
    let name = TenantName::new(name);
    propose(node, Command::DeleteTenant { name }).await?;
    Ok(())
}

pub(crate) async fn list_users(
    node: &NodeInner,
    tenant: &str,
) -> Result<Vec<UserSummary>, ControlError> {
    read_tenant(node, tenant, |t| {
        t.users
            .values()
            .map(|user| UserSummary {
                name: user.name.clone(),
                default_role: user.default_role.clone(),
                has_password: user.password_hash.is_some(),
                created_at: user.created_at,
            })
            .collect()
    })
    .await
}

pub(crate) async fn create_user(
    node: &NodeInner,
    tenant: &str,
    user: NewUser,
) -> Result<UserSummary, ControlError> {
    let name = UserName::new(&valid_name(&user.name, "user")?);
    let default_role = match user.default_role.filter(|role| !role.is_empty()) {
        Some(role) => Some(RoleName::new(&valid_name(&role, "role")?)),
        None => None,
    };
    let password_hash = match user.password.filter(|p| !p.is_empty()) {
        Some(password) => Some(hash_off_thread(password).await?),
        None => None,
    };
    let command = Command::CreateUser {
        tenant: TenantName::new(tenant),
        user: name,
        password_hash,
        default_role,
        at: EpochMillis::now(),
    };
    match propose(node, command).await? {
        Outcome::User(user) => Ok(UserSummary {
            name: user.name,
            default_role: user.default_role,
            has_password: user.password_hash.is_some(),
            created_at: user.created_at,
        }),
        other => Err(unexpected(other)),
    }
}

pub(crate) async fn delete_user(
    node: &NodeInner,
    tenant: &str,
    user: &str,
) -> Result<(), ControlError> {
    let command = Command::DeleteUser {
        tenant: TenantName::new(tenant),
        user: UserName::new(user),
    };
    propose(node, command).await?;
    Ok(())
}

pub(crate) async fn set_password(
    node: &NodeInner,
    tenant: &str,
    user: &str,
    password: String,
) -> Result<(), ControlError> {
    let command = Command::SetPassword {
        tenant: TenantName::new(tenant),
        user: UserName::new(user),
        password_hash: hash_off_thread(password).await?,
    };
    propose(node, command).await?;
    Ok(())
}

pub(crate) async fn list_tokens(
    node: &NodeInner,
    tenant: &str,
) -> Result<Vec<TokenSummary>, ControlError> {
    read_tenant(node, tenant, |t| {
        t.tokens
            .values()
            .map(|token| TokenSummary {
                id: token.id.clone(),
                name: token.name.clone(),
                user: token.user.clone(),
                created_at: token.created_at,
                expires_at: token.expires_at,
                revoked: token.revoked,
            })
            .collect()
    })
    .await
}

pub(crate) async fn create_token(
    node: &NodeInner,
    tenant: &str,
    request: NewToken,
) -> Result<IssuedToken, ControlError> {
    let days = request.valid_for_days.unwrap_or(DEFAULT_TOKEN_DAYS);
    if days == 0 {
        return Err(ControlError::BadRequest(
            "valid_for_days must be at least 1".into(),
        ));
    }
    let (token, secret) = issue_token(
        UserName::new(&request.user),
        request
            .name
            .filter(|name| !name.is_empty())
            .unwrap_or_else(|| "token".into()),
        EpochMillis::now(),
        days.saturating_mul(DAY_MS),
    );
    let command = Command::CreateToken {
        tenant: TenantName::new(tenant),
        token: token.clone(),
    };
    propose(node, command).await?;
    Ok(IssuedToken {
        token: TokenSummary {
            id: token.id,
            name: token.name,
            user: token.user,
            created_at: token.created_at,
            expires_at: token.expires_at,
            revoked: token.revoked,
        },
        secret,
    })
}

pub(crate) async fn revoke_token(
    node: &NodeInner,
    tenant: &str,
    id: &str,
) -> Result<(), ControlError> {
    let command = Command::RevokeToken {
        tenant: TenantName::new(tenant),
        id: TokenId(id.to_owned()),
    };
    propose(node, command).await?;
    Ok(())
}

pub(crate) async fn list_roles(node: &NodeInner, tenant: &str) -> Result<Vec<Role>, ControlError> {
    read_tenant(node, tenant, |t| t.roles.values().cloned().collect()).await
}

pub(crate) async fn create_role(
    node: &NodeInner,
    tenant: &str,
    role: &str,
) -> Result<(), ControlError> {
    let command = Command::CreateRole {
        tenant: TenantName::new(tenant),
        role: RoleName::new(&valid_name(role, "role")?),
    };
    propose(node, command).await?;
    Ok(())
}

pub(crate) async fn grant_role(
    node: &NodeInner,
    tenant: &str,
    role: &str,
    user: &str,
) -> Result<(), ControlError> {
    let command = Command::GrantRole {
        tenant: TenantName::new(tenant),
        role: RoleName::new(role),
        user: UserName::new(user),
    };
    propose(node, command).await?;
    Ok(())
}

pub(crate) async fn list_data_nodes(
    node: &NodeInner,
) -> Result<Vec<DataNodeSummary>, ControlError> {
    read(node, |state| {
        state
            .nodes
            .values()
            .map(|data_node| DataNodeSummary {
                id: data_node.id.clone(),
                address: data_node.address.clone(),
                live: data_node.live,
                lease_expires_at: data_node.lease_expires_at,
                tenants: state
                    .assignments_of(&data_node.id)
                    .into_iter()
                    .map(|(tenant, _)| tenant)
                    .collect(),
            })
            .collect()
    })
    .await
}

/// A membership change, made on the leader wherever it is asked.
#[derive(Debug, Clone)]
pub enum MembershipChange {
    Add { id: NodeId, address: String },
    Remove { id: NodeId },
}

pub(crate) async fn change_membership(
    node: &NodeInner,
    change: MembershipChange,
) -> Result<(), ControlError> {
    while_electing(|| node.change_membership(change.clone())).await
}

fn unexpected(outcome: Outcome) -> ControlError {
    ControlError::Raft(format!("unexpected outcome {outcome:?}"))
}
