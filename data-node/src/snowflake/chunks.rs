//! Large results in chunks (protocol reference §3.9). The first batch of a query's rows goes
//! inline in the response; every further batch is encoded as DuckDB produces it (an Arrow IPC
//! stream, or JSON rows without the outer brackets) and written to a spool file, so the server
//! holds one batch in memory at a time. Clients fetch the chunks with a plain GET, carrying
//! only the `chunkHeaders` the response gave them: a per-result random key.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use arrow_array::RecordBatch;
use arrow_schema::Schema;
use axum::body::Body;
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

/// One chunk written to the spool.
#[derive(Debug, Clone)]
pub struct ChunkFile {
    pub rows: usize,
    pub bytes: usize,
    pub path: PathBuf,
}

/// Encodes each batch it receives into a spool file (a [`RowSink`] for the engine). For Arrow
/// it takes DuckDB's columnar batches when the columns allow: then the first `batch_rows` rows
/// become the inline rowset and every further `batch_rows` a chunk.
pub struct Spool {
    dir: PathBuf,
    arrow: bool,
    batch_rows: usize,
    pub chunks: Vec<ChunkFile>,
    /// Columnar path: converted batches not yet written, their row count and which FIXED
    /// columns they hold as decimal128.
    pending: Vec<RecordBatch>,
    pending_rows: usize,
    pending_wide: Vec<bool>,
    /// Columnar path: the first chunk's IPC stream and row count, sent inline.
    pub inline: Option<(Vec<u8>, usize)>,
}

impl Spool {
    pub fn new(dir: PathBuf, arrow: bool, batch_rows: usize) -> Self {
        Self {
            dir,
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
        self.write_chunk(&body, rows)
    }

    fn write_chunk(&mut self, body: &[u8], rows: usize) -> SfResult<()> {
        if self.chunks.is_empty() {
            std::fs::create_dir_all(&self.dir).map_err(spool_failure)?;
        }
        let path = self.dir.join(self.chunks.len().to_string());
        std::fs::write(&path, body).map_err(spool_failure)?;
        self.chunks.push(ChunkFile {
            rows,
            bytes: body.len(),
            path,
        });
        Ok(())
    }

    /// Removes what a statement that failed part-way had already written.
    pub fn discard(&self) {
        if !self.chunks.is_empty() {
            let _ = std::fs::remove_dir_all(&self.dir);
        }
    }
}

impl RowSink for Spool {
    fn batch(&mut self, columns: &[Column], rows: Vec<Vec<Cell>>) -> SfResult<()> {
        let body = if self.arrow {
            arrow::ipc_stream(columns, &rows)?
        } else {
            json_rows(&rows)
        };
        self.write_chunk(&body, rows.len())
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
    files: Vec<PathBuf>,
    created: Instant,
}

/// The spool directory and the results in it.
pub struct ChunkStore {
    root: PathBuf,
    results: Mutex<HashMap<String, StoredResult>>,
}

impl Default for ChunkStore {
    fn default() -> Self {
        let root = std::env::temp_dir().join(format!("mockhaus-results-{}", std::process::id()));
        Self {
            root,
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

    /// Makes the chunks of a finished query fetchable and returns the response fields that
    /// point to them: `chunks` (absolute URLs) and `chunkHeaders`.
    pub fn publish(
        &self,
        account: &str,
        query_id: &str,
        base_url: &str,
        chunks: &[ChunkFile],
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
                files: chunks.iter().map(|c| c.path.clone()).collect(),
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
            results.remove(&id);
            let _ = std::fs::remove_dir_all(self.spool_dir(&id));
        }
    }

    /// The file of chunk `index` of `query_id`, when `key` is the result's key.
    fn file(&self, query_id: &str, index: usize, key: &str) -> Option<(String, PathBuf)> {
        let results = self.results.lock();
        let result = results.get(query_id).filter(|r| r.key == key)?;
        let path = result.files.get(index)?.clone();
        Some((result.account.clone(), path))
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
    let Some((account, path)) = state.chunks.file(&query_id, index, key) else {
        return (StatusCode::FORBIDDEN, "unknown chunk or wrong key").into_response();
    };
    let read = tokio::task::spawn_blocking(move || std::fs::read(path)).await;
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
