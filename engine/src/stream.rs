//! Large query results, streamed: a query run with a [`Streaming`] keeps its first batch of
//! rows in the result and hands every further batch to a [`RowSink`] as DuckDB produces it, so
//! no more than one batch of rows is held in memory at once.

use duckdb::arrow::datatypes::Schema;
use duckdb::arrow::record_batch::RecordBatch;

use crate::binds::BindRow;
use crate::error::SfResult;
use crate::result::{Cell, Column};

/// Receives a query's rows past its first batch, batch by batch, in order. A sink may take
/// the whole result as DuckDB's own columnar (Arrow) batches instead: then every batch, the
/// first included, goes to `columnar_batch`, and the result itself holds no rows.
pub trait RowSink {
    fn batch(&mut self, columns: &[Column], rows: Vec<Vec<Cell>>) -> SfResult<()>;

    /// Whether to offer this sink DuckDB's Arrow batches.
    fn wants_columnar(&self) -> bool {
        false
    }

    /// Whether the sink can take these columns as Arrow batches of this schema; if not, the
    /// query runs again row by row.
    fn accepts(&self, _columns: &[Column], _schema: &Schema) -> bool {
        false
    }

    fn columnar_batch(&mut self, _columns: &[Column], _batch: RecordBatch) -> SfResult<()> {
        Err(crate::error::SfError::internal(
            "this result sink takes rows, not columnar batches",
        ))
    }
}

/// How many rows a batch has, and where the batches after the first go.
pub struct Streaming<'a> {
    pub batch_rows: usize,
    /// `'static` (the sink owns what it holds) keeps `Streaming` covariant, so an execution
    /// can be re-run with binds of a shorter life (see `identifier_binds`).
    pub sink: &'a mut (dyn RowSink + 'static),
}

/// What one statement runs with: its bind values and, for a query, an optional stream.
pub(crate) struct Execution<'a> {
    pub binds: &'a [BindRow],
    pub streaming: Option<Streaming<'a>>,
    /// Whether a query should keep a copy of the rows it hands a columnar sink (for
    /// RESULT_SCAN: see `recent_results`).
    pub copy_rows: bool,
    /// Where the query's rows went, set as it runs.
    pub rows_went: RowsWent,
}

impl<'a> Execution<'a> {
    pub fn bound(binds: &'a [BindRow]) -> Self {
        Self {
            binds,
            streaming: None,
            copy_rows: false,
            rows_went: RowsWent::InResult,
        }
    }
}

/// Where a statement's rows went.
#[derive(Debug, Default)]
pub(crate) enum RowsWent {
    /// All of them are in the result.
    #[default]
    InResult,
    /// Past the first batch, to a stream's sink.
    Streamed,
    /// All to a columnar sink; a copy of DuckDB's batches, when asked for and few enough.
    Columnar(Vec<RecordBatch>),
}

/// Collects a query's rows, sending full batches past the first to the stream.
pub(crate) struct RowCollector<'s, 'a> {
    streaming: Option<&'s mut Streaming<'a>>,
    first: Option<Vec<Vec<Cell>>>,
    rows: Vec<Vec<Cell>>,
}

impl<'s, 'a> RowCollector<'s, 'a> {
    pub fn new(streaming: Option<&'s mut Streaming<'a>>) -> Self {
        Self {
            streaming,
            first: None,
            rows: Vec::new(),
        }
    }

    pub fn push(&mut self, columns: &[Column], row: Vec<Cell>) -> SfResult<()> {
        self.rows.push(row);
        let Some(streaming) = self.streaming.as_deref_mut() else {
            return Ok(());
        };
        if self.rows.len() < streaming.batch_rows.max(1) {
            return Ok(());
        }
        let full = std::mem::take(&mut self.rows);
        match self.first {
            None => self.first = Some(full),
            Some(_) => streaming.sink.batch(columns, full)?,
        }
        Ok(())
    }

    /// Whether rows went past the first batch to the stream's sink.
    pub fn streamed(&self) -> bool {
        self.first.is_some()
    }

    /// The rows that stay in the result: the first batch when streaming, else all of them.
    pub fn finish(mut self, columns: &[Column]) -> SfResult<Vec<Vec<Cell>>> {
        let Some(first) = self.first.take() else {
            return Ok(self.rows);
        };
        if !self.rows.is_empty() {
            if let Some(streaming) = self.streaming.as_deref_mut() {
                streaming
                    .sink
                    .batch(columns, std::mem::take(&mut self.rows))?;
            }
        }
        Ok(first)
    }
}
