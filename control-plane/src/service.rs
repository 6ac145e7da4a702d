//! The gRPC services a control-plane node serves: `RaftTransport` for its peers and
//! `ControlPlane` for data nodes, the CLI and followers forwarding proposals.

use crate::admin::ops::MembershipChange;
use crate::auth::{conclude, login_facts, Credential};
use crate::command::{Command, Outcome};
use crate::error::ControlError;
use crate::model::{DataNodeId, EpochMillis, TenantName, UserName};
use crate::node::{ClusterStatus, NodeInner, FORWARDED_HEADER};
use crate::types::TypeConfig;
use openraft::raft::{AppendEntriesRequest, InstallSnapshotRequest, VoteRequest};
use proto::control_plane_server::ControlPlane;
use proto::raft_transport_server::RaftTransport;
use proto::{
    AuthenticateReply, AuthenticateRequest, CredentialKind, HeartbeatReply, HeartbeatRequest,
    ProposeReply, ProposeRequest, RaftMessage, RouteReply, RouteRequest, StatusReply,
    StatusRequest,
};
use serde::de::DeserializeOwned;
use serde::Serialize;
use std::sync::Arc;
use tonic::{Request, Response, Status};

#[derive(Clone)]
pub(crate) struct ControlService {
    node: Arc<NodeInner>,
}

impl ControlService {
    pub(crate) fn new(node: Arc<NodeInner>) -> Self {
        Self { node }
    }
}

fn decode<T: DeserializeOwned>(json: &[u8]) -> Result<T, Status> {
    serde_json::from_slice(json).map_err(|e| Status::invalid_argument(format!("bad message: {e}")))
}

fn encode(value: &impl Serialize) -> Result<Response<RaftMessage>, Status> {
    let json = serde_json::to_vec(value).map_err(|e| Status::internal(e.to_string()))?;
    Ok(Response::new(RaftMessage { json }))
}

#[tonic::async_trait]
impl RaftTransport for ControlService {
    async fn append_entries(
        &self,
        request: Request<RaftMessage>,
    ) -> Result<Response<RaftMessage>, Status> {
        let rpc: AppendEntriesRequest<TypeConfig> = decode(&request.into_inner().json)?;
        encode(&self.node.raft.append_entries(rpc).await)
    }

    async fn vote(&self, request: Request<RaftMessage>) -> Result<Response<RaftMessage>, Status> {
        let rpc: VoteRequest<u64> = decode(&request.into_inner().json)?;
        encode(&self.node.raft.vote(rpc).await)
    }

    async fn install_snapshot(
        &self,
        request: Request<RaftMessage>,
    ) -> Result<Response<RaftMessage>, Status> {
        let rpc: InstallSnapshotRequest<TypeConfig> = decode(&request.into_inner().json)?;
        encode(&self.node.raft.install_snapshot(rpc).await)
    }
}

fn required<T>(field: Option<T>, name: &str) -> Result<T, Status> {
    field.ok_or_else(|| Status::invalid_argument(format!("{name} is required")))
}

#[tonic::async_trait]
impl ControlPlane for ControlService {
    async fn propose(
        &self,
        request: Request<ProposeRequest>,
    ) -> Result<Response<ProposeReply>, Status> {
        let forwarded = request.metadata().contains_key(FORWARDED_HEADER);
        let command: Command = decode(&request.into_inner().command_json)?;
        let committed = if forwarded {
            // One hop only: if leadership moved meanwhile, the original caller retries.
            self.node.propose_locally(command).await
        } else {
            self.node.propose(command).await
        }?;
        let outcome_json =
            serde_json::to_vec(&committed.outcome).map_err(|e| Status::internal(e.to_string()))?;
        Ok(Response::new(ProposeReply {
            outcome_json,
            log_index: committed.index,
        }))
    }

