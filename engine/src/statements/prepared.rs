//! Statements already checked and rewritten, kept per session by their text and everything the
//! rewrite depended on, so a repeated query or DML statement skips parsing and rewriting.
//! Any DDL of the account (a new catalog generation) makes every cached entry stale.

use std::collections::HashMap;

use super::QualifiedName;
use crate::result::StatementKind;
use crate::session::SessionState;

/// A statement ready for DuckDB.
#[derive(Clone)]
pub(crate) enum Prepared {
    Select {
        duckdb_sql: String,
        tables: Vec<QualifiedName>,
    },
    Dml {
        duckdb_sql: String,
        kind: StatementKind,
        /// The table it writes, whose LAST_ALTERED moves when it runs.
        target: Option<QualifiedName>,
    },
}

/// What a cached rewrite depends on besides the text: the session context the rewrite
/// inlines (CURRENT_DATABASE() and friends, name resolution) and the catalog generation.
#[derive(Clone, PartialEq, Eq, Hash)]
pub(crate) struct CacheKey {
    sql: String,
    database: Option<String>,
    schema: Option<String>,
    warehouse: Option<String>,
    role: String,
    user: String,
    /// The rewrite inlines variable values, so a changed variable is a different statement.
    variables: Vec<(String, String)>,
    /// The rewrite applies the session's time zone (`session_zone`).
    time_zone: Option<String>,
    generation: u64,
    /// For a text that may call LAST_QUERY_ID: how many queries the session had run.
    queries_run: Option<usize>,
}

impl CacheKey {
    pub fn new(
        sql: &str,
        state: &SessionState,
        generation: u64,
        queries_run: Option<usize>,
    ) -> Self {
        Self {
            sql: sql.to_string(),
            database: state.database.clone(),
            schema: state.schema.clone(),
            warehouse: state.warehouse.clone(),
            role: state.role.clone(),
            user: state.user.clone(),
            variables: state
                .variables
                .iter()
                .map(|(name, v)| (name.clone(), v.literal.clone()))
                .collect(),
            time_zone: state.time_zone().map(str::to_owned),
            generation,
            queries_run,
        }
    }
}

/// Entries are few and small; when the cache is full it starts over.
const CAPACITY: usize = 256;

#[derive(Default)]
pub(crate) struct StatementCache {
    entries: HashMap<CacheKey, Prepared>,
}

impl StatementCache {
    pub fn get(&self, key: &CacheKey) -> Option<Prepared> {
        self.entries.get(key).cloned()
    }

    pub fn insert(&mut self, key: CacheKey, prepared: Prepared) {
        if self.entries.len() >= CAPACITY {
            self.entries.clear();
        }
        self.entries.insert(key, prepared);
    }
}
