//! The recent results of an account's queries, by query id: what `RESULT_SCAN` reads when it
//! sits inside a larger query (a filter, a join, CREATE TABLE ... AS).
//!
//! The server's own result log keeps what it sent (JSON text or Arrow chunks, for the
//! whole-result form); that cannot be queried, so the engine keeps a typed copy of each
//! small result here: the rows as cells, or DuckDB's own Arrow batches for a query whose
//! rows went straight to an Arrow client. Larger results leave a marker, so that scanning
//! one fails with a clear error rather than "not found". Bounded by count and by bytes; the
//! oldest go first.

use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex};

use duckdb::arrow::record_batch::RecordBatch;

use crate::result::{Cell, Column};

/// The most rows a result may have to be kept.
pub const MAX_ROWS: usize = 10_000;
/// The most bytes (estimated) one kept result may take.
const MAX_RESULT_BYTES: usize = 16 << 20;
/// The most bytes (estimated) an account's kept results take together.
const BUDGET_BYTES: usize = 64 << 20;
/// The most results (and markers) an account keeps.
const MAX_ENTRIES: usize = 1_000;

/// A kept result's rows.
#[derive(Debug)]
pub enum KeptRows {
    Cells(Vec<Vec<Cell>>),
    /// DuckDB's Arrow batches, before any conversion to Snowflake's wire forms.
    Arrow(Vec<RecordBatch>),
}

#[derive(Debug)]
pub struct KeptResult {
    pub columns: Vec<Column>,
    pub rows: KeptRows,
    /// An estimate of the memory the rows take (computed once: the budget reads it again).
    bytes: usize,
}

/// What the store holds for a query id.
#[derive(Debug, Clone)]
pub enum Kept {
    Result(Arc<KeptResult>),
    /// The query returned more rows (or bytes) than are kept.
    TooLarge,
}

impl Kept {
    /// A result's typed copy, or the marker if it is too large to keep.
    pub fn of(columns: Vec<Column>, rows: KeptRows) -> Kept {
        let count = match &rows {
            KeptRows::Cells(rows) => rows.len(),
            KeptRows::Arrow(batches) => batches.iter().map(RecordBatch::num_rows).sum(),
        };
        if count > MAX_ROWS {
            return Kept::TooLarge;
        }
        let bytes = estimated_bytes(&rows);
        if bytes > MAX_RESULT_BYTES {
            return Kept::TooLarge;
        }
        Kept::Result(Arc::new(KeptResult {
            columns,
            rows,
            bytes,
        }))
    }

    fn bytes(&self) -> usize {
        match self {
            Kept::Result(result) => result.bytes,
            Kept::TooLarge => 0,
        }
    }
}

/// An estimate of the memory the rows take.
fn estimated_bytes(rows: &KeptRows) -> usize {
    match rows {
        KeptRows::Cells(rows) => rows
            .iter()
            .flatten()
            .map(|cell| std::mem::size_of::<Cell>() + heap_bytes(cell))
            .sum(),
        KeptRows::Arrow(batches) => batches.iter().map(RecordBatch::get_array_memory_size).sum(),
    }
}

fn heap_bytes(cell: &Cell) -> usize {
    match cell {
        Cell::Text(s) | Cell::Json(s) => s.len(),
        Cell::Binary(b) => b.len(),
        _ => 0,
    }
}

/// One account's kept results.
#[derive(Debug, Default)]
pub struct RecentResults {
    inner: Mutex<Store>,
}

#[derive(Debug, Default)]
struct Store {
    by_id: HashMap<String, Entry>,
    /// Ids oldest first, for eviction.
    order: VecDeque<String>,
    bytes: usize,
}

#[derive(Debug)]
struct Entry {
    kept: Kept,
    /// What this entry counts against the budget.
    charged: usize,
}

impl Store {
    fn insert(&mut self, query_id: &str, kept: Kept, charged: usize) {
        self.bytes += charged;
        let entry = Entry { kept, charged };
        match self.by_id.insert(query_id.to_owned(), entry) {
            Some(replaced) => self.bytes -= replaced.charged,
            None => self.order.push_back(query_id.to_owned()),
        }
        while self.order.len() > MAX_ENTRIES || self.bytes > BUDGET_BYTES {
            let Some(oldest) = self.order.pop_front() else {
                break;
            };
            if let Some(gone) = self.by_id.remove(&oldest) {
                self.bytes -= gone.charged;
            }
        }
    }
}

impl RecentResults {
    /// Keeps `kept` as the result of `query_id`, forgetting the oldest past the bounds.
    pub fn keep(&self, query_id: &str, kept: Kept) {
        let charged = kept.bytes();
        self.lock().insert(query_id, kept, charged);
    }

    /// What is kept for `query_id`, if anything.
    pub fn get(&self, query_id: &str) -> Option<Kept> {
        self.lock()
            .by_id
            .get(query_id)
            .map(|entry| entry.kept.clone())
    }

    /// Makes `alias` name the same result as `query_id` (a whole-result RESULT_SCAN answers
    /// with an earlier result under a new id). The rows are shared, not copied.
    pub fn alias(&self, query_id: &str, alias: &str) {
        let mut store = self.lock();
        if let Some(kept) = store.by_id.get(query_id).map(|entry| entry.kept.clone()) {
            // Charged again: the rows live as long as either id does.
            let charged = kept.bytes();
            store.insert(alias, kept, charged);
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Store> {
        // Every change leaves the store consistent, so a panic elsewhere cannot corrupt it.
        self.inner
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::types::SfType;

    fn one_column(rows: usize) -> Kept {
        let cells = (0..rows).map(|i| vec![Cell::Text(i.to_string())]).collect();
        Kept::of(vec![Column::new("N", SfType::TEXT)], KeptRows::Cells(cells))
    }

    #[test]
    fn results_past_the_row_limit_leave_a_marker() {
        assert!(matches!(one_column(MAX_ROWS), Kept::Result(_)));
        assert!(matches!(one_column(MAX_ROWS + 1), Kept::TooLarge));
    }

    #[test]
    fn the_oldest_results_go_first() {
        let store = RecentResults::default();
        for i in 0..=MAX_ENTRIES {
            store.keep(&format!("q{i}"), one_column(1));
        }
        assert!(store.get("q0").is_none());
        assert!(store.get("q1").is_some());
        assert!(store.get(&format!("q{MAX_ENTRIES}")).is_some());
    }

    #[test]
    fn an_alias_shares_the_rows() {
        let store = RecentResults::default();
        store.keep("q1", one_column(3));
        store.alias("q1", "q2");
        store.alias("missing", "q3");
        let (Some(Kept::Result(a)), Some(Kept::Result(b))) = (store.get("q1"), store.get("q2"))
        else {
            panic!("both ids should name the result");
        };
        assert!(Arc::ptr_eq(&a, &b));
        assert!(store.get("q3").is_none());
    }
}
