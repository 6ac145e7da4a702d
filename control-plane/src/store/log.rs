//! The Raft log store (openraft's `RaftLogStorage`) on redb.

use super::{blocking, from_json, io_error, to_json, LOGS, META};
use crate::types::{Entry, LogId, StorageError, TypeConfig, Vote};
use openraft::storage::{LogFlushed, RaftLogStorage};
use openraft::{ErrorVerb, LogState, OptionalSend, RaftLogId, RaftLogReader};
use redb::{Database, ReadableDatabase, ReadableTable};
use std::fmt::Debug;
use std::ops::{Bound, RangeBounds};
use std::sync::Arc;

const VOTE: &str = "vote";
const COMMITTED: &str = "committed";
const LAST_PURGED: &str = "last_purged";

/// Cheap to clone: every clone reads and writes the same database.
#[derive(Clone)]
pub struct LogStore {
    pub(super) db: Arc<super::OpenDatabase>,
}

impl LogStore {
    pub(super) fn new(db: Arc<super::OpenDatabase>) -> Self {
        Self { db }
    }

    async fn read_meta<T>(&self, key: &'static str) -> Result<Option<T>, StorageError>
    where
        T: serde::de::DeserializeOwned + Send + 'static,
    {
        let db = self.db.clone();
        blocking(move || {
            let read = |db: &Database| -> Result<Option<Vec<u8>>, redb::Error> {
                let txn = db.begin_read()?;
                let table = match txn.open_table(META) {
                    Ok(table) => table,
                    Err(redb::TableError::TableDoesNotExist(_)) => return Ok(None),
                    Err(e) => return Err(e.into()),
                };
                Ok(table.get(key)?.map(|value| value.value().to_vec()))
            };
            let bytes = read(&db).map_err(|e| io_error(ErrorVerb::Read, &e))?;
            bytes.map(|bytes| from_json(&bytes)).transpose()
        })
        .await
    }

    async fn write_meta(
        &self,
        key: &'static str,
        value: &impl serde::Serialize,
    ) -> Result<(), StorageError> {
        let bytes = to_json(value)?;
        let db = self.db.clone();
        blocking(move || {
            let write = || -> Result<(), redb::Error> {
                let txn = db.begin_write()?;
                txn.open_table(META)?.insert(key, bytes.as_slice())?;
                txn.commit()?;
                Ok(())
            };
            write().map_err(|e| io_error(ErrorVerb::Write, &e))
        })
        .await
    }

    /// Deletes the entries whose index lies in `range`, and records `purged` if given, in one commit.
    async fn delete(
        &self,
        range: (Bound<u64>, Bound<u64>),
        purged: Option<LogId>,
    ) -> Result<(), StorageError> {
        let purged = purged.map(|log_id| to_json(&log_id)).transpose()?;
        let db = self.db.clone();
        blocking(move || {
            let write = || -> Result<(), redb::Error> {
                let txn = db.begin_write()?;
                {
                    let mut logs = txn.open_table(LOGS)?;
                    logs.retain_in(range, |_, _| false)?;
                    if let Some(purged) = &purged {
                        txn.open_table(META)?
                            .insert(LAST_PURGED, purged.as_slice())?;
                    }
                }
                txn.commit()?;
                Ok(())
            };
            write().map_err(|e| io_error(ErrorVerb::Delete, &e))
        })
        .await
    }
}

impl RaftLogReader<TypeConfig> for LogStore {
    async fn try_get_log_entries<RB: RangeBounds<u64> + Clone + Debug + OptionalSend>(
        &mut self,
        range: RB,
    ) -> Result<Vec<Entry>, StorageError> {
        let bounds = (range.start_bound().cloned(), range.end_bound().cloned());
        let db = self.db.clone();
        blocking(move || {
            let read = || -> Result<Vec<Vec<u8>>, redb::Error> {
                let txn = db.begin_read()?;
                let logs = match txn.open_table(LOGS) {
                    Ok(logs) => logs,
                    Err(redb::TableError::TableDoesNotExist(_)) => return Ok(Vec::new()),
                    Err(e) => return Err(e.into()),
                };
                let mut entries = Vec::new();
                for item in logs.range(bounds)? {
                    let (_, value) = item?;
                    entries.push(value.value().to_vec());
                }
                Ok(entries)
            };
            let raw = read().map_err(|e| io_error(ErrorVerb::Read, &e))?;
            raw.iter().map(|bytes| from_json(bytes)).collect()
        })
        .await
    }
}

impl RaftLogStorage<TypeConfig> for LogStore {
    type LogReader = LogStore;

