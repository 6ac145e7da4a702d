//! The ids of a session's queries, oldest first: what LAST_QUERY_ID(n) reads.
//!
//! The server records each query's id after it runs; the rewrite reads them while the next
//! statement is translated. Shared behind a mutex because the server also reads it outside
//! the session's own lock (the whole-result `RESULT_SCAN(LAST_QUERY_ID())` form).

use std::collections::VecDeque;
use std::sync::Mutex;

/// Ids kept per session; older ones are forgotten (LAST_QUERY_ID then answers NULL for them).
const KEPT: usize = 10_000;

#[derive(Debug, Default, Clone)]
pub struct QueryHistory {
    ids: VecDeque<String>,
    /// How many of the session's first ids were forgotten.
    forgotten: usize,
}

/// A session's history, shared between the session and the server that runs it.
pub type SharedQueryHistory = Mutex<QueryHistory>;

/// The history of a context with no session behind it.
pub static NO_QUERY_HISTORY: SharedQueryHistory = Mutex::new(QueryHistory::new());

impl QueryHistory {
    pub const fn new() -> Self {
        Self {
            ids: VecDeque::new(),
            forgotten: 0,
        }
    }

    pub fn push(&mut self, query_id: &str) {
        if self.ids.len() == KEPT {
            self.ids.pop_front();
            self.forgotten += 1;
        }
        self.ids.push_back(query_id.to_owned());
    }

    /// How many queries the session has run (forgotten ones included).
    pub fn count(&self) -> usize {
        self.forgotten + self.ids.len()
    }

    /// LAST_QUERY_ID's numbering: -1 the most recent query, -2 the one before; 1 the session's
    /// first query, 2 its second. 0 and positions out of range are `None` (NULL).
    pub fn nth(&self, position: i64) -> Option<&str> {
        let index = if position < 0 {
            let back = usize::try_from(position.unsigned_abs()).ok()?;
            self.ids.len().checked_sub(back)?
        } else {
            let from_start = usize::try_from(position).ok()?.checked_sub(1)?;
            from_start.checked_sub(self.forgotten)?
        };
        self.ids.get(index).map(String::as_str)
    }
}

/// Reads a shared history even if a thread panicked while holding it (it stays consistent:
/// every change is one push).
pub fn read_history<T>(shared: &SharedQueryHistory, read: impl FnOnce(&QueryHistory) -> T) -> T {
    let history = shared
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    read(&history)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_count_from_either_end() {
        let mut history = QueryHistory::new();
        assert_eq!(history.nth(-1), None);
        for id in ["a", "b", "c"] {
            history.push(id);
        }
        assert_eq!(history.nth(-1), Some("c"));
        assert_eq!(history.nth(-3), Some("a"));
        assert_eq!(history.nth(-4), None);
        assert_eq!(history.nth(1), Some("a"));
        assert_eq!(history.nth(3), Some("c"));
        assert_eq!(history.nth(4), None);
        assert_eq!(history.nth(0), None);
        assert_eq!(history.nth(i64::MIN), None);
    }

    #[test]
    fn forgotten_queries_keep_their_positions() {
        let mut history = QueryHistory::new();
        for i in 0..KEPT + 2 {
            history.push(&i.to_string());
        }
        assert_eq!(history.count(), KEPT + 2);
        assert_eq!(history.nth(1), None, "the first was forgotten");
        assert_eq!(history.nth(3), Some("2"));
        assert_eq!(history.nth(-1), Some(&*(KEPT + 1).to_string()));
    }
}
