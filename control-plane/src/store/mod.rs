//! Durable Raft storage in one redb file (pure Rust, every commit fsynced before it returns).
//!
//! - `log`: the Raft log, the vote and the committed position;
//! - `state_machine`: the applied state, kept in memory, and its latest snapshot on disk. After a
//!   restart the state machine starts from that snapshot and openraft re-applies the committed
//!   log entries after it, so no applied state needs its own write per entry.

// openraft's storage traits return its `StorageError` by value, and redb's errors are as large;
// boxing them here would only be undone at the trait boundary.
#![allow(clippy::result_large_err)]

mod log;
mod state_machine;

pub use log::LogStore;
pub use state_machine::{AppliedState, StateMachineStore};

use crate::types::StorageError;
use openraft::{AnyError, ErrorSubject, ErrorVerb, StorageIOError};
use redb::{Database, TableDefinition};
use std::path::Path;
use std::sync::Arc;

/// Log entries by index, each an openraft `Entry` as JSON.
const LOGS: TableDefinition<u64, &[u8]> = TableDefinition::new("raft_log");
/// The vote, the committed log id and the last purged log id, as JSON.
const META: TableDefinition<&str, &[u8]> = TableDefinition::new("raft_meta");
/// The latest snapshot: its metadata and its data.
const SNAPSHOT: TableDefinition<&str, &[u8]> = TableDefinition::new("raft_snapshot");

/// Opens (or creates) the store under `dir` and returns its two halves.
pub async fn open(dir: &Path) -> Result<(LogStore, StateMachineStore), StorageError> {
    std::fs::create_dir_all(dir).map_err(|e| io_error(ErrorVerb::Write, &e))?;
    let path = dir.join("raft.redb");
    let db = blocking(move || Database::create(&path).map_err(|e| io_error(ErrorVerb::Write, &e)))
        .await?;
    let db = Arc::new(db);
    let log = LogStore::new(db.clone());
    let state_machine = StateMachineStore::load(db).await?;
    Ok((log, state_machine))
}

impl LogStore {
    /// Tells when every handle on the database is gone (the file lock released), so the same
    /// directory can be opened again in this process.
    pub fn closed_signal(&self) -> ClosedSignal {
        ClosedSignal(Arc::downgrade(&self.db))
    }
}

pub struct ClosedSignal(std::sync::Weak<Database>);

impl ClosedSignal {
    /// Waits until the database is closed or `timeout` passes; false on timeout. openraft's
    /// storage tasks drop their handles shortly after `Raft::shutdown` returns.
    pub async fn wait(&self, timeout: std::time::Duration) -> bool {
        let deadline = std::time::Instant::now() + timeout;
        while self.0.strong_count() > 0 {
            if std::time::Instant::now() > deadline {
                return false;
            }
            tokio::time::sleep(std::time::Duration::from_millis(5)).await;
        }
        true
    }
}

/// Runs blocking disk work (redb commits fsync) off the async worker threads.
async fn blocking<T: Send + 'static>(
    work: impl FnOnce() -> Result<T, StorageError> + Send + 'static,
) -> Result<T, StorageError> {
    tokio::task::spawn_blocking(work)
        .await
        .map_err(|e| io_error(ErrorVerb::Read, &e))?
}

fn io_error(verb: ErrorVerb, error: &(impl std::error::Error + 'static)) -> StorageError {
    StorageIOError::new(ErrorSubject::Store, verb, AnyError::new(error)).into()
}

fn to_json(value: &impl serde::Serialize) -> Result<Vec<u8>, StorageError> {
    serde_json::to_vec(value).map_err(|e| io_error(ErrorVerb::Write, &e))
}

fn from_json<T: serde::de::DeserializeOwned>(bytes: &[u8]) -> Result<T, StorageError> {
    serde_json::from_slice(bytes).map_err(|e| io_error(ErrorVerb::Read, &e))
}
