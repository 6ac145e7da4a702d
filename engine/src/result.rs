//! Typed results in Snowflake's type system: what a statement returns, before any wire encoding.

use crate::types::SfType;

/// One result column: its Snowflake name and type.
#[derive(Debug, Clone, PartialEq)]
pub struct Column {
    pub name: String,
    pub sf_type: SfType,
    pub nullable: bool,
}

impl Column {
    pub fn new(name: impl Into<String>, sf_type: SfType) -> Self {
        Self {
            name: name.into(),
            sf_type,
            nullable: true,
        }
    }
}

/// One cell. Temporal values are kept as Snowflake's wire protocol counts them.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Null,
    Boolean(bool),
    /// An exact number: `value` × 10^-`scale`.
    Decimal {
        value: i128,
        scale: u8,
    },
    Float(f64),
    Text(String),
    Binary(Vec<u8>),
    /// Days since 1970-01-01.
    Date(i32),
    /// Nanoseconds since midnight.
    Time(i64),
    /// Nanoseconds since the epoch of the wall-clock time read as UTC.
    TimestampNtz(i64),
    /// Nanoseconds since the epoch (a true instant).
    TimestampLtz(i64),
    /// Nanoseconds since the epoch (instant) and the offset in minutes it was written with.
    TimestampTz {
        epoch_nanos: i64,
        offset_minutes: i32,
    },
    /// Semi-structured value as JSON text.
    Json(String),
}

/// What kind of statement ran; the wire protocol reports it as `statementTypeId`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StatementKind {
    Select,
    Insert,
    Update,
    Delete,
    Merge,
    Ddl,
    Use,
    AlterSession,
    Show,
    Describe,
    Transaction,
    Other,
}

impl StatementKind {
    /// Snowflake's numeric statement type id (see the protocol reference §3.6).
    pub fn type_id(&self) -> u32 {
        match self {
            StatementKind::Select => 0x1000,
            StatementKind::Insert => 0x3100,
            StatementKind::Update => 0x3200,
            StatementKind::Delete => 0x3300,
            StatementKind::Merge => 0x3400,
            StatementKind::AlterSession => 0x4100,
            StatementKind::Use => 0x4300,
            StatementKind::Show => 0x4400,
            StatementKind::Describe => 0x4500,
            StatementKind::Transaction => 0x5000,
            StatementKind::Ddl => 0x6000,
            StatementKind::Other => 0x1000,
        }
    }

    pub fn is_dml(&self) -> bool {
        matches!(
            self,
            StatementKind::Insert
                | StatementKind::Update
                | StatementKind::Delete
                | StatementKind::Merge
        )
    }
}

/// The full result of one statement.
#[derive(Debug, Clone, PartialEq)]
pub struct QueryResult {
    pub kind: StatementKind,
    pub columns: Vec<Column>,
    pub rows: Vec<Vec<Cell>>,
}

impl QueryResult {
    /// A one-row `status` result, the way Snowflake answers DDL and session statements.
    pub fn status(kind: StatementKind, message: impl Into<String>) -> Self {
        Self {
            kind,
            columns: vec![Column {
                name: "status".into(),
                sf_type: SfType::TEXT,
                nullable: false,
            }],
            rows: vec![vec![Cell::Text(message.into())]],
        }
    }

    /// The parent result of a multi-statement request, as Snowflake answers it.
    pub fn multi_statement_summary() -> Self {
        Self {
            kind: StatementKind::Select,
            columns: vec![Column {
                name: "multiple statement execution".into(),
                sf_type: SfType::TEXT,
                nullable: false,
            }],
            rows: vec![vec![Cell::Text(
                "Multiple statements executed successfully.".into(),
            )]],
        }
    }

    /// DML counts: one row, one column per count, named as Snowflake names them.
    pub fn counts(kind: StatementKind, counts: &[(&str, i64)]) -> Self {
        let columns = counts
            .iter()
            .map(|(name, _)| Column {
                name: (*name).into(),
                sf_type: SfType::Fixed {
                    precision: 19,
                    scale: 0,
                },
                nullable: false,
            })
            .collect();
        let row = counts
            .iter()
            .map(|(_, n)| Cell::Decimal {
                value: *n as i128,
                scale: 0,
            })
            .collect();
        Self {
            kind,
            columns,
            rows: vec![row],
        }
    }

    /// Position of a column by name: exact match first, then case-insensitive.
    pub fn column_index(&self, name: &str) -> Option<usize> {
        self.columns
            .iter()
            .position(|c| c.name == name)
            .or_else(|| {
                self.columns
                    .iter()
                    .position(|c| c.name.eq_ignore_ascii_case(name))
            })
    }
}

impl Cell {
    pub fn is_null(&self) -> bool {
        matches!(self, Cell::Null)
    }

    /// The text of a string (or semi-structured JSON) cell.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Cell::Text(s) | Cell::Json(s) => Some(s),
            _ => None,
        }
    }

    /// An exact integer (a NUMBER with scale 0, or a larger scale with no fraction).
    pub fn as_i64(&self) -> Option<i64> {
        match *self {
            Cell::Decimal { value, scale } => {
                let divisor = 10i128.checked_pow(scale as u32)?;
                (value % divisor == 0)
                    .then(|| i64::try_from(value / divisor).ok())
                    .flatten()
            }
            _ => None,
        }
    }

    pub fn as_f64(&self) -> Option<f64> {
        match *self {
            Cell::Float(f) => Some(f),
            Cell::Decimal { value, scale } => Some(value as f64 / 10f64.powi(scale as i32)),
            _ => None,
        }
    }

    pub fn as_bool(&self) -> Option<bool> {
        match *self {
            Cell::Boolean(b) => Some(b),
            _ => None,
        }
    }
}

/// The text a person sees (`NULL` for SQL NULL).
impl std::fmt::Display for Cell {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(crate::format::display(self).as_deref().unwrap_or("NULL"))
    }
}
