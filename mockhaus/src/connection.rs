//! `mockhaus::connect`: one connection, in memory or to a server, with one `execute`.

use std::ops::Index;
use std::sync::Arc;

use engine::{Cell, Column, Instance, QueryResult, Session};

use crate::remote::RemoteSession;
use crate::Result;

/// Where a connection's data lives.
#[derive(Debug, Clone)]
pub enum Mode {
    /// An isolated account in this process; its data vanishes with the connection.
    Memory,
    /// A running `mockhaus serve`, through its REST API (e.g. `http://127.0.0.1:8080`).
    Server {
        url: String,
        account: Option<String>,
    },
}

enum Backend {
    Memory(Box<Session>),
    Remote(RemoteSession),
}

/// A connection: statements run one at a time, in order, in one session.
pub struct Connection {
    backend: Backend,
}

/// The database and schema a memory connection starts in.
pub const MEMORY_DATABASE: &str = "MOCKHAUS";

/// Opens a connection.
pub fn connect(mode: Mode) -> Result<Connection> {
    let backend = match mode {
        Mode::Memory => {
            let instance = Instance::open_memory("MEMORY")?;
            let mut session = instance.session("MOCKHAUS")?;
            session.execute(&format!("CREATE DATABASE {MEMORY_DATABASE}"))?;
            Backend::Memory(Box::new(session))
        }
        Mode::Server { url, account } => {
            Backend::Remote(RemoteSession::open(&url, account.as_deref())?)
        }
    };
    Ok(Connection { backend })
}

impl Connection {
    /// Runs one statement and returns its rows (DDL and DML return their status rows).
    pub fn execute(&mut self, sql: &str) -> Result<Rows> {
        let (result, time_zone) = match &mut self.backend {
            Backend::Memory(session) => {
                let result = session.execute(sql)?;
                (result, session.state().time_zone().map(String::from))
            }
            // The REST API sends TIMESTAMP_LTZ values as text already.
            Backend::Remote(remote) => (remote.execute(sql)?, None),
        };
        let mut rows = Rows::from(result);
        rows.time_zone = time_zone;
        Ok(rows)
    }
}

/// The rows of one result, with their columns.
#[derive(Debug, Clone)]
pub struct Rows {
    columns: Arc<Vec<Column>>,
    rows: Vec<Row>,
    /// The session's TIMEZONE after the statement (None: UTC), to show TIMESTAMP_LTZ values in.
    time_zone: Option<String>,
}

impl From<QueryResult> for Rows {
    fn from(result: QueryResult) -> Self {
        let columns = Arc::new(result.columns);
        let rows = result
            .rows
            .into_iter()
            .map(|cells| Row {
                columns: columns.clone(),
                cells,
            })
            .collect();
        Rows {
            columns,
            rows,
            time_zone: None,
        }
    }
}

impl Rows {
    pub fn columns(&self) -> &[Column] {
        &self.columns
    }

    pub fn len(&self) -> usize {
        self.rows.len()
    }

    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    pub fn iter(&self) -> std::slice::Iter<'_, Row> {
        self.rows.iter()
    }

    /// The text a person sees for one of these rows' cells: Snowflake's default output
    /// formats, TIMESTAMP_LTZ in the session's TIMEZONE.
    pub fn display(&self, cell: &Cell) -> String {
        engine::format::display_in_zone(cell, self.time_zone.as_deref())
            .unwrap_or_else(|| "NULL".to_string())
    }
}

impl Index<usize> for Rows {
    type Output = Row;
    fn index(&self, index: usize) -> &Row {
        &self.rows[index]
    }
}

impl<'a> IntoIterator for &'a Rows {
    type Item = &'a Row;
    type IntoIter = std::slice::Iter<'a, Row>;
    fn into_iter(self) -> Self::IntoIter {
        self.rows.iter()
    }
}

/// One row; cells are found by position or by column name.
#[derive(Debug, Clone)]
pub struct Row {
    columns: Arc<Vec<Column>>,
    cells: Vec<Cell>,
}

/// A column position or a column name (exact first, then case-insensitive).
pub trait ColumnKey {
    fn position(&self, columns: &[Column]) -> Option<usize>;
}

impl ColumnKey for usize {
    fn position(&self, columns: &[Column]) -> Option<usize> {
        (*self < columns.len()).then_some(*self)
    }
}

impl ColumnKey for &str {
    fn position(&self, columns: &[Column]) -> Option<usize> {
        columns.iter().position(|c| c.name == *self).or_else(|| {
            columns
                .iter()
                .position(|c| c.name.eq_ignore_ascii_case(self))
        })
    }
}

impl Row {
    pub fn get(&self, key: impl ColumnKey) -> Option<&Cell> {
        key.position(&self.columns).map(|i| &self.cells[i])
    }

    pub fn cells(&self) -> &[Cell] {
        &self.cells
    }
}
