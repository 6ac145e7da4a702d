//! `POST /queries/v1/query-request`: one statement, a multi-statement request, a
//! `describeOnly` request, or an asynchronous one (`asyncExec`), with bind values.

use std::collections::HashMap;
use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use base64::Engine as _;
use engine::StatementKind;
use engine::{
    BindRow, Cell, Column, QueryResult, SessionState, SfError, SfResult, SfType, Streaming,
};
use serde::Deserialize;
use serde_json::{json, Map, Value};

use super::arrow;
use super::binds;
use super::chunks::{ChunkFile, Spool};
use super::encode::{rowset, rowtype};
use super::envelope;
use super::parameters::with_overrides;
use super::query_log::{Outcome, QueryRecord};
use super::{authorized, now_ms, result_scan};
use crate::sessions::{ClientInfo, SessionHandle};
use crate::{body, AppState};

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct QueryRequest {
    sql_text: Option<String>,
    #[serde(default)]
    async_exec: bool,
    #[serde(default)]
    describe_only: bool,
    #[serde(default)]
    bindings: Option<Map<String, Value>>,
    /// Per-request parameters, e.g. MULTI_STATEMENT_COUNT.
    #[serde(default)]
    parameters: Map<String, Value>,
}

/// What a request produced: one result, or one per statement of a multi-statement request.
enum Answer {
    Single(Box<Single>),
    Multi(Vec<(QueryResult, SessionState)>),
}

struct Single {
    result: QueryResult,
    bind_count: usize,
    state: SessionState,
    /// The rows past the first batch, spooled as chunks.
    chunks: Vec<ChunkFile>,
    /// When the columnar path ran: the first batch's Arrow IPC stream and its row count.
    inline_arrow: Option<(Vec<u8>, usize)>,
}

/// Everything recorded about one request while and after it runs.
#[derive(Clone)]
struct Job {
    app: Arc<AppState>,
    account: String,
    session_id: i64,
    /// The client's `requestId`, which its abort-request names.
    request_id: Option<String>,
    query_id: String,
    sql: String,
    start_ms: i64,
    /// Who asked, and any result format the request itself asked for.
    client: ClientInfo,
    requested_format: Option<String>,
    /// `http://<host>` as the client reached us, for absolute chunk URLs.
    base_url: String,
}

pub async fn query(
    State(state): State<Arc<AppState>>,
    Query(url_params): Query<HashMap<String, String>>,
    headers: HeaderMap,
    raw: Bytes,
) -> Response {
    let (session, _) = match authorized(&state, &headers) {
        Ok(found) => found,
        Err(failure) => return failure.into_response(),
    };
    let query_id = uuid::Uuid::new_v4().to_string();
    let request: QueryRequest = match body::decode(&headers, &raw) {
        Ok(request) => request,
        Err(e) => {
            return envelope::sql_error(&SfError::new("000900", "42000", e.to_string()), &query_id)
        }
    };
    let job = Job {
        app: state.clone(),
        account: session.account.clone(),
        session_id: session.id,
        request_id: url_params.get("requestId").cloned(),
        query_id,
        sql: request.sql_text.clone().unwrap_or_default(),
        start_ms: now_ms(),
        client: session.client.clone(),
        base_url: format!(
            "http://{}",
            headers
                .get(axum::http::header::HOST)
                .and_then(|h| h.to_str().ok())
                .unwrap_or("127.0.0.1")
        ),
        requested_format: request
            .parameters
            .get(FORMAT_PARAMETER)
            .and_then(Value::as_str)
            .map(str::to_string),
    };
    let span = tracing::info_span!("query", account = %job.account, session_id = session.id, query_id = %job.query_id);
    let _entered = span.enter();
    if let Some(target) = result_scan::target(&job.sql) {
        return result_scan::respond(&state, &job.account, &target, &job.query_id);
    }
    // Running from here on: monitoring says so, and an abort-request can find it.
    job.record(Outcome::Running);
    if request.async_exec {
        let running = job.clone();
        tokio::spawn(async move {
            let answer = execute(&session, &request, &running).await;
            let _ = running.finish(answer);
        });
        return envelope::async_started(&job.query_id);
    }
    let answer = execute(&session, &request, &job).await;
    match job.finish(answer) {
        Ok(data) => envelope::ok_text(&data),
        Err(err) => envelope::sql_error(&err, &job.query_id),
    }
}

