//! The openraft type configuration: what the log carries and what applying it returns.

use crate::command::{Command, Outcome};
// The macro names `Cursor` for the default snapshot data type.
use std::io::Cursor;

pub type NodeId = u64;
pub type Node = openraft::BasicNode;

openraft::declare_raft_types!(
    /// Mockhaus' control-plane log: `Command`s in, `Outcome`s out, nodes addressed by URL.
    pub TypeConfig:
        D = Command,
        R = Outcome,
);

pub type Raft = openraft::Raft<TypeConfig>;
pub type LogId = openraft::LogId<NodeId>;
pub type Vote = openraft::Vote<NodeId>;
pub type Entry = openraft::Entry<TypeConfig>;
pub type StorageError = openraft::StorageError<NodeId>;
pub type StoredMembership = openraft::StoredMembership<NodeId, Node>;
pub type SnapshotMeta = openraft::SnapshotMeta<NodeId, Node>;
pub type Snapshot = openraft::Snapshot<TypeConfig>;
