//! Recent queries by id, for `/monitoring/queries/{id}`, `/queries/{id}/result`, asynchronous
//! execution and RESULT_SCAN. Each record belongs to an account, and only sessions of that
//! account see it. Bounded: the oldest entries are forgotten first.

use std::collections::{HashMap, VecDeque};

use engine::SfError;
use parking_lot::Mutex;
use serde_json::Value;

const CAPACITY: usize = 1000;

#[derive(Clone, Debug)]
pub enum Outcome {
    Running,
    /// The `data` of the query-request response, and how many rows it has.
    Succeeded {
        data: Value,
        rows: usize,
    },
    Failed(SfError),
}

#[derive(Clone, Debug)]
pub struct QueryRecord {
    pub account: String,
    pub sql: String,
    pub start_ms: i64,
    /// 0 while the query runs.
    pub end_ms: i64,
    pub outcome: Outcome,
}

#[derive(Default)]
pub struct QueryLog {
    inner: Mutex<(HashMap<String, QueryRecord>, VecDeque<String>)>,
}

impl QueryLog {
    /// Adds a record, or replaces the record of a query that was running.
    pub fn record(&self, query_id: &str, record: QueryRecord) {
        let mut inner = self.inner.lock();
        let (map, order) = &mut *inner;
        if map.insert(query_id.to_string(), record).is_none() {
            order.push_back(query_id.to_string());
        }
        while order.len() > CAPACITY {
            if let Some(old) = order.pop_front() {
                map.remove(&old);
            }
        }
    }

    /// The record of `query_id` if it belongs to `account`.
    pub fn get(&self, account: &str, query_id: &str) -> Option<QueryRecord> {
        let inner = self.inner.lock();
        inner
            .0
            .get(query_id)
            .filter(|record| record.account == account)
            .cloned()
    }
}
