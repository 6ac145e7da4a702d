//! The state machine (openraft's `RaftStateMachine`): the applied `ControlState` in memory and
//! its latest snapshot in redb.

use super::{blocking, from_json, io_error, to_json, SNAPSHOT};
use crate::command::Outcome;
use crate::state::ControlState;
use crate::types::{
    Entry, LogId, Snapshot, SnapshotMeta, StorageError, StoredMembership, TypeConfig,
};
use openraft::storage::RaftStateMachine;
use openraft::{EntryPayload, ErrorVerb, OptionalSend, RaftSnapshotBuilder};
use redb::ReadableDatabase;
use serde::{Deserialize, Serialize};
use std::io::Cursor;
use std::sync::Arc;
use tokio::sync::RwLock;

/// A stored snapshot: its metadata (JSON) and its data.
type SnapshotBytes = (Vec<u8>, Vec<u8>);

const SNAPSHOT_META: &str = "meta";
const SNAPSHOT_DATA: &str = "data";

/// Everything applied so far; what a snapshot holds.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct AppliedState {
    pub last_applied: Option<LogId>,
    pub last_membership: StoredMembership,
    pub state: ControlState,
}

/// Cheap to clone; the node's services read `applied()` to answer queries.
#[derive(Clone)]
pub struct StateMachineStore {
    db: Arc<super::OpenDatabase>,
    applied: Arc<RwLock<AppliedState>>,
    /// Distinguishes snapshots built at the same log position.
    snapshots_built: Arc<std::sync::atomic::AtomicU64>,
}

impl StateMachineStore {
    pub(super) async fn load(db: Arc<super::OpenDatabase>) -> Result<Self, StorageError> {
        let store = Self {
            db,
            applied: Arc::default(),
            snapshots_built: Arc::default(),
        };
        if let Some((meta, data)) = store.read_snapshot().await? {
            *store.applied.write().await = restore(&meta, &data)?;
        }
        Ok(store)
    }

    /// The applied state, for reads served by this node.
    pub fn applied(&self) -> Arc<RwLock<AppliedState>> {
        self.applied.clone()
    }

    async fn read_snapshot(&self) -> Result<Option<(SnapshotMeta, Vec<u8>)>, StorageError> {
        let db = self.db.clone();
        let raw = blocking(move || {
            let read = || -> Result<Option<SnapshotBytes>, redb::Error> {
                let txn = db.begin_read()?;
                let table = match txn.open_table(SNAPSHOT) {
                    Ok(table) => table,
                    Err(redb::TableError::TableDoesNotExist(_)) => return Ok(None),
                    Err(e) => return Err(e.into()),
                };
                let meta = table.get(SNAPSHOT_META)?.map(|v| v.value().to_vec());
                let data = table.get(SNAPSHOT_DATA)?.map(|v| v.value().to_vec());
                Ok(meta.zip(data))
            };
            read().map_err(|e| io_error(ErrorVerb::Read, &e))
        })
        .await?;
        raw.map(|(meta, data)| Ok((from_json(&meta)?, data)))
            .transpose()
    }

    async fn write_snapshot(&self, meta: &SnapshotMeta, data: Vec<u8>) -> Result<(), StorageError> {
        let meta = to_json(meta)?;
        let db = self.db.clone();
        blocking(move || {
            let write = || -> Result<(), redb::Error> {
                let txn = db.begin_write()?;
                {
                    let mut table = txn.open_table(SNAPSHOT)?;
                    table.insert(SNAPSHOT_META, meta.as_slice())?;
                    table.insert(SNAPSHOT_DATA, data.as_slice())?;
                }
                txn.commit()?;
                Ok(())
            };
            write().map_err(|e| io_error(ErrorVerb::Write, &e))
        })
        .await
    }
}

/// A snapshot's data is the serialized `ControlState`; the log position and membership come
/// from its metadata.
fn restore(meta: &SnapshotMeta, data: &[u8]) -> Result<AppliedState, StorageError> {
    Ok(AppliedState {
        last_applied: meta.last_log_id,
        last_membership: meta.last_membership.clone(),
        state: from_json(data)?,
    })
}

impl RaftSnapshotBuilder<TypeConfig> for StateMachineStore {
    async fn build_snapshot(&mut self) -> Result<Snapshot, StorageError> {
        let (meta, data) = {
            let applied = self.applied.read().await;
            let built = self
                .snapshots_built
                .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            let position = applied
                .last_applied
                .map(|log_id| format!("{}-{}", log_id.leader_id, log_id.index))
                .unwrap_or_else(|| "empty".into());
            let meta = SnapshotMeta {
                last_log_id: applied.last_applied,
                last_membership: applied.last_membership.clone(),
                snapshot_id: format!("{position}-{built}"),
            };
            (meta, to_json(&applied.state)?)
        };
        self.write_snapshot(&meta, data.clone()).await?;
        Ok(Snapshot {
            meta,
            snapshot: Box::new(Cursor::new(data)),
        })
    }
}

impl RaftStateMachine<TypeConfig> for StateMachineStore {
    type SnapshotBuilder = Self;

    async fn applied_state(&mut self) -> Result<(Option<LogId>, StoredMembership), StorageError> {
        let applied = self.applied.read().await;
        Ok((applied.last_applied, applied.last_membership.clone()))
    }

    async fn apply<I>(&mut self, entries: I) -> Result<Vec<Outcome>, StorageError>
    where
        I: IntoIterator<Item = Entry> + OptionalSend,
        I::IntoIter: OptionalSend,
    {
        let mut applied = self.applied.write().await;
        let mut outcomes = Vec::new();
        for entry in entries {
            applied.last_applied = Some(entry.log_id);
            let outcome = match entry.payload {
                EntryPayload::Blank => Outcome::Done,
                EntryPayload::Normal(command) => applied.state.apply(&command),
                EntryPayload::Membership(membership) => {
                    applied.last_membership = StoredMembership::new(Some(entry.log_id), membership);
                    Outcome::Done
                }
            };
            outcomes.push(outcome);
        }
        Ok(outcomes)
    }

    async fn get_snapshot_builder(&mut self) -> Self::SnapshotBuilder {
        self.clone()
    }

    async fn begin_receiving_snapshot(&mut self) -> Result<Box<Cursor<Vec<u8>>>, StorageError> {
        Ok(Box::new(Cursor::new(Vec::new())))
    }

    async fn install_snapshot(
        &mut self,
        meta: &SnapshotMeta,
        snapshot: Box<Cursor<Vec<u8>>>,
    ) -> Result<(), StorageError> {
        let data = snapshot.into_inner();
        let restored = restore(meta, &data)?;
        self.write_snapshot(meta, data).await?;
        *self.applied.write().await = restored;
        Ok(())
    }

    async fn get_current_snapshot(&mut self) -> Result<Option<Snapshot>, StorageError> {
        Ok(self.read_snapshot().await?.map(|(meta, data)| Snapshot {
            meta,
            snapshot: Box::new(Cursor::new(data)),
        }))
    }
}
