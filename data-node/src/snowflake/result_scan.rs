//! `SELECT * FROM TABLE(RESULT_SCAN('<query id>'))`: the whole result of an earlier query of the
//! same account, served from the query log. The Python connector's `get_results_from_sfqid`
//! sends exactly this text after an asynchronous query. RESULT_SCAN inside a larger query
//! (filters, joins, LAST_QUERY_ID()) reaches the engine, which reports it as unknown.

use axum::response::Response;
use engine::SfError;
use serde_json::json;

use super::envelope;
use super::query_log::Outcome;
use crate::AppState;

/// The query id when `sql` is exactly the whole-result form (any case and spacing, an
/// optional trailing `;`).
pub fn target(sql: &str) -> Option<String> {
    let compact: String = sql.split_whitespace().collect();
    let compact = compact.trim_end_matches(';');
    let lower = compact.to_ascii_lowercase();
    let prefix = "select*fromtable(result_scan('";
    let suffix = "'))";
    if !lower.starts_with(prefix) || !lower.ends_with(suffix) {
        return None;
    }
    let id = &compact[prefix.len()..compact.len() - suffix.len()];
    (!id.is_empty() && !id.contains('\'')).then(|| id.to_string())
}

/// The earlier result under a new query id, or Snowflake's error for an unknown id.
pub fn respond(app: &AppState, account: &str, target: &str, query_id: &str) -> Response {
    let outcome = app.query_log.get(account, target).map(|r| r.outcome);
    match outcome {
        Some(Outcome::Succeeded { data, .. }) => {
            let mut data: serde_json::Value = serde_json::from_str(&data).unwrap_or_default();
            data["queryId"] = json!(query_id);
            envelope::ok(data)
        }
        Some(Outcome::Failed(err)) => envelope::sql_error(&err, query_id),
        Some(Outcome::Running) | None => envelope::sql_error(
            &SfError::new("000709", "02000", format!("Statement {target} not found")),
            query_id,
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::target;

    #[test]
    fn only_the_whole_result_form_is_recognised() {
        let id = "01b2c3d4-0000-1234-0000-000000000001";
        assert_eq!(
            target(&format!("select * from table(result_scan('{id}'))")).as_deref(),
            Some(id)
        );
        assert_eq!(
            target(&format!(
                "SELECT *\n FROM TABLE ( RESULT_SCAN ( '{id}' ) ) ;"
            ))
            .as_deref(),
            Some(id)
        );
        assert_eq!(
            target(&format!("select a from table(result_scan('{id}'))")),
            None
        );
        assert_eq!(
            target("select * from table(result_scan(last_query_id()))"),
            None
        );
    }
}
