//! Mockhaus: Snowflake SQL on DuckDB, for tests, CI and teams.
//!
//! The facade gives Rust programs a connection in **memory mode** (an isolated, ephemeral
//! account in this process) or to a running **server** (its REST API):
//!
//! ```
//! let mut conn = mockhaus::connect(mockhaus::Mode::Memory)?;
//! conn.execute("create table users (id int, name varchar)")?;
//! conn.execute("insert into users values (1, 'Alice')")?;
//! let rows = conn.execute("select * from users where id = 1")?;
//! assert_eq!(rows.len(), 1);
//! assert_eq!(rows[0].get("NAME").and_then(|c| c.as_str()), Some("Alice"));
//! assert_eq!(rows[0].get(0).and_then(|c| c.as_i64()), Some(1));
//! # Ok::<(), mockhaus::Error>(())
//! ```
//!
//! A memory connection starts with a current database `MOCKHAUS` and schema `PUBLIC`, so
//! tables can be created straight away; its data vanishes when the connection is dropped.

mod connection;
mod remote;

pub use connection::{connect, Connection, Mode, Row, Rows};
pub use engine::{Cell, Column, SfError, SfType};

/// What can go wrong talking to Mockhaus.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The statement failed, with Snowflake's code, SQL state and message.
    #[error(transparent)]
    Sql(#[from] SfError),
    /// The server could not be reached or answered something unexpected.
    #[error("mockhaus server: {0}")]
    Transport(String),
}

pub type Result<T> = std::result::Result<T, Error>;
