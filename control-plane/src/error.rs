//! The control plane's errors, and how they cross gRPC.

use crate::command::Refusal;
use crate::types::NodeId;

#[derive(Debug, thiserror::Error)]
pub enum ControlError {
    /// The command was committed and refused by the state machine.
    #[error("{0}")]
    Refused(#[from] Refusal),
    #[error("no leader is known yet (an election may be in progress); retry")]
    NoLeader,
    #[error("node {leader} at {address} is the leader")]
    NotLeader { leader: NodeId, address: String },
    #[error("the cluster is not initialized")]
    NotInitialized,
    #[error("bad request: {0}")]
    BadRequest(String),
    #[error("storage: {0}")]
    Storage(String),
    #[error("raft: {0}")]
    Raft(String),
    #[error("peer unreachable: {0}")]
    Unreachable(String),
    #[error("the node is shutting down")]
    ShuttingDown,
}

impl ControlError {
    /// Worth retrying later: leadership may settle.
    pub fn is_transient(&self) -> bool {
        matches!(
            self,
            ControlError::NoLeader | ControlError::NotLeader { .. } | ControlError::Unreachable(_)
        )
    }
}

impl From<ControlError> for tonic::Status {
    fn from(error: ControlError) -> Self {
        let message = error.to_string();
        match error {
            ControlError::Refused(
                Refusal::TenantExists(_) | Refusal::UserExists(_) | Refusal::RoleExists(_),
            ) => tonic::Status::already_exists(message),
            ControlError::Refused(_) => tonic::Status::not_found(message),
            ControlError::BadRequest(_) => tonic::Status::invalid_argument(message),
            ControlError::NoLeader
            | ControlError::NotLeader { .. }
            | ControlError::Unreachable(_) => tonic::Status::unavailable(message),
            ControlError::NotInitialized => tonic::Status::failed_precondition(message),
            ControlError::ShuttingDown => tonic::Status::unavailable(message),
            ControlError::Storage(_) | ControlError::Raft(_) => tonic::Status::internal(message),
        }
    }
}
