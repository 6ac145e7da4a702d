//! The session parameters a session starts with: sent to clients at login and with every
//! result (the data node's wire list), and listed by SHOW PARAMETERS with the session's own
//! ALTER SESSION values. The Node driver builds its converters only from the per-query list;
//! the Python connector needs CLIENT_STAGE_ARRAY_BINDING_THRESHOLD for executemany (protocol
//! reference §2.4). That threshold is the largest 32-bit integer, so no driver uploads array
//! binds to a stage (`bindStage` is not emulated): 0 stops the Python and Go drivers but not
//! Node's, which uploads whenever it has more binds than the threshold.

use serde_json::{json, Value};

/// The defaults every session starts with, as the wire protocol sends them.
pub fn session_defaults() -> Value {
    json!([
        {"name": "AUTOCOMMIT", "value": true},
        {"name": "TIMEZONE", "value": "UTC"},
        {"name": "TIMESTAMP_OUTPUT_FORMAT", "value": "YYYY-MM-DD HH24:MI:SS.FF3 TZHTZM"},
        {"name": "TIMESTAMP_NTZ_OUTPUT_FORMAT", "value": "YYYY-MM-DD HH24:MI:SS.FF3"},
        {"name": "TIMESTAMP_LTZ_OUTPUT_FORMAT", "value": ""},
        {"name": "TIMESTAMP_TZ_OUTPUT_FORMAT", "value": ""},
        {"name": "DATE_OUTPUT_FORMAT", "value": "YYYY-MM-DD"},
        {"name": "TIME_OUTPUT_FORMAT", "value": "HH24:MI:SS"},
        {"name": "BINARY_OUTPUT_FORMAT", "value": "HEX"},
        {"name": "CLIENT_STAGE_ARRAY_BINDING_THRESHOLD", "value": 2147483647},
        {"name": "CLIENT_TELEMETRY_ENABLED", "value": false},
        {"name": "CLIENT_OUT_OF_BAND_TELEMETRY_ENABLED", "value": false},
        {"name": "CLIENT_SESSION_KEEP_ALIVE", "value": false},
        {"name": "CLIENT_SESSION_KEEP_ALIVE_HEARTBEAT_FREQUENCY", "value": 3600},
        {"name": "CLIENT_PREFETCH_THREADS", "value": 4},
        {"name": "CLIENT_RESULT_CHUNK_SIZE", "value": 160},
        {"name": "QUERY_CONTEXT_CACHE_SIZE", "value": 5},
        {"name": "CLIENT_TIMESTAMP_TYPE_MAPPING", "value": "TIMESTAMP_LTZ"}
    ])
}

/// Parameters SHOW PARAMETERS lists beside the wire list: the ones ALTER SESSION commonly
/// sets (dbt reads QUERY_TAG before it sets its own), with Snowflake's defaults.
fn listed_defaults() -> Value {
    json!([
        {"name": "QUERY_TAG", "value": ""},
        {"name": "WEEK_START", "value": 0},
        {"name": "WEEK_OF_YEAR_POLICY", "value": 0},
        {"name": "QUOTED_IDENTIFIERS_IGNORE_CASE", "value": false},
        {"name": "STATEMENT_TIMEOUT_IN_SECONDS", "value": 172800},
        {"name": "ROWS_PER_RESULTSET", "value": 0},
        {"name": "TIMESTAMP_TYPE_MAPPING", "value": "TIMESTAMP_NTZ"},
        {"name": "DATE_INPUT_FORMAT", "value": "AUTO"},
        {"name": "TIMESTAMP_INPUT_FORMAT", "value": "AUTO"},
        {"name": "TIME_INPUT_FORMAT", "value": "AUTO"}
    ])
}

/// The defaults with the session's own ALTER SESSION values in their place (or added).
pub fn with_overrides(overrides: &std::collections::BTreeMap<String, Value>) -> Value {
    let mut list = as_list(session_defaults());
    for (name, value) in overrides {
        match list.iter_mut().find(|p| p["name"] == name.as_str()) {
            Some(existing) => existing["value"] = value.clone(),
            None => list.push(json!({"name": name, "value": value})),
        }
    }
    Value::Array(list)
}

/// One SHOW PARAMETERS row's facts.
pub(crate) struct Parameter {
    pub name: String,
    pub value: Value,
    pub default: Value,
    /// Whether the session set it (its level is SESSION).
    pub set_in_session: bool,
}

/// Every parameter SHOW PARAMETERS knows, by name: the defaults, then what the session set.
pub(crate) fn listed(overrides: &std::collections::BTreeMap<String, Value>) -> Vec<Parameter> {
    let mut list: Vec<Parameter> = as_list(session_defaults())
        .into_iter()
        .chain(as_list(listed_defaults()))
        .map(|p| Parameter {
            name: p["name"].as_str().unwrap_or_default().to_string(),
            value: p["value"].clone(),
            default: p["value"].clone(),
            set_in_session: false,
        })
        .collect();
    for (name, value) in overrides {
        match list.iter_mut().find(|p| &p.name == name) {
            Some(known) => {
                known.value = value.clone();
                known.set_in_session = true;
            }
            None => list.push(Parameter {
                name: name.clone(),
                value: value.clone(),
                default: Value::String(String::new()),
                set_in_session: true,
            }),
        }
    }
    list.sort_by(|a, b| a.name.cmp(&b.name));
    list
}

fn as_list(value: Value) -> Vec<Value> {
    match value {
        Value::Array(list) => list,
        _ => Vec::new(),
    }
}
