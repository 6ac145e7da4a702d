//! Large results in chunks (protocol reference §3.9). The first batch of a query's rows goes
//! inline in the response; every further batch is encoded as DuckDB produces it (an Arrow IPC
//! stream, or JSON rows without the outer brackets) into a chunk, never the result as rows. A
//! chunk stays in memory while the server's chunk budget allows and goes to a spool file past
//! it. Clients fetch the chunks with a plain GET, carrying only the `chunkHeaders` the response
//! gave them: a per-result random key.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use arrow_array::RecordBatch;
use arrow_schema::Schema;
use axum::body::{Body, Bytes};
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use engine::{Cell, Column, RowSink, SfError, SfResult};
use parking_lot::Mutex;
use rand::RngCore;
use serde_json::{json, Value};

use super::{arrow, columnar, encode};
use crate::AppState;

/// The header that carries a result's chunk key.
const KEY_HEADER: &str = "x-mockhaus-chunk-key";
/// How long a result's chunks stay fetchable.
const RESULT_LIFETIME: Duration = Duration::from_secs(3600);
/// Results whose chunks are kept at once; the oldest go first.
const MAX_RESULTS: usize = 64;

/// Chunk bytes kept in memory, across all results, before further chunks go to spool files.
const MEMORY_BUDGET: usize = 256 * 1024 * 1024;

/// Where a chunk's bytes are.
#[derive(Debug, Clone)]
pub enum ChunkBody {
    Memory(Bytes),
    File(PathBuf),
}

/// One encoded chunk.
#[derive(Debug, Clone)]
pub struct Chunk {
    pub rows: usize,
    pub bytes: usize,
    pub body: ChunkBody,
}

/// The bytes of chunks held in memory, shared by every spool of a server.
#[derive(Debug, Clone)]
pub struct MemoryBudget {
    used: Arc<AtomicUsize>,
    limit: usize,
}

impl Default for MemoryBudget {
    fn default() -> Self {
        Self::with_limit(MEMORY_BUDGET)
    }
}

impl MemoryBudget {
    pub fn with_limit(limit: usize) -> Self {
        Self {
            used: Arc::new(AtomicUsize::new(0)),
            limit,
        }
    }

    /// Takes `bytes` of the budget if they fit.
    fn reserve(&self, bytes: usize) -> bool {
        self.used
            .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |used| {
                (used + bytes <= self.limit).then_some(used + bytes)
            })
            .is_ok()
    }

    fn release(&self, chunks: &[ChunkBody]) {
        for chunk in chunks {
            if let ChunkBody::Memory(bytes) = chunk {
                self.used.fetch_sub(bytes.len(), Ordering::SeqCst);
            }
        }
    }
}

/// Encodes each batch it receives into a spool file (a [`RowSink`] for the engine). For Arrow
/// it takes DuckDB's columnar batches when the columns allow: then the first `batch_rows` rows
/// become the inline rowset and every further `batch_rows` a chunk.
pub struct Spool {
    dir: PathBuf,
    memory: MemoryBudget,
    arrow: bool,
    batch_rows: usize,
    pub chunks: Vec<Chunk>,
    /// Columnar path: converted batches not yet written, their row count and which FIXED
    /// columns they hold as decimal128.
    pending: Vec<RecordBatch>,
    pending_rows: usize,
    pending_wide: Vec<bool>,
    /// Columnar path: the first chunk's IPC stream and row count, sent inline.
    pub inline: Option<(Vec<u8>, usize)>,
}

impl Spool {
    pub fn new(dir: PathBuf, memory: MemoryBudget, arrow: bool, batch_rows: usize) -> Self {
        Self {
            dir,
            memory,
            arrow,
            batch_rows: batch_rows.max(1),
            chunks: Vec::new(),
            pending: Vec::new(),
            pending_rows: 0,
            pending_wide: Vec::new(),
            inline: None,
        }
    }

    /// Writes what the columnar path still holds; call once the statement has run.
    pub fn finish(&mut self) -> SfResult<()> {
        if self.pending.is_empty() {
            return Ok(());
        }
        // DuckDB hands over 2,048 rows at a time; clients pay per record batch, so the chunk's
        // batches are joined into record batches of up to 65,536 rows.
        let joined = join_batches(&self.pending)?;
        let body = arrow::ipc_of_batches(&joined)?;
        let rows = std::mem::take(&mut self.pending_rows);
        self.pending.clear();
        if self.inline.is_none() {
            self.inline = Some((body, rows));
            return Ok(());
        }
        self.write_chunk(body, rows)
    }

    /// Keeps the chunk in memory while the server's budget allows, else writes a spool file.
    fn write_chunk(&mut self, body: Vec<u8>, rows: usize) -> SfResult<()> {
        let bytes = body.len();
        let stored = if self.memory.reserve(bytes) {
            ChunkBody::Memory(Bytes::from(body))
        } else {
            std::fs::create_dir_all(&self.dir).map_err(spool_failure)?;
            let path = self.dir.join(self.chunks.len().to_string());
            std::fs::write(&path, &body).map_err(spool_failure)?;
            ChunkBody::File(path)
        };
        self.chunks.push(Chunk {
            rows,
            bytes,
            body: stored,
        });
        Ok(())
    }

