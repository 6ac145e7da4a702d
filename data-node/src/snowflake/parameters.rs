//! The session parameters sent at login and with every query result. The Node driver builds
//! its converters only from the per-query list; the Python connector needs
//! CLIENT_STAGE_ARRAY_BINDING_THRESHOLD for executemany (protocol reference §2.4).

use serde_json::{json, Value};

/// The defaults with the session's own ALTER SESSION values in their place (or added).
pub fn with_overrides(overrides: &std::collections::BTreeMap<String, Value>) -> Value {
    let mut list = match session_parameters() {
        Value::Array(list) => list,
        _ => Vec::new(),
    };
    for (name, value) in overrides {
        match list.iter_mut().find(|p| p["name"] == name.as_str()) {
            Some(existing) => existing["value"] = value.clone(),
            None => list.push(json!({"name": name, "value": value})),
        }
    }
    Value::Array(list)
}

/// The defaults every session starts with.
pub fn session_parameters() -> Value {
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
        {"name": "CLIENT_STAGE_ARRAY_BINDING_THRESHOLD", "value": 0},
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
