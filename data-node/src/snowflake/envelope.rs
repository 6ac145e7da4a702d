//! The response envelope every endpoint answers with: `{data, code, message, success}`.
//! SQL failures are HTTP 200 with `success: false` (drivers retry 5xx and most 4xx for
//! minutes); only a missing or unknown token is a 401.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use engine::SfError;
use serde_json::{json, Value};

pub fn ok(data: Value) -> Response {
    Json(json!({"data": data, "code": null, "message": null, "success": true})).into_response()
}

/// `ok` for `data` already serialized, without parsing it again.
pub fn ok_text(data: &str) -> Response {
    let body = format!(r#"{{"data":{data},"code":null,"message":null,"success":true}}"#);
    (
        [(axum::http::header::CONTENT_TYPE, "application/json")],
        body,
    )
        .into_response()
}

/// A failed statement, with the query id it got, shaped as real Snowflake shapes it.
pub fn sql_error(err: &SfError, query_id: &str) -> Response {
    let data = json!({
        "internalError": false,
        "errorCode": err.code,
        "age": 0,
        "sqlState": err.sql_state,
        "queryId": query_id,
        "line": -1,
        "pos": -1,
        "type": "COMPILATION",
    });
    Json(json!({"data": data, "code": err.code, "message": err.message, "success": false, "headers": null}))
        .into_response()
}

/// The answer to `asyncExec`: the statement runs on; clients poll with its id.
pub fn async_started(query_id: &str) -> Response {
    Json(json!({
        "data": {
            "queryId": query_id,
            "getResultUrl": format!("/queries/{query_id}/result"),
            "queryAbortsAfterSecs": 300,
            "progressDesc": null,
        },
        "code": "333334",
        "message": "Asynchronous execution in progress. Use provided query id to perform query monitoring and management.",
        "success": true,
    }))
    .into_response()
}

/// The answer for a result asked for while its query still runs; drivers poll again.
pub fn still_running(query_id: &str) -> Response {
    Json(json!({
        "data": {"queryId": query_id, "getResultUrl": format!("/queries/{query_id}/result")},
        "code": "333333",
        "message": "Query execution in progress.",
        "success": true,
    }))
    .into_response()
}

/// A failure with no statement behind it (login, session operations).
pub fn failure(code: &str, message: &str) -> Response {
    Json(json!({"data": null, "code": code, "message": message, "success": false, "headers": null}))
        .into_response()
}

/// 401 with 390101/390104: the Node driver maps 390104 to "session gone, log in again".
pub fn unauthorized(code: &str, message: &str) -> Response {
    let body =
        json!({"data": null, "code": code, "message": message, "success": false, "headers": null});
    (StatusCode::UNAUTHORIZED, Json(body)).into_response()
}

pub fn invalid_token() -> Response {
    unauthorized("390104", "User must login again to access the service.")
}

pub fn missing_token() -> Response {
    unauthorized(
        "390101",
        "Authorization header not found in the request data.",
    )
}
