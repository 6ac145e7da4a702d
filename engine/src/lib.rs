//! Snowflake SQL on DuckDB.
//!
//! An [`Instance`] is one Snowflake account; a [`Session`] runs statements on it. Each
//! statement is parsed with sqlparser's Snowflake dialect, rewritten for DuckDB
//! (`rewrite`), run by its handler (`statements`), and its result typed back into
//! Snowflake's type system (`convert`, `result`). Errors carry Snowflake's codes (`error`).

mod arrow_cells;
mod binds;
// Parsing, rewriting, types and errors live in `translate` (no DuckDB there).
pub use translate::{error, query_history, rewrite, types};
mod commands;
mod convert;
mod database;
mod declared_types;
mod duckdb_errors;
pub mod format;
mod identifier_binds;
mod instance;
mod metadata;
pub mod recent_results;
mod request;
pub mod result;
mod session;
pub mod session_parameters;
mod stages;
mod statements;
mod stream;
mod text_casts;
mod udf;

pub use binds::BindRow;
/// The DuckDB crate the engine runs on, for benchmarks that compare against raw DuckDB.
pub use duckdb;
/// Cancels a running statement from another thread (see `Session::interrupt_handle`).
pub use duckdb::InterruptHandle;
pub use error::{SfError, SfResult};
pub use instance::Instance;
pub use result::{Cell, Column, QueryResult, StatementKind};
pub use session::{Session, SessionState};
pub use stages::{FileTransfer, TransferDirection};
pub use statements::describe::Description;
pub use stream::{RowSink, Streaming};
pub use types::SfType;

pub use translate::SNOWFLAKE_VERSION;
