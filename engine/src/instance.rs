//! An instance is one Snowflake account: one DuckDB database (in memory for now) holding
//! every Snowflake database of the account as its own DuckDB catalog. Sessions open their
//! own DuckDB connections on it, so they share data but not session state.

use std::sync::Arc;

use duckdb::Connection;
use parking_lot::Mutex;

use crate::database::RawDatabase;
use crate::duckdb_errors;
use crate::error::{SfError, SfResult};
use crate::session::Session;

/// DuckDB's own catalog of an in-memory database; it holds no tenant objects, and a
/// session with no current database points at it.
pub const DEFAULT_CATALOG: &str = "memory";

pub(crate) struct InstanceShared {
    pub account: String,
    /// Declared column types DuckDB's storage cannot tell apart (see `declared_types.rs`).
    pub declared: crate::declared_types::DeclaredTypes,
    /// When the account opened (ms since the epoch): the creation time SHOW reports for
    /// objects whose own creation time is not recorded (databases, schemas).
    pub created_on_ms: i64,
    /// Recent results by query id, for RESULT_SCAN inside a larger query.
    pub recent_results: Arc<crate::recent_results::RecentResults>,
    /// When tables' rows last changed (INFORMATION_SCHEMA.TABLES' LAST_ALTERED).
    pub last_altered: crate::metadata::last_altered::LastAltered,
    /// Named stages, and the directory staged files live in.
    pub stages: crate::stages::Stages,
    /// The connection sessions are cloned from.
    root: Mutex<Connection>,
    /// The database itself; last, so it is closed after `root`.
    _database: RawDatabase,
}

/// One account's data. Cheap to clone; the data lives until the last clone and session go.
#[derive(Clone)]
pub struct Instance {
    shared: Arc<InstanceShared>,
}

impl Instance {
    /// A fresh, empty, in-memory account. Tenant SQL can never reach the host from it:
    /// external access is off (but for the account's own stage directory, which COPY INTO
    /// reads), extensions cannot be installed or loaded, and the configuration is locked
    /// before any tenant statement runs.
    pub fn open_memory(account: &str) -> SfResult<Instance> {
        let area = crate::stages::StageArea::create(account)?;
        let database = RawDatabase::open_memory(LOCKED_DOWN_SETTINGS).map_err(SfError::internal)?;
        database
            .with_raw_connection(crate::text_casts::register)
            .map_err(SfError::internal)?;
        let conn = database
            .connect()
            .map_err(|e| duckdb_errors::translate(&e))?;
        // DuckDB takes allowed_directories only while external access is still on.
        let stage_dir = format!("{}/", area.root().display()).replace('\'', "''");
        conn.execute_batch(&format!(
            "SET allowed_directories = ['{stage_dir}']; SET enable_external_access = false; \
             SET lock_configuration = true"
        ))
        .map_err(|e| duckdb_errors::translate(&e))?;
        crate::udf::register(&conn).map_err(|e| duckdb_errors::translate(&e))?;
        let shared = InstanceShared {
            account: account.to_uppercase(),
            declared: Default::default(),
            created_on_ms: chrono::Utc::now().timestamp_millis(),
            recent_results: Arc::default(),
            last_altered: Default::default(),
            stages: crate::stages::Stages::new(area),
            root: Mutex::new(conn),
            _database: database,
        };
        Ok(Instance {
            shared: Arc::new(shared),
        })
    }

    pub fn account(&self) -> &str {
        &self.shared.account
    }

    /// A new session for `user` with no current database.
    pub fn session(&self, user: &str) -> SfResult<Session> {
        let conn = self
            .shared
            .root
            .lock()
            .try_clone()
            .map_err(|e| duckdb_errors::translate(&e))?;
        Ok(Session::new(conn, self.shared.clone(), user))
    }
}

/// Extensions can be neither installed nor loaded (external access is turned off after
/// the stage directory is allowed, in `open_memory`).
const LOCKED_DOWN_SETTINGS: &[(&str, &str)] = &[
    ("autoinstall_known_extensions", "false"),
    ("autoload_known_extensions", "false"),
    ("allow_community_extensions", "false"),
    // Snowflake sorts NULL as the largest value: last ascending, first descending.
    ("default_null_order", "nulls_last_on_asc_first_on_desc"),
    ("threads", "2"),
];
