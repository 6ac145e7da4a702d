//! One query-request while and after it runs: what gets recorded in the query log, and the
//! response `data` built from what the statement produced (JSON or Arrow rows, chunks, the
//! parent of a multi-statement request).

use std::sync::Arc;

use base64::Engine as _;
use engine::{QueryResult, SessionState, SfResult, StatementKind};
use serde_json::{json, Value};

use super::arrow;
use super::chunks::Chunk;
use super::encode::{rowset, rowtype};
use super::now_ms;
use super::parameters::with_overrides;
use super::query_log::{Outcome, QueryRecord};
use crate::sessions::ClientInfo;
use crate::AppState;

/// What a request produced: one result, or one per statement of a multi-statement request.
pub(super) enum Answer {
    Single(Box<Single>),
    Multi(Vec<(QueryResult, SessionState)>),
    /// PUT or GET: what the driver must move.
    Transfer(Box<(engine::FileTransfer, SessionState)>),
}

pub(super) struct Single {
    pub(super) result: QueryResult,
    pub(super) bind_count: usize,
    pub(super) state: SessionState,
    /// The rows past the first batch, spooled as chunks.
    pub(super) chunks: Vec<Chunk>,
    /// When the columnar path ran: the first batch's Arrow IPC stream and its row count.
    pub(super) inline_arrow: Option<(Vec<u8>, usize)>,
}

/// Everything recorded about one request while and after it runs.
#[derive(Clone)]
pub(super) struct Job {
    pub(super) app: Arc<AppState>,
    pub(super) account: String,
    pub(super) session_id: i64,
    /// The client's `requestId`, which its abort-request names.
    pub(super) request_id: Option<String>,
    pub(super) query_id: String,
    pub(super) sql: String,
    pub(super) start_ms: i64,
    /// Who asked, and any result format the request itself asked for.
    pub(super) client: ClientInfo,
    pub(super) requested_format: Option<String>,
    /// `http://<host>` as the client reached us, for absolute chunk URLs.
    pub(super) base_url: String,
}

impl Job {
    pub(super) fn record(&self, outcome: Outcome) {
        let end_ms = match outcome {
            Outcome::Running => 0,
            _ => now_ms(),
        };
        let record = QueryRecord {
            account: self.account.clone(),
            session_id: self.session_id,
            request_id: self.request_id.clone(),
            sql: self.sql.clone(),
            start_ms: self.start_ms,
            end_ms,
            outcome,
        };
        self.app.query_log.record(&self.query_id, record);
    }

    /// Records how the request ended and returns the response `data` for a success. The
    /// statements of a multi-statement request are recorded under ids of their own, which
    /// clients fetch through `/queries/{id}/result`.
    pub(super) fn finish(&self, answer: SfResult<Answer>) -> SfResult<Arc<str>> {
        let data = match answer.and_then(|answer| self.data_of(answer)) {
            Ok(data) => data,
            Err(err) => {
                tracing::debug!(code = %err.code, message = %err.message, "statement failed");
                self.record(Outcome::Failed(err.clone()));
                return Err(err);
            }
        };
        let rows = data["total"].as_u64().unwrap_or_default() as usize;
        let text: Arc<str> = response_text(data).into();
        self.record(Outcome::Succeeded {
            data: text.clone(),
            rows,
        });
        Ok(text)
    }

    fn data_of(&self, answer: Answer) -> SfResult<Value> {
        match answer {
            Answer::Single(single) => {
                let Single {
                    result,
                    bind_count,
                    state,
                    chunks,
                    inline_arrow,
                } = *single;
                // Published first: from here the store owns the chunks (and frees them when it
                // forgets the result), even if building the response fails.
                let published = (!chunks.is_empty()).then(|| self.publish(&chunks));
                let mut data = self.result_data(&result, &state, &self.query_id, bind_count)?;
                if let Some((stream, rows)) = inline_arrow {
                    data["rowsetBase64"] =
                        json!(base64::engine::general_purpose::STANDARD.encode(stream));
                    data["total"] = json!(rows);
                    data["returned"] = json!(rows);
                }
                if let Some((listed, headers)) = published {
                    let inline = data["returned"].as_u64().unwrap_or_default() as usize;
                    let chunked: usize = chunks.iter().map(|c| c.rows).sum();
                    // Node reads rows up to `returned`: it counts every row, inline or chunked.
                    data["total"] = json!(inline + chunked);
                    data["returned"] = json!(inline + chunked);
                    data["chunks"] = listed;
                    data["chunkHeaders"] = headers;
                }
                Ok(data)
            }
            Answer::Multi(children) => self.multi_data(children),
            Answer::Transfer(transfer) => Ok(super::transfer::transfer_data(
                &transfer.0,
                &transfer.1,
                &self.query_id,
            )),
        }
    }

