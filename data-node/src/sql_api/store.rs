//! Statements submitted to the SQL API, by handle: running (with the means to cancel them),
//! finished (their result set, already split into partitions) or failed. Each belongs to an
//! account; only callers of that account find it. Bounded: the oldest are forgotten first.

use std::collections::{HashMap, VecDeque};
use std::sync::Arc;

use engine::SfError;
use parking_lot::Mutex;
use serde_json::Value;

const CAPACITY: usize = 1000;

#[derive(Clone)]
pub enum Status {
    Running(Arc<engine::InterruptHandle>),
    /// The first page's response body, and every partition's `data` as JSON text.
    Succeeded {
        first: Value,
        partitions: Arc<Vec<String>>,
    },
    Failed(SfError),
}

#[derive(Clone)]
pub struct Record {
    pub account: String,
    pub request_id: String,
    pub created_ms: i64,
    pub status: Status,
}

#[derive(Default)]
pub struct Statements {
    inner: Mutex<(HashMap<String, Record>, VecDeque<String>)>,
}

impl Statements {
    pub fn insert(&self, handle: &str, record: Record) {
        let mut inner = self.inner.lock();
        let (map, order) = &mut *inner;
        if map.insert(handle.to_string(), record).is_none() {
            order.push_back(handle.to_string());
        }
        while order.len() > CAPACITY {
            if let Some(old) = order.pop_front() {
                map.remove(&old);
            }
        }
    }

    pub fn set_status(&self, handle: &str, status: Status) {
        if let Some(record) = self.inner.lock().0.get_mut(handle) {
            record.status = status;
        }
    }

    pub fn get(&self, account: &str, handle: &str) -> Option<Record> {
        self.inner
            .lock()
            .0
            .get(handle)
            .filter(|r| r.account == account)
            .cloned()
    }
}