    /// Drops what a statement that failed part-way had already written.
    pub fn discard(&self) {
        let bodies: Vec<ChunkBody> = self.chunks.iter().map(|c| c.body.clone()).collect();
        self.memory.release(&bodies);
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

impl RowSink for Spool {
    fn batch(&mut self, columns: &[Column], rows: Vec<Vec<Cell>>) -> SfResult<()> {
        let body = if self.arrow {
            arrow::ipc_stream(columns, &rows)?
        } else {
            json_rows(&rows)
        };
        self.write_chunk(body, rows.len())
    }

    fn wants_columnar(&self) -> bool {
        self.arrow
    }

    fn accepts(&self, columns: &[Column], schema: &Schema) -> bool {
        columnar::supported(columns, schema)
    }

    fn columnar_batch(&mut self, columns: &[Column], batch: RecordBatch) -> SfResult<()> {
        let wide: Vec<bool> = columns
            .iter()
            .enumerate()
            .map(|(i, c)| columnar::needs_decimal128(c.sf_type, batch.column(i)))
            .collect();
        // The batches of one chunk share a schema: a column turning decimal128 starts a new one.
        let widened = self.pending.is_empty()
            || wide
                .iter()
                .zip(&self.pending_wide)
                .any(|(now, before)| *now && !before);
        if widened {
            self.finish()?;
            self.pending_wide = wide;
        }
        let converted = columnar::to_snowflake(columns, &batch, &self.pending_wide)
            .map_err(|e| SfError::internal(format!("encoding the result as Arrow: {e}")))?;
        self.pending_rows += converted.num_rows();
        self.pending.push(converted);
        if self.pending_rows >= self.batch_rows {
            self.finish()?;
        }
        Ok(())
    }
}

/// Consecutive small batches concatenated into batches of up to `arrow::BATCH_ROWS` rows.
fn join_batches(batches: &[RecordBatch]) -> SfResult<Vec<RecordBatch>> {
    let mut joined = Vec::new();
    let mut group: Vec<&RecordBatch> = Vec::new();
    let mut rows = 0;
    let flush = |group: &mut Vec<&RecordBatch>, joined: &mut Vec<RecordBatch>| -> SfResult<()> {
        if let Some(first) = group.first() {
            let batch =
                arrow_select::concat::concat_batches(&first.schema(), group.iter().copied())
                    .map_err(|e| SfError::internal(format!("joining Arrow batches: {e}")))?;
            joined.push(batch);
            group.clear();
        }
        Ok(())
    };
    for batch in batches {
        if rows + batch.num_rows() > arrow::BATCH_ROWS && !group.is_empty() {
            flush(&mut group, &mut joined)?;
            rows = 0;
        }
        rows += batch.num_rows();
        group.push(batch);
    }
    flush(&mut group, &mut joined)?;
    Ok(joined)
}

fn spool_failure(err: std::io::Error) -> SfError {
    SfError::internal(format!("writing a result chunk: {err}"))
}

/// `["1","a"],["2","b"]`: the JSON chunk body clients wrap in brackets themselves.
fn json_rows(rows: &[Vec<Cell>]) -> Vec<u8> {
    let mut out = Vec::new();
    for (i, row) in rows.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        let cells = Value::Array(row.iter().map(encode::cell).collect());
        serde_json::to_writer(&mut out, &cells).expect("writing JSON to memory cannot fail");
    }
    out
}

/// A result whose chunks can be fetched.
struct StoredResult {
    account: String,
    key: String,
    chunks: Vec<ChunkBody>,
    created: Instant,
}

/// The spool directory and the results in it.
pub struct ChunkStore {
    root: PathBuf,
    memory: MemoryBudget,
    results: Mutex<HashMap<String, StoredResult>>,
}

impl Default for ChunkStore {
    fn default() -> Self {
        let root = std::env::temp_dir().join(format!("mockhaus-results-{}", std::process::id()));
        Self {
            root,
            memory: MemoryBudget::default(),
            results: Mutex::new(HashMap::new()),
        }
    }
}

impl Drop for ChunkStore {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.root);
    }
}

impl ChunkStore {
    /// Where the chunks of `query_id` are written.
    pub fn spool_dir(&self, query_id: &str) -> PathBuf {
        self.root.join(query_id)
    }

    /// The in-memory budget spools share.
    pub fn memory(&self) -> MemoryBudget {
        self.memory.clone()
    }