    /// Makes the chunks fetchable: the response's `chunks` and `chunkHeaders`.
    fn publish(&self, chunks: &[Chunk]) -> (Value, Value) {
        self.app
            .chunks
            .publish(&self.account, &self.query_id, &self.base_url, chunks)
    }

    fn multi_data(&self, children: Vec<(QueryResult, SessionState)>) -> SfResult<Value> {
        let mut ids = Vec::new();
        let mut types = Vec::new();
        for (result, state) in &children {
            let child = Job {
                query_id: uuid::Uuid::new_v4().to_string(),
                ..self.clone()
            };
            let data = self.result_data(result, state, &child.query_id, 0)?;
            child.record(Outcome::Succeeded {
                data: response_text(data).into(),
                rows: result.rows.len(),
            });
            ids.push(child.query_id);
            types.push(result.kind.type_id().to_string());
        }
        let summary = QueryResult::multi_statement_summary();
        let last_state = children
            .last()
            .map(|(_, state)| state.clone())
            .unwrap_or_default();
        let mut data = self.result_data(&summary, &last_state, &self.query_id, 0)?;
        // 0xA000 is MULTI_STATEMENT; connector 5.x's core recognises the parent by it.
        data["statementTypeId"] = json!(0xA000);
        data["resultIds"] = json!(ids.join(","));
        data["resultTypes"] = json!(types.join(","));
        Ok(data)
    }

    /// The `data` of a successful query-request (protocol reference §3.3), its rows as JSON
    /// or Arrow as the client takes them.
    fn result_data(
        &self,
        result: &QueryResult,
        state: &SessionState,
        query_id: &str,
        bind_count: usize,
    ) -> SfResult<Value> {
        let mut data = json!({
            "parameters": with_overrides(&state.parameters),
            "rowtype": rowtype(&result.columns, state),
            "total": result.rows.len(),
            "returned": result.rows.len(),
            "queryId": query_id,
            "statementTypeId": result.kind.type_id(),
            "version": 1,
            "sendResultTime": now_ms(),
            "numberOfBinds": bind_count,
            // Array binding runs any DML statement once per row; Snowflake offers it for INSERT.
            "arrayBindSupported": result.kind == StatementKind::Insert,
            "databaseProvider": null,
            "finalDatabaseName": state.database,
            "finalSchemaName": state.schema,
            "finalWarehouseName": state.warehouse,
            "finalRoleName": state.role,
        });
        // DML counts and status texts stay JSON: the connectors read DML counts from `rowset`.
        if result.kind == StatementKind::Select && self.wants_arrow(state) {
            data["queryResultFormat"] = json!("arrow");
            data["rowsetBase64"] = json!(arrow::rowset_base64(result)?);
        } else {
            data["queryResultFormat"] = json!("json");
            data["rowset"] = rowset(result);
        }
        Ok(data)
    }

    /// Arrow for the Python connector, as Snowflake chooses by client, unless the request,
    /// the session (ALTER SESSION) or the login asked for JSON; JSON for every other client.
    pub(super) fn wants_arrow(&self, state: &SessionState) -> bool {
        let asked = self
            .requested_format
            .clone()
            .or_else(|| {
                let value = state.parameters.get(FORMAT_PARAMETER)?;
                value.as_str().map(str::to_string)
            })
            .or_else(|| self.client.result_format.clone());
        match asked {
            Some(format) => format.eq_ignore_ascii_case("arrow"),
            None => self.client.app_id == "PythonConnector",
        }
    }
}

/// The parameter the Python connector uses to choose its result format.
pub(super) const FORMAT_PARAMETER: &str = "PYTHON_CONNECTOR_QUERY_RESULT_FORMAT";

/// The `data` as JSON text. An Arrow `rowsetBase64` (megabytes of base64, whose alphabet needs no
/// JSON escaping) is spliced in rather than run through the serializer's escaping loop.
fn response_text(mut data: Value) -> String {
    let rowset = data
        .as_object_mut()
        .and_then(|fields| fields.remove("rowsetBase64"));
    let rest = data.to_string();
    match rowset {
        Some(Value::String(base64)) if rest.len() > 2 => {
            format!(r#"{{"rowsetBase64":"{base64}",{}"#, &rest[1..])
        }
        Some(Value::String(base64)) => format!(r#"{{"rowsetBase64":"{base64}"}}"#),
        _ => rest,
    }
}

#[cfg(test)]
mod tests {
    use super::response_text;
    use serde_json::{json, Value};

    #[test]
    fn the_spliced_rowset_is_the_same_json() {
        let data = json!({"rowsetBase64": "QUJD+/=", "total": 1, "rowtype": []});
        let text = response_text(data.clone());
        assert_eq!(serde_json::from_str::<Value>(&text).unwrap(), data);
        let only = json!({"rowsetBase64": ""});
        assert_eq!(
            serde_json::from_str::<Value>(&response_text(only.clone())).unwrap(),
            only
        );
    }
}
