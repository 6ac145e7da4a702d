//! The replicated state and the one function that changes it: `ControlState::apply`.
//!
//! Deterministic by construction: no clocks, no randomness, ordered maps only; the same log
//! applied on any replica gives the same state, and its serialized form is the Raft snapshot.

use crate::command::{Command, Outcome, Refusal};
use crate::model::{
    AccessToken, Assignment, DataNode, DataNodeId, EpochMillis, Generation, Role, RoleName, Tenant,
    TenantName, TokenId, User, UserName,
};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

/// The role a user gets when none is named, as on a fresh Snowflake account.
pub const DEFAULT_ROLE: &str = "PUBLIC";
/// The system roles every tenant has.
pub const SYSTEM_ROLES: [&str; 5] = [
    "ACCOUNTADMIN",
    "SECURITYADMIN",
    "SYSADMIN",
    "USERADMIN",
    "PUBLIC",
];

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TenantState {
    pub tenant: Option<Tenant>,
    pub users: BTreeMap<UserName, User>,
    pub tokens: BTreeMap<TokenId, AccessToken>,
    pub roles: BTreeMap<RoleName, Role>,
    pub assignment: Option<Assignment>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ControlState {
    pub tenants: BTreeMap<TenantName, TenantState>,
    pub nodes: BTreeMap<DataNodeId, DataNode>,
    /// The last generation handed out, cluster-wide, so generations never repeat.
    pub generation: Generation,
}

impl ControlState {
    pub fn apply(&mut self, command: &Command) -> Outcome {
        match self.try_apply(command) {
            Ok(outcome) => outcome,
            Err(refusal) => Outcome::Refused(refusal),
        }
    }

    fn try_apply(&mut self, command: &Command) -> Result<Outcome, Refusal> {
        match command {
            Command::CreateTenant { name, comment, at } => {
                self.create_tenant(name, comment.clone(), *at)
            }
            Command::DeleteTenant { name } => {
                self.tenants
                    .remove(name)
                    .ok_or_else(|| Refusal::NoSuchTenant(name.to_string()))?;
                Ok(Outcome::Done)
            }
            Command::CreateUser {
                tenant,
                user,
                password_hash,
                default_role,
                at,
            } => {
                let state = self.tenant_mut(tenant)?;
                if state.users.contains_key(user) {
                    return Err(Refusal::UserExists(user.to_string()));
                }
                let default_role = default_role
                    .clone()
                    .unwrap_or_else(|| RoleName::new(DEFAULT_ROLE));
                if !state.roles.contains_key(&default_role) {
                    return Err(Refusal::NoSuchRole(default_role.to_string()));
                }
                let record = User {
                    name: user.clone(),
                    password_hash: password_hash.clone(),
                    default_role,
                    created_at: *at,
                };
                state.users.insert(user.clone(), record.clone());
                Ok(Outcome::User(record))
            }
            Command::DeleteUser { tenant, user } => {
                let state = self.tenant_mut(tenant)?;
                state
                    .users
                    .remove(user)
                    .ok_or_else(|| Refusal::NoSuchUser(user.to_string()))?;
                state.tokens.retain(|_, token| &token.user != user);
                for role in state.roles.values_mut() {
                    role.grantees.remove(user);
                }
                Ok(Outcome::Done)
            }
            Command::SetPassword {
                tenant,
                user,
                password_hash,
            } => {
                let record = self.user_mut(tenant, user)?;
                record.password_hash = Some(password_hash.clone());
                Ok(Outcome::User(record.clone()))
            }
            Command::CreateToken { tenant, token } => {
                self.user_mut(tenant, &token.user)?;
                let state = self.tenant_mut(tenant)?;
                state.tokens.insert(token.id.clone(), token.clone());
                Ok(Outcome::Token(token.clone()))
            }
            Command::RevokeToken { tenant, id } => {
                let state = self.tenant_mut(tenant)?;
                let token = state
                    .tokens
                    .get_mut(id)
                    .ok_or_else(|| Refusal::NoSuchToken(id.0.clone()))?;
                token.revoked = true;
                Ok(Outcome::Token(token.clone()))
            }
            Command::CreateRole { tenant, role } => {
                let state = self.tenant_mut(tenant)?;
                if state.roles.contains_key(role) {
                    return Err(Refusal::RoleExists(role.to_string()));
                }
                state.roles.insert(role.clone(), new_role(role.clone()));
                Ok(Outcome::Done)
            }
            Command::GrantRole { tenant, role, user } => {
                self.user_mut(tenant, user)?;
                let state = self.tenant_mut(tenant)?;
                let record = state
                    .roles
                    .get_mut(role)
                    .ok_or_else(|| Refusal::NoSuchRole(role.to_string()))?;
                record.grantees.insert(user.clone());
                Ok(Outcome::Done)
            }
            Command::Heartbeat {
                node,
                address,
                at,
                ttl_ms,
            } => Ok(self.heartbeat(node, address, *at, *ttl_ms)),
            Command::ExpireLeases { at } => Ok(self.expire_leases(*at)),
            Command::Barrier => Ok(Outcome::Done),
        }
    }

    fn create_tenant(
        &mut self,
        name: &TenantName,
        comment: Option<String>,
        at: EpochMillis,
    ) -> Result<Outcome, Refusal> {
        if self.tenants.contains_key(name) {
            return Err(Refusal::TenantExists(name.to_string()));
        }
        let tenant = Tenant {
            name: name.clone(),
            created_at: at,
            comment,
        };
        let roles = SYSTEM_ROLES
            .iter()
            .map(|role| (RoleName::new(role), new_role(RoleName::new(role))))
            .collect();
        let state = TenantState {
            tenant: Some(tenant.clone()),
            roles,
            ..TenantState::default()
        };
        self.tenants.insert(name.clone(), state);
        self.assign_unassigned(at);
        Ok(Outcome::Tenant(tenant))
    }

    fn heartbeat(
        &mut self,
        node: &DataNodeId,
        address: &str,
        at: EpochMillis,
        ttl_ms: u64,
    ) -> Outcome {
        let record = DataNode {
            id: node.clone(),
            address: address.to_owned(),
            lease_expires_at: at.plus_millis(ttl_ms),
            live: true,
        };
        self.nodes.insert(node.clone(), record.clone());
        self.assign_unassigned(at);
        Outcome::Lease {
            node: record,
            assignments: self.assignments_of(node),
        }
    }

    /// Marks nodes whose lease ended as dead and moves their tenants to live nodes.
    fn expire_leases(&mut self, at: EpochMillis) -> Outcome {
        for node in self.nodes.values_mut() {
            if node.live && node.lease_expires_at < at {
                node.live = false;
            }
        }
        let dead: BTreeSet<DataNodeId> = self
            .nodes
            .values()
            .filter(|node| !node.live)
            .map(|node| node.id.clone())
            .collect();
        for state in self.tenants.values_mut() {
            if state
                .assignment
                .as_ref()
                .is_some_and(|assignment| dead.contains(&assignment.node))
            {
                state.assignment = None;
            }
        }
        let moves = self.assign_unassigned(at);
        Outcome::Moved { moves }
    }

    /// Gives every tenant without a live node the least-loaded live node (ties: lowest id).
    fn assign_unassigned(&mut self, at: EpochMillis) -> Vec<(TenantName, Assignment)> {
        let mut load: BTreeMap<DataNodeId, usize> = self
            .nodes
            .values()
            .filter(|node| node.live && node.lease_expires_at >= at)
            .map(|node| (node.id.clone(), 0))
            .collect();
        if load.is_empty() {
            return Vec::new();
        }
        for state in self.tenants.values() {
            if let Some(count) = state
                .assignment
                .as_ref()
                .and_then(|assignment| load.get_mut(&assignment.node))
            {
                *count += 1;
            }
        }
        let mut moves = Vec::new();
        for (name, state) in self.tenants.iter_mut() {
            if state.assignment.is_some() {
                continue;
            }
            let (node, count) = load
                .iter_mut()
                .min_by_key(|(id, count)| (**count, (*id).clone()))
                .expect("load is not empty");
            *count += 1;
            self.generation = Generation(self.generation.0 + 1);
            let assignment = Assignment {
                node: node.clone(),
                generation: self.generation,
            };
            state.assignment = Some(assignment.clone());
            moves.push((name.clone(), assignment));
        }
        moves
    }

    pub fn assignments_of(&self, node: &DataNodeId) -> Vec<(TenantName, Generation)> {
        self.tenants
            .iter()
            .filter_map(|(name, state)| {
                let assignment = state.assignment.as_ref()?;
                (&assignment.node == node).then(|| (name.clone(), assignment.generation))
            })
            .collect()
    }

    pub fn tenant(&self, name: &TenantName) -> Option<&TenantState> {
        self.tenants.get(name)
    }

    fn tenant_mut(&mut self, name: &TenantName) -> Result<&mut TenantState, Refusal> {
        self.tenants
            .get_mut(name)
            .ok_or_else(|| Refusal::NoSuchTenant(name.to_string()))
    }

    fn user_mut(&mut self, tenant: &TenantName, user: &UserName) -> Result<&mut User, Refusal> {
        self.tenant_mut(tenant)?
            .users
            .get_mut(user)
            .ok_or_else(|| Refusal::NoSuchUser(user.to_string()))
    }
}

fn new_role(name: RoleName) -> Role {
    Role {
        name,
        grantees: BTreeSet::new(),
    }
}

#[cfg(test)]
mod tests;
