//! The SQL API's response bodies: ResultSet (200), QueryStatus (202) and errors (401, 404,
//! 422). Cells are strings or null in the same encodings as the driver protocol's JSON rowset.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use engine::{Column, QueryResult, SessionState, SfError};
use serde_json::{json, Value};

use crate::snowflake::encode;

pub fn failure(status: StatusCode, code: &str, message: &str) -> Response {
    (status, Json(json!({"code": code, "message": message}))).into_response()
}

pub fn status_url(handle: &str, request_id: &str) -> String {
    format!("/api/v2/statements/{handle}?requestId={request_id}")
}

/// 202: still running; poll `statementStatusUrl`.
pub fn in_progress(handle: &str, request_id: &str) -> Response {
    let body = json!({
        "code": "333334",
        "message": "Asynchronous execution in progress. Use provided query id to perform query monitoring and management.",
        "statementHandle": handle,
        "statementStatusUrl": status_url(handle, request_id),
    });
    (StatusCode::ACCEPTED, Json(body)).into_response()
}

/// 422: the statement failed (or was cancelled).
pub fn statement_failed(err: &SfError, handle: &str, created_ms: i64) -> Response {
    let body = json!({
        "code": err.code,
        "sqlState": err.sql_state,
        "message": err.message,
        "statementHandle": handle,
        "createdOn": created_ms,
    });
    (StatusCode::UNPROCESSABLE_ENTITY, Json(body)).into_response()
}

/// Every partition's `data` as JSON text, `partition_rows` rows each (at least one partition).
pub fn partitions(result: &QueryResult, partition_rows: usize, nullable: bool) -> Vec<String> {
    let encode_row = |row: &Vec<engine::Cell>| {
        Value::Array(
            row.iter()
                .map(|cell| match encode::cell(cell) {
                    Value::Null if !nullable => Value::String("null".into()),
                    other => other,
                })
                .collect(),
        )
    };
    if result.rows.is_empty() {
        return vec!["[]".to_string()];
    }
    result
        .rows
        .chunks(partition_rows.max(1))
        .map(|rows| Value::Array(rows.iter().map(encode_row).collect()).to_string())
        .collect()
}

/// What a finished statement answers with: the ResultSet whose `data` is the first partition.
pub struct Page<'a> {
    pub handle: &'a str,
    pub request_id: &'a str,
    pub created_ms: i64,
    pub result: &'a QueryResult,
    pub state: &'a SessionState,
    pub partitions: &'a [String],
    pub partition_rows: usize,
    pub nullable: bool,
}

impl Page<'_> {
    pub fn body(&self) -> Value {
        let partition_info: Vec<Value> = self
            .partitions
            .iter()
            .zip(self.result.rows.chunks(self.partition_rows.max(1)))
            .map(|(text, rows)| json!({"rowCount": rows.len(), "uncompressedSize": text.len()}))
            .collect();
        let first: Value = serde_json::from_str(&self.partitions[0]).unwrap_or(Value::Null);
        let mut body = json!({
            "resultSetMetaData": {
                "numRows": self.result.rows.len(),
                "format": "jsonv2",
                "partitionInfo": partition_info,
                "rowType": row_type(&self.result.columns, self.state),
                "nullable": self.nullable,
            },
            "data": first,
            "code": "090001",
            "statementStatusUrl": status_url(self.handle, self.request_id),
            "requestId": self.request_id,
            "sqlState": "00000",
            "statementHandle": self.handle,
            "message": "Statement executed successfully.",
            "createdOn": self.created_ms,
        });
        if let Some(stats) = dml_stats(self.result) {
            body["stats"] = stats;
        }
        body
    }
}

/// The driver protocol's `rowtype`, with the type names upper-case as the SQL API spells them.
fn row_type(columns: &[Column], state: &SessionState) -> Value {
    let mut row_type = encode::rowtype(columns, state);
    for column in row_type.as_array_mut().into_iter().flatten() {
        let upper = column["type"].as_str().map(str::to_ascii_uppercase);
        column["type"] = json!(upper);
    }
    row_type
}

/// `stats` for DML: the counts the statement's count columns hold.
fn dml_stats(result: &QueryResult) -> Option<Value> {
    if !result.kind.is_dml() {
        return None;
    }
    let counts = result.rows.first()?;
    let count = |prefix: &str| -> i64 {
        result
            .columns
            .iter()
            .zip(counts)
            .filter(|(c, _)| c.name.starts_with(prefix))
            .map(|(_, cell)| cell.as_i64().unwrap_or_default())
            .sum()
    };
    Some(json!({
        "numRowsInserted": count("number of rows inserted"),
        "numRowsUpdated": count("number of rows updated"),
        "numRowsDeleted": count("number of rows deleted"),
        "numDmlDuplicates": 0,
    }))
}