    /// Makes the chunks of a finished query fetchable and returns the response fields that
    /// point to them: `chunks` (absolute URLs) and `chunkHeaders`.
    pub fn publish(
        &self,
        account: &str,
        query_id: &str,
        base_url: &str,
        chunks: &[Chunk],
    ) -> (Value, Value) {
        let key = random_key();
        let listed: Vec<Value> = chunks
            .iter()
            .enumerate()
            .map(|(i, chunk)| {
                json!({
                    "url": format!("{base_url}/mockhaus/chunks/{query_id}/{i}"),
                    "rowCount": chunk.rows,
                    "uncompressedSize": chunk.bytes,
                    "compressedSize": chunk.bytes,
                })
            })
            .collect();
        let mut results = self.results.lock();
        self.evict(&mut results);
        results.insert(
            query_id.to_string(),
            StoredResult {
                account: account.to_string(),
                key: key.clone(),
                chunks: chunks.iter().map(|c| c.body.clone()).collect(),
                created: Instant::now(),
            },
        );
        (Value::Array(listed), json!({ KEY_HEADER: key }))
    }

    /// Forgets results past their lifetime, and the oldest beyond the limit, with their files.
    fn evict(&self, results: &mut HashMap<String, StoredResult>) {
        let now = Instant::now();
        let mut expired: Vec<String> = results
            .iter()
            .filter(|(_, r)| now.duration_since(r.created) > RESULT_LIFETIME)
            .map(|(id, _)| id.clone())
            .collect();
        if results.len() - expired.len() >= MAX_RESULTS {
            let mut by_age: Vec<(&String, Instant)> =
                results.iter().map(|(id, r)| (id, r.created)).collect();
            by_age.sort_by_key(|(_, created)| *created);
            let excess = results.len() - expired.len() + 1 - MAX_RESULTS;
            expired.extend(by_age.into_iter().take(excess).map(|(id, _)| id.clone()));
        }
        for id in expired {
            if let Some(result) = results.remove(&id) {
                self.memory.release(&result.chunks);
            }
            let _ = std::fs::remove_dir_all(self.spool_dir(&id));
        }
    }

    /// Chunk `index` of `query_id`, when `key` is the result's key.
    fn chunk(&self, query_id: &str, index: usize, key: &str) -> Option<(String, ChunkBody)> {
        let results = self.results.lock();
        let result = results.get(query_id).filter(|r| r.key == key)?;
        let body = result.chunks.get(index)?.clone();
        Some((result.account.clone(), body))
    }
}

fn random_key() -> String {
    let mut bytes = [0u8; 24];
    rand::rng().fill_bytes(&mut bytes);
    hex::encode(bytes)
}

/// `GET /mockhaus/chunks/{query_id}/{index}` with the result's key header.
pub async fn fetch(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    Path((query_id, index)): Path<(String, usize)>,
) -> Response {
    let key = headers
        .get(KEY_HEADER)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    let Some((account, body)) = state.chunks.chunk(&query_id, index, key) else {
        return (StatusCode::FORBIDDEN, "unknown chunk or wrong key").into_response();
    };
    let read = match body {
        ChunkBody::Memory(bytes) => Ok(Ok(bytes)),
        ChunkBody::File(path) => {
            tokio::task::spawn_blocking(move || std::fs::read(path).map(Bytes::from)).await
        }
    };
    match read {
        Ok(Ok(bytes)) => {
            tracing::debug!(%account, %query_id, index, bytes = bytes.len(), "chunk served");
            (
                [(header::CONTENT_TYPE, "application/octet-stream")],
                Body::from(bytes),
            )
                .into_response()
        }
        _ => (StatusCode::GONE, "the chunk has expired").into_response(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use engine::SfType;

    fn rows(n: i128) -> Vec<Vec<Cell>> {
        (0..n)
            .map(|i| vec![Cell::Decimal { value: i, scale: 0 }])
            .collect()
    }

    #[test]
    fn chunks_stay_in_memory_within_the_budget_and_spill_to_files_past_it() {
        let dir = std::env::temp_dir().join(format!("mockhaus-spool-test-{}", std::process::id()));
        let columns = [Column::new("I", SfType::INTEGER)];
        let budget = MemoryBudget::with_limit(1);
        let mut spool = Spool::new(dir.clone(), budget.clone(), false, 10);
        spool.batch(&columns, rows(3)).unwrap();
        let ChunkBody::File(path) = &spool.chunks[0].body else {
            panic!("a chunk past the budget goes to a file");
        };
        assert_eq!(
            std::fs::read_to_string(path).unwrap(),
            r#"["0"],["1"],["2"]"#
        );
        spool.discard();
        assert!(!dir.exists());

        let roomy = MemoryBudget::with_limit(1 << 20);
        let mut spool = Spool::new(dir.clone(), roomy.clone(), false, 10);
        spool.batch(&columns, rows(2)).unwrap();
        assert!(matches!(spool.chunks[0].body, ChunkBody::Memory(_)));
        assert_eq!(roomy.used.load(Ordering::SeqCst), spool.chunks[0].bytes);
        spool.discard();
        assert_eq!(roomy.used.load(Ordering::SeqCst), 0);
    }
}
