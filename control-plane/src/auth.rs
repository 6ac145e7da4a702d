//! Checking a login against the replicated identities.

use crate::credentials::{token_accepts_digest, token_digest, verify_password};
use crate::model::{EpochMillis, TenantName, UserName};
use crate::state::{ControlState, DEFAULT_ROLE};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Credential {
    Password,
    /// A programmatic access token (what Snowflake's PROGRAMMATIC_ACCESS_TOKEN and OAUTH
    /// authenticators carry).
    AccessToken,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LoginCheck {
    Accepted {
        roles: Vec<String>,
        default_role: String,
    },
    UnknownTenant,
    /// Unknown user, wrong password, or a token that is wrong, expired or revoked: one answer
    /// for all, as Snowflake gives, so a caller cannot probe which users exist.
    BadCredentials,
}

impl LoginCheck {
    pub fn refusal(&self) -> &'static str {
        match self {
            LoginCheck::Accepted { .. } => "",
            LoginCheck::UnknownTenant => "UNKNOWN_TENANT",
            LoginCheck::BadCredentials => "BAD_CREDENTIALS",
        }
    }
}

/// What the state says about a login, before any slow password hashing.
#[derive(Debug, Clone)]
pub(crate) enum LoginFacts {
    UnknownTenant,
    UnknownUser,
    Known {
        password_hash: Option<String>,
        token_ok: bool,
        roles: Vec<String>,
        default_role: String,
    },
}

pub(crate) fn login_facts(
    state: &ControlState,
    tenant: &TenantName,
    user: &UserName,
    credential: Credential,
    secret: &str,
    now: EpochMillis,
) -> LoginFacts {
    let Some(tenant_state) = state.tenant(tenant) else {
        return LoginFacts::UnknownTenant;
    };
    let Some(record) = tenant_state.users.get(user) else {
        return LoginFacts::UnknownUser;
    };
    let token_ok = credential == Credential::AccessToken && {
        let digest = token_digest(secret);
        tenant_state
            .tokens
            .values()
            .any(|token| &token.user == user && token_accepts_digest(token, &digest, now))
    };
    let mut roles: Vec<String> = tenant_state
        .roles
        .values()
        .filter(|role| role.grantees.contains(user) || role.name == record.default_role)
        .map(|role| role.name.to_string())
        .collect();
    if !roles.iter().any(|role| role == DEFAULT_ROLE) {
        roles.push(DEFAULT_ROLE.to_owned());
    }
    LoginFacts::Known {
        password_hash: record.password_hash.clone(),
        token_ok,
        roles,
        default_role: record.default_role.to_string(),
    }
}

/// Finishes the check; argon2 verification is CPU-heavy, so it runs on a blocking thread.
pub(crate) async fn conclude(
    facts: LoginFacts,
    credential: Credential,
    secret: String,
) -> LoginCheck {
    let (password_hash, token_ok, roles, default_role) = match facts {
        LoginFacts::UnknownTenant => return LoginCheck::UnknownTenant,
        LoginFacts::UnknownUser => return LoginCheck::BadCredentials,
        LoginFacts::Known {
            password_hash,
            token_ok,
            roles,
            default_role,
        } => (password_hash, token_ok, roles, default_role),
    };
    let accepted = match credential {
        Credential::AccessToken => token_ok,
        Credential::Password => match password_hash {
            Some(hash) => tokio::task::spawn_blocking(move || verify_password(&secret, &hash))
                .await
                .unwrap_or(false),
            None => false,
        },
    };
    if accepted {
        LoginCheck::Accepted {
            roles,
            default_role,
        }
    } else {
        LoginCheck::BadCredentials
    }
}
