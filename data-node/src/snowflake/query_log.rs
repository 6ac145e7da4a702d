//! Recent queries by id, for `/monitoring/queries/{id}` and `/queries/{id}/result`.
//! Bounded: the oldest entries are forgotten first.

use std::collections::{HashMap, VecDeque};

use parking_lot::Mutex;
use serde_json::Value;

const CAPACITY: usize = 1000;

#[derive(Clone)]
pub struct QueryRecord {
    pub sql: String,
    pub start_ms: i64,
    pub end_ms: i64,
    pub error: Option<(String, String)>,
    pub rows: usize,
    /// The `data` of the query-request response, for re-fetching the result by id.
    pub data: Value,
}

#[derive(Default)]
pub struct QueryLog {
    inner: Mutex<(HashMap<String, QueryRecord>, VecDeque<String>)>,
}

impl QueryLog {
    pub fn record(&self, query_id: &str, record: QueryRecord) {
        let mut inner = self.inner.lock();
        let (map, order) = &mut *inner;
        map.insert(query_id.to_string(), record);
        order.push_back(query_id.to_string());
        while order.len() > CAPACITY {
            if let Some(old) = order.pop_front() {
                map.remove(&old);
            }
        }
    }

    pub fn get(&self, query_id: &str) -> Option<QueryRecord> {
        self.inner.lock().0.get(query_id).cloned()
    }
}