/// Runs (or, for `describeOnly`, describes) the request's statement or statements.
async fn execute(
    session: &Arc<SessionHandle>,
    request: &QueryRequest,
    job: &Job,
) -> SfResult<Answer> {
    let sql = job.sql.clone();
    if request.describe_only {
        let (description, state) = session.run(move |s| s.describe(&sql)).await?;
        return Ok(Answer::Single(Box::new(Single {
            result: QueryResult {
                kind: description.kind,
                columns: description.columns,
                rows: Vec::new(),
            },
            bind_count: description.bind_count,
            state,
            chunks: Vec::new(),
            inline_arrow: None,
        })));
    }
    let binds: Vec<BindRow> = match &request.bindings {
        Some(bindings) if !bindings.is_empty() => binds::decode(bindings)?,
        _ => Vec::new(),
    };
    let bind_count = binds.first().map_or(0, Vec::len);
    let requested = requested_statement_count(&request.parameters);
    let job = job.clone();
    let query_id = job.query_id.clone();
    let (answer, _) = session
        .run_query(&query_id, move |s| {
            let expected = requested
                .or_else(|| statement_count(s.state().parameters.get("MULTI_STATEMENT_COUNT")?))
                .unwrap_or(1);
            if expected == 1 {
                let spool_dir = job.app.chunks.spool_dir(&job.query_id);
                let arrow = job.wants_arrow(s.state());
                let mut spool = Spool::new(spool_dir, arrow, job.app.chunk_rows);
                let streaming = Streaming {
                    batch_rows: job.app.chunk_rows,
                    sink: &mut spool,
                };
                let result = s
                    .execute_streaming(&sql, &binds, streaming)
                    .and_then(|result| spool.finish().map(|()| result))
                    .inspect_err(|_| spool.discard())?;
                return Ok(Answer::Single(Box::new(Single {
                    result,
                    bind_count,
                    state: s.state().clone(),
                    chunks: spool.chunks,
                    inline_arrow: spool.inline,
                })));
            }
            if !binds.is_empty() {
                return Err(SfError::unsupported(
                    "bind variables in a multi-statement request",
                ));
            }
            Ok(Answer::Multi(s.execute_multi(&sql, expected)?))
        })
        .await?;
    Ok(answer)
}

/// MULTI_STATEMENT_COUNT of the request; without it the session's (ALTER SESSION), else 1.
fn requested_statement_count(parameters: &Map<String, Value>) -> Option<usize> {
    statement_count(parameters.get("MULTI_STATEMENT_COUNT")?)
}

fn statement_count(value: &Value) -> Option<usize> {
    value
        .as_u64()
        .or_else(|| value.as_str()?.trim().parse().ok())
        .map(|n| n as usize)
}

impl Job {
    fn record(&self, outcome: Outcome) {
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
    fn finish(&self, answer: SfResult<Answer>) -> SfResult<Arc<str>> {
        let data = match answer.and_then(|answer| self.data_of(answer)) {
            Ok(data) => data,
            Err(err) => {
                tracing::debug!(code = %err.code, message = %err.message, "statement failed");
                self.record(Outcome::Failed(err.clone()));
                return Err(err);
            }
        };
        let rows = data["total"].as_u64().unwrap_or_default() as usize;
        let text: Arc<str> = data.to_string().into();
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
                let mut data = self.result_data(&result, &state, &self.query_id, bind_count)?;
                if let Some((stream, rows)) = inline_arrow {
                    data["rowsetBase64"] =
                        json!(base64::engine::general_purpose::STANDARD.encode(stream));
                    data["total"] = json!(rows);
                    data["returned"] = json!(rows);
                }
                if !chunks.is_empty() {
                    self.add_chunks(&mut data, &chunks);
                }
                Ok(data)
            }
            Answer::Multi(children) => self.multi_data(children),
        }
    }

    /// Points the response at the spooled chunks; `total` counts their rows too.
    fn add_chunks(&self, data: &mut Value, chunks: &[ChunkFile]) {
        let (listed, headers) =
            self.app
                .chunks
                .publish(&self.account, &self.query_id, &self.base_url, chunks);
        let inline = data["returned"].as_u64().unwrap_or_default();
        let spooled: usize = chunks.iter().map(|c| c.rows).sum();
        // Node reads rows up to `returned`: it counts every row sent, inline or in chunks.
        data["total"] = json!(inline as usize + spooled);
        data["returned"] = json!(inline as usize + spooled);
        data["chunks"] = listed;
        data["chunkHeaders"] = headers;
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
                data: data.to_string().into(),
                rows: result.rows.len(),
            });
            ids.push(child.query_id);
            types.push(result.kind.type_id().to_string());
        }
        let summary = QueryResult {
            kind: StatementKind::Select,
            columns: vec![Column {
                name: "multiple statement execution".into(),
                sf_type: SfType::TEXT,
                nullable: false,
            }],
            rows: vec![vec![Cell::Text(
                "Multiple statements executed successfully.".into(),
            )]],
        };
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
    fn wants_arrow(&self, state: &SessionState) -> bool {
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
const FORMAT_PARAMETER: &str = "PYTHON_CONNECTOR_QUERY_RESULT_FORMAT";
