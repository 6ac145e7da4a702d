//! Recent queries by id, for `/monitoring/queries/{id}`, `/queries/{id}/result`, asynchronous
//! execution and RESULT_SCAN. Each record belongs to an account, and only sessions of that
//! account see it. Bounded by count, bytes and age (24 hours): the oldest go first.

use std::collections::{HashMap, VecDeque};

use engine::SfError;
use parking_lot::Mutex;
use std::sync::Arc;

const CAPACITY: usize = 1000;

#[derive(Clone, Debug)]
pub enum Outcome {
    Running,
    /// The `data` of the query-request response as JSON text (far smaller than a parsed
    /// tree for large rowsets), and how many rows it has.
    Succeeded {
        data: Arc<str>,
        rows: usize,
    },
    Failed(SfError),
}

#[derive(Clone, Debug)]
pub struct QueryRecord {
    pub account: String,
    /// The session that ran it (`sessions.rs` ids).
    pub session_id: i64,
    /// The client's `requestId` for it, if it sent one.
    pub request_id: Option<String>,
    pub sql: String,
    pub start_ms: i64,
    /// 0 while the query runs.
    pub end_ms: i64,
    pub outcome: Outcome,
}

/// At most this many bytes of kept result text; the oldest results go first past it.
const BYTE_BUDGET: usize = 256 * 1024 * 1024;
/// Results are kept 24 hours at most, as Snowflake keeps them for RESULT_SCAN.
const RETENTION_MS: i64 = 24 * 3600 * 1000;

#[derive(Default)]
struct Entries {
    by_id: HashMap<String, QueryRecord>,
    order: VecDeque<String>,
    bytes: usize,
}

#[derive(Default)]
pub struct QueryLog {
    inner: Mutex<Entries>,
}

fn size_of(record: &QueryRecord) -> usize {
    match &record.outcome {
        Outcome::Succeeded { data, .. } => data.len(),
        _ => 0,
    }
}

impl QueryLog {
    /// Adds a record, or replaces the record of a query that was running.
    pub fn record(&self, query_id: &str, record: QueryRecord) {
        let mut entries = self.inner.lock();
        entries.bytes += size_of(&record);
        match entries.by_id.insert(query_id.to_string(), record) {
            Some(replaced) => entries.bytes -= size_of(&replaced),
            None => entries.order.push_back(query_id.to_string()),
        }
        let expired_before = super::now_ms() - RETENTION_MS;
        let oldest_expired = |entries: &Entries| {
            let oldest = entries.order.front().and_then(|id| entries.by_id.get(id));
            oldest.is_some_and(|r| {
                r.start_ms < expired_before && !matches!(r.outcome, Outcome::Running)
            })
        };
        while entries.order.len() > CAPACITY
            || (entries.bytes > BYTE_BUDGET && entries.order.len() > 1)
            || oldest_expired(&entries)
        {
            let Some(old) = entries.order.pop_front() else {
                break;
            };
            if let Some(removed) = entries.by_id.remove(&old) {
                entries.bytes -= size_of(&removed);
            }
        }
    }

    /// The newest query of `account` whose client request id is `request_id`.
    pub fn find_by_request(
        &self,
        account: &str,
        request_id: &str,
    ) -> Option<(String, QueryRecord)> {
        let entries = self.inner.lock();
        entries.order.iter().rev().find_map(|id| {
            let record = entries.by_id.get(id)?;
            (record.account == account && record.request_id.as_deref() == Some(request_id))
                .then(|| (id.clone(), record.clone()))
        })
    }

    /// The record of `query_id` if it belongs to `account`.
    pub fn get(&self, account: &str, query_id: &str) -> Option<QueryRecord> {
        self.inner
            .lock()
            .by_id
            .get(query_id)
            .filter(|record| record.account == account)
            .cloned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(account: &str, start_ms: i64, outcome: Outcome) -> QueryRecord {
        QueryRecord {
            account: account.into(),
            session_id: 1,
            request_id: Some("r1".into()),
            sql: "select 1".into(),
            start_ms,
            end_ms: start_ms,
            outcome,
        }
    }

    fn done(text: &str) -> Outcome {
        Outcome::Succeeded {
            data: text.into(),
            rows: 1,
        }
    }

    #[test]
    fn records_are_per_account_and_expire_after_a_day() {
        let log = QueryLog::default();
        let now = super::super::now_ms();
        log.record("old", record("A", now - RETENTION_MS - 1, done("{}")));
        log.record("q1", record("A", now, done("{}")));
        assert!(
            log.get("A", "old").is_none(),
            "a day-old result is forgotten"
        );
        assert!(log.get("A", "q1").is_some());
        assert!(
            log.get("B", "q1").is_none(),
            "another account never sees it"
        );
        assert_eq!(log.find_by_request("A", "r1").unwrap().0, "q1");
    }

    #[test]
    fn the_byte_budget_forgets_the_oldest_results() {
        let log = QueryLog::default();
        let now = super::super::now_ms();
        let big = "x".repeat(BYTE_BUDGET / 2 + 1);
        log.record("first", record("A", now, done(&big)));
        log.record("second", record("A", now, done(&big)));
        assert!(log.get("A", "first").is_none());
        assert!(log.get("A", "second").is_some());
    }
}