    async fn get_log_state(&mut self) -> Result<LogState<TypeConfig>, StorageError> {
        let last_purged_log_id: Option<LogId> = self.read_meta(LAST_PURGED).await?;
        let db = self.db.clone();
        let last_entry = blocking(move || {
            let read = || -> Result<Option<Vec<u8>>, redb::Error> {
                let txn = db.begin_read()?;
                let logs = match txn.open_table(LOGS) {
                    Ok(logs) => logs,
                    Err(redb::TableError::TableDoesNotExist(_)) => return Ok(None),
                    Err(e) => return Err(e.into()),
                };
                let last = logs.last()?.map(|(_, value)| value.value().to_vec());
                Ok(last)
            };
            read().map_err(|e| io_error(ErrorVerb::Read, &e))
        })
        .await?;
        let last_log_id = match last_entry {
            Some(bytes) => Some(*from_json::<Entry>(&bytes)?.get_log_id()),
            None => last_purged_log_id,
        };
        Ok(LogState {
            last_purged_log_id,
            last_log_id,
        })
    }

    async fn get_log_reader(&mut self) -> Self::LogReader {
        self.clone()
    }

    async fn save_vote(&mut self, vote: &Vote) -> Result<(), StorageError> {
        self.write_meta(VOTE, vote).await
    }

    async fn read_vote(&mut self) -> Result<Option<Vote>, StorageError> {
        self.read_meta(VOTE).await
    }

    async fn save_committed(&mut self, committed: Option<LogId>) -> Result<(), StorageError> {
        self.write_meta(COMMITTED, &committed).await
    }

    async fn read_committed(&mut self) -> Result<Option<LogId>, StorageError> {
        Ok(self.read_meta::<Option<LogId>>(COMMITTED).await?.flatten())
    }

    async fn append<I>(
        &mut self,
        entries: I,
        callback: LogFlushed<TypeConfig>,
    ) -> Result<(), StorageError>
    where
        I: IntoIterator<Item = Entry> + OptionalSend,
        I::IntoIter: OptionalSend,
    {
        let encoded = entries
            .into_iter()
            .map(|entry| Ok((entry.get_log_id().index, to_json(&entry)?)))
            .collect::<Result<Vec<_>, StorageError>>()?;
        let db = self.db.clone();
        let result = blocking(move || {
            let write = || -> Result<(), redb::Error> {
                let txn = db.begin_write()?;
                {
                    let mut logs = txn.open_table(LOGS)?;
                    for (index, bytes) in &encoded {
                        logs.insert(index, bytes.as_slice())?;
                    }
                }
                // Durability::Immediate (redb's default): the commit returns once fsynced.
                txn.commit()?;
                Ok(())
            };
            write().map_err(|e| io_error(ErrorVerb::Write, &e))
        })
        .await;
        // openraft acknowledges entries to the leader only after this callback.
        match &result {
            Ok(()) => callback.log_io_completed(Ok(())),
            Err(e) => callback.log_io_completed(Err(std::io::Error::other(e.to_string()))),
        }
        result
    }

    async fn truncate(&mut self, log_id: LogId) -> Result<(), StorageError> {
        self.delete((Bound::Included(log_id.index), Bound::Unbounded), None)
            .await
    }

    async fn purge(&mut self, log_id: LogId) -> Result<(), StorageError> {
        self.delete(
            (Bound::Unbounded, Bound::Included(log_id.index)),
            Some(log_id),
        )
        .await
    }
}
