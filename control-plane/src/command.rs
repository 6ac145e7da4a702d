//! What a client may ask the replicated state machine to do, and what it answers.
//!
//! A command carries everything its effect depends on (the proposer's clock, password hashes,
//! token hashes), so that every replica applies it to the same result.

use crate::model::{
    AccessToken, Assignment, DataNode, DataNodeId, EpochMillis, Generation, RoleName, Tenant,
    TenantName, TokenId, User, UserName,
};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case")]
pub enum Command {
    CreateTenant {
        name: TenantName,
        comment: Option<String>,
        at: EpochMillis,
    },
    DeleteTenant {
        name: TenantName,
    },
    CreateUser {
        tenant: TenantName,
        user: UserName,
        password_hash: Option<String>,
        default_role: Option<RoleName>,
        at: EpochMillis,
    },
    DeleteUser {
        tenant: TenantName,
        user: UserName,
    },
    SetPassword {
        tenant: TenantName,
        user: UserName,
        password_hash: String,
    },
    CreateToken {
        tenant: TenantName,
        token: AccessToken,
    },
    RevokeToken {
        tenant: TenantName,
        id: TokenId,
    },
    CreateRole {
        tenant: TenantName,
        role: RoleName,
    },
    GrantRole {
        tenant: TenantName,
        role: RoleName,
        user: UserName,
    },
    /// A data node's heartbeat: registers it or renews its lease until `at + ttl_ms`.
    Heartbeat {
        node: DataNodeId,
        address: String,
        at: EpochMillis,
        ttl_ms: u64,
    },
    /// The leader's periodic sweep: nodes whose lease ended before `at` lose their tenants.
    ExpireLeases {
        at: EpochMillis,
    },
    /// Changes nothing: a follower commits one to learn a log position it may read at.
    Barrier,
}

/// The result of applying a command. Refusals are outcomes, not Raft errors: the command was
/// committed and every replica refused it the same way.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "result", rename_all = "snake_case")]
pub enum Outcome {
    Done,
    Tenant(Tenant),
    User(User),
    Token(AccessToken),
    Lease {
        node: DataNode,
        assignments: Vec<(TenantName, Generation)>,
    },
    Moved {
        moves: Vec<(TenantName, Assignment)>,
    },
    Refused(Refusal),
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[serde(tag = "reason", content = "name", rename_all = "snake_case")]
pub enum Refusal {
    #[error("tenant {0} already exists")]
    TenantExists(String),
    #[error("tenant {0} does not exist")]
    NoSuchTenant(String),
    #[error("user {0} already exists")]
    UserExists(String),
    #[error("user {0} does not exist")]
    NoSuchUser(String),
    #[error("token {0} does not exist")]
    NoSuchToken(String),
    #[error("role {0} does not exist")]
    NoSuchRole(String),
    #[error("role {0} already exists")]
    RoleExists(String),
}
