//! A session on a running Mockhaus server, through its REST API.

use engine::{Cell, Column, QueryResult, SfError, SfType, StatementKind};
use serde_json::{json, Value};

use crate::{Error, Result};

pub struct RemoteSession {
    agent: ureq::Agent,
    base: String,
    session_id: String,
}

impl RemoteSession {
    pub fn open(url: &str, account: Option<&str>) -> Result<Self> {
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .build()
            .into();
        let base = url.trim_end_matches('/').to_string();
        let reply = post(
            &agent,
            &format!("{base}/api/v1/sessions"),
            &json!({"account": account}),
        )?;
        let session_id = reply
            .get("session_id")
            .and_then(Value::as_str)
            .ok_or_else(|| Error::Transport(format!("unexpected session reply: {reply}")))?
            .to_string();
        Ok(Self {
            agent,
            base,
            session_id,
        })
    }

    pub fn execute(&mut self, sql: &str) -> Result<QueryResult> {
        let url = format!("{}/api/v1/query", self.base);
        let reply = post(
            &self.agent,
            &url,
            &json!({"sql": sql, "session_id": self.session_id}),
        )?;
        if reply.get("success").and_then(Value::as_bool) != Some(true) {
            return Err(Error::Sql(remote_error(&reply)));
        }
        Ok(result_from_json(&reply))
    }
}

impl Drop for RemoteSession {
    fn drop(&mut self) {
        let url = format!("{}/api/v1/sessions/{}", self.base, self.session_id);
        let _ = self.agent.delete(&url).call();
    }
}

fn post(agent: &ureq::Agent, url: &str, body: &Value) -> Result<Value> {
    let mut response = agent
        .post(url)
        .send_json(body)
        .map_err(|e| Error::Transport(e.to_string()))?;
    response
        .body_mut()
        .read_json::<Value>()
        .map_err(|e| Error::Transport(e.to_string()))
}

fn remote_error(reply: &Value) -> SfError {
    let error = &reply["error"];
    let text = |key: &str| error[key].as_str().unwrap_or_default().to_string();
    SfError::new(text("code"), text("sql_state"), text("message"))
}

fn result_from_json(reply: &Value) -> QueryResult {
    let columns: Vec<Column> = reply["columns"]
        .as_array()
        .map(|cols| {
            cols.iter()
                .map(|c| {
                    let ty = c["type"]
                        .as_str()
                        .and_then(|t| SfType::parse(t).ok())
                        .unwrap_or(SfType::TEXT);
                    Column::new(c["name"].as_str().unwrap_or_default(), ty)
                })
                .collect()
        })
        .unwrap_or_default();
    let rows = reply["rows"]
        .as_array()
        .map(|rows| {
            rows.iter()
                .map(|row| {
                    row.as_array()
                        .map(|r| r.iter().map(cell).collect())
                        .unwrap_or_default()
                })
                .collect()
        })
        .unwrap_or_default();
    QueryResult {
        kind: StatementKind::Other,
        columns,
        rows,
    }
}

fn cell(value: &Value) -> Cell {
    match value {
        Value::Null => Cell::Null,
        Value::Bool(b) => Cell::Boolean(*b),
        Value::Number(n) => match n.as_i64() {
            Some(i) => Cell::Decimal {
                value: i as i128,
                scale: 0,
            },
            None => Cell::Float(n.as_f64().unwrap_or(f64::NAN)),
        },
        Value::String(s) => Cell::Text(s.clone()),
        other => Cell::Json(other.to_string()),
    }
}
