//! The records the control plane replicates, and the id newtypes that name them.
//!
//! Names are Snowflake identifiers: a tenant is a Snowflake account name and a user is a login
//! name, both case-insensitive, so they are kept upper-cased (the form Snowflake shows).

use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;
use std::fmt;

macro_rules! identifier_newtype {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(String);

        impl $name {
            /// Snowflake folds unquoted identifiers to upper case; so do we.
            pub fn new(name: &str) -> Self {
                Self(name.trim().to_uppercase())
            }

            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }
    };
}

identifier_newtype!(
    /// A Snowflake account name: one tenant.
    TenantName
);
identifier_newtype!(
    /// A login name, unique within its tenant.
    UserName
);
identifier_newtype!(
    /// A role name, unique within its tenant.
    RoleName
);

/// A data node's id, chosen by its operator; case-sensitive.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct DataNodeId(pub String);

impl fmt::Display for DataNodeId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A programmatic access token's public id (the secret itself is never stored).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct TokenId(pub String);

/// Increases every time a tenant is assigned to a data node, so a node that lost its lease
/// can be told apart from the current owner.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
#[serde(transparent)]
pub struct Generation(pub u64);

/// Milliseconds since the Unix epoch, as measured by the node that proposed a command (the
/// state machine never reads a clock: every replica must apply a command identically).
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
#[serde(transparent)]
pub struct EpochMillis(pub u64);

impl EpochMillis {
    pub fn now() -> Self {
        let since_epoch = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap_or_default();
        Self(since_epoch.as_millis() as u64)
    }

    pub fn plus_millis(self, millis: u64) -> Self {
        Self(self.0.saturating_add(millis))
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tenant {
    pub name: TenantName,
    pub created_at: EpochMillis,
    pub comment: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct User {
    pub name: UserName,
    /// An argon2 PHC string; `None` for a user that logs in only with tokens.
    pub password_hash: Option<String>,
    pub default_role: RoleName,
    pub created_at: EpochMillis,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccessToken {
    pub id: TokenId,
    pub name: String,
    pub user: UserName,
    /// SHA-256 of the secret, hex. Tokens are long random strings, so a fast hash is enough.
    pub secret_sha256: String,
    pub created_at: EpochMillis,
    pub expires_at: EpochMillis,
    pub revoked: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Role {
    pub name: RoleName,
    pub grantees: BTreeSet<UserName>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DataNode {
    pub id: DataNodeId,
    pub address: String,
    pub lease_expires_at: EpochMillis,
    /// False once its lease lapsed and its tenants moved away; a heartbeat revives it.
    pub live: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Assignment {
    pub node: DataNodeId,
    pub generation: Generation,
}
