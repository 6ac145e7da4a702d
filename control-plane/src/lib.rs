//! The Mockhaus control plane: the Raft-replicated (openraft) source of truth for tenants,
//! users, credentials, roles, data nodes and tenant routing.
//!
//! Module map:
//! - `model`, `command`, `state`: the replicated records, the commands that change them and the
//!   deterministic state machine (`ControlState::apply`);
//! - `types`: the openraft type configuration;
//! - `store`: durable log and snapshots on redb;
//! - `network`, `service`: Raft and the control-plane service over gRPC (`proto`);
//! - `node`: a running node (storage + Raft + gRPC server + lease sweeper);
//! - `credentials`, `auth`: password and token hashing, login checks;
//! - `admin`: the REST admin API.

pub mod admin;
pub mod auth;
pub mod command;
pub mod credentials;
pub mod error;
pub mod model;
pub mod network;
pub mod node;
mod service;
pub mod state;
pub mod store;
pub mod types;

pub use command::{Command, Outcome, Refusal};
pub use error::ControlError;
pub use node::{ClusterStatus, Committed, ControlNode, NodeConfig, RaftTiming};