    async fn authenticate(
        &self,
        request: Request<AuthenticateRequest>,
    ) -> Result<Response<AuthenticateReply>, Status> {
        let request = request.into_inner();
        let tenant = TenantName::new(&required(request.tenant, "tenant")?.value);
        let user = UserName::new(&required(request.user, "user")?.value);
        let credential = match CredentialKind::try_from(request.kind) {
            Ok(CredentialKind::Password) => Credential::Password,
            Ok(CredentialKind::AccessToken) => Credential::AccessToken,
            _ => return Err(Status::invalid_argument("credential kind is required")),
        };
        let secret = request.secret;
        let now = EpochMillis::now();
        let facts = {
            let secret = secret.clone();
            self.node
                .read(move |state| login_facts(state, &tenant, &user, credential, &secret, now))
                .await?
        };
        let check = conclude(facts, credential, secret).await;
        let refusal = check.refusal().to_owned();
        let reply = match check {
            crate::auth::LoginCheck::Accepted {
                roles,
                default_role,
            } => AuthenticateReply {
                accepted: true,
                refusal,
                roles,
                default_role,
            },
            _ => AuthenticateReply {
                refusal,
                ..Default::default()
            },
        };
        Ok(Response::new(reply))
    }

    async fn heartbeat(
        &self,
        request: Request<HeartbeatRequest>,
    ) -> Result<Response<HeartbeatReply>, Status> {
        let request = request.into_inner();
        let node = DataNodeId(required(request.node, "node")?.value);
        let ttl_ms = self.node.lease_ttl.as_millis() as u64;
        let command = Command::Heartbeat {
            node,
            address: request.address,
            at: EpochMillis::now(),
            ttl_ms,
        };
        let committed = self.node.propose(command).await?;
        let Outcome::Lease { assignments, .. } = committed.outcome else {
            return Err(ControlError::Raft("a heartbeat did not return a lease".into()).into());
        };
        Ok(Response::new(HeartbeatReply {
            lease_ttl_ms: ttl_ms,
            assignments: assignments
                .into_iter()
                .map(|(tenant, generation)| proto::TenantAssignment {
                    tenant: Some(tenant.to_string().into()),
                    generation: Some(generation.0.into()),
                })
                .collect(),
        }))
    }

    async fn route(&self, request: Request<RouteRequest>) -> Result<Response<RouteReply>, Status> {
        let tenant = TenantName::new(&required(request.into_inner().tenant, "tenant")?.value);
        let reply = self
            .node
            .read(move |state| {
                let assignment = state.tenant(&tenant)?.assignment.clone()?;
                let node = state.nodes.get(&assignment.node)?;
                Some(RouteReply {
                    assigned: true,
                    node: Some(assignment.node.0.clone().into()),
                    address: node.address.clone(),
                    generation: Some(assignment.generation.0.into()),
                })
            })
            .await?;
        Ok(Response::new(reply.unwrap_or_default()))
    }

    async fn status(
        &self,
        _request: Request<StatusRequest>,
    ) -> Result<Response<StatusReply>, Status> {
        Ok(Response::new(self.node.status().into()))
    }

    async fn change_membership(
        &self,
        request: Request<proto::MembershipChange>,
    ) -> Result<Response<StatusReply>, Status> {
        let forwarded = request.metadata().contains_key(FORWARDED_HEADER);
        let change = MembershipChange::try_from(request.into_inner())?;
        if forwarded {
            self.node.change_membership_locally(change).await
        } else {
            self.node.change_membership(change).await
        }?;
        Ok(Response::new(self.node.status().into()))
    }
}

impl From<ClusterStatus> for StatusReply {
    fn from(status: ClusterStatus) -> Self {
        StatusReply {
            node: Some(status.node.into()),
            leader: status.leader.map(Into::into),
            term: status.term,
            last_log_index: status.last_log_index.unwrap_or_default(),
            last_applied: status.last_applied.unwrap_or_default(),
            members: status
                .members
                .into_iter()
                .map(|member| proto::RaftMember {
                    id: Some(member.id.into()),
                    address: member.address,
                    voter: member.voter,
                })
                .collect(),
            state: status.state,
            address: status.address,
        }
    }
}
