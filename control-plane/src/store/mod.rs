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
    let (closed, _) = tokio::sync::watch::channel(false);
    let db = Arc::new(OpenDatabase {
        db: Some(db),
        closed,
    });
    let log = LogStore::new(db.clone());
    let state_machine = StateMachineStore::load(db).await?;
    Ok((log, state_machine))
}

/// The database, which announces when it has been closed: redb holds a file lock until its
/// `Database` is dropped, and the last `Arc` may be dropped on any of openraft's tasks.
pub(crate) struct OpenDatabase {
    db: Option<Database>,
    closed: tokio::sync::watch::Sender<bool>,
}

impl std::ops::Deref for OpenDatabase {
    type Target = Database;

    fn deref(&self) -> &Database {
        self.db.as_ref().expect("present until dropped")
    }
}

impl Drop for OpenDatabase {
    fn drop(&mut self) {
        // Close first (releasing the file lock), then tell whoever waits to reopen it.
        drop(self.db.take());
        self.closed.send_replace(true);
    }
}

impl LogStore {
    /// Tells when the database is closed (its file lock released), so that the same directory
    /// can be opened again in this process.
    pub fn closed_signal(&self) -> ClosedSignal {
        ClosedSignal(self.db.closed.subscribe())
    }
}

pub struct ClosedSignal(tokio::sync::watch::Receiver<bool>);

impl ClosedSignal {
    /// Waits until the database is closed or `timeout` passes; false on timeout. openraft's
    /// storage tasks drop their handles shortly after `Raft::shutdown` returns.
    pub async fn wait(&mut self, timeout: std::time::Duration) -> bool {
        let closed = self.0.wait_for(|closed| *closed);
        matches!(tokio::time::timeout(timeout, closed).await, Ok(Ok(_)))
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
