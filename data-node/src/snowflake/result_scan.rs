//! `SELECT * FROM TABLE(RESULT_SCAN('<query id>' | <index> | LAST_QUERY_ID([n])))`: the whole
//! result of an earlier query of the same account, served from the query log (any size). The
//! Python connector's `get_results_from_sfqid` sends exactly this text after an asynchronous
//! query. RESULT_SCAN inside a larger query (filters, joins) reaches the engine, which reads
//! its own typed copy of the result (`engine::recent_results`).

use axum::response::Response;
use engine::SfError;
use serde_json::json;

use super::envelope;
use super::query_log::Outcome;
use crate::sessions::SessionHandle;
use crate::AppState;

/// Whose result a whole-result RESULT_SCAN asks for.
#[derive(Debug, PartialEq, Eq)]
pub enum Target {
    Id(String),
    /// LAST_QUERY_ID(position) of the session.
    Last(i64),
}

impl Target {
    /// The query id it names, if the session has such a query.
    pub fn resolve(self, session: &SessionHandle) -> Option<String> {
        match self {
            Target::Id(id) => Some(id),
            Target::Last(position) => session.last_query_id(position),
        }
    }
}

/// The target when `sql` is exactly the whole-result form (any case and spacing, an
/// optional trailing `;`).
pub fn target(sql: &str) -> Option<Target> {
    let compact: String = sql.split_whitespace().collect();
    let compact = compact.trim_end_matches(';');
    let lower = compact.to_ascii_lowercase();
    let (prefix, suffix) = ("select*fromtable(result_scan(", "))");
    if !lower.starts_with(prefix) || !lower.ends_with(suffix) || lower.len() < prefix.len() + 2 {
        return None;
    }
    let argument = &compact[prefix.len()..compact.len() - suffix.len()];
    if let Some(id) = argument
        .strip_prefix('\'')
        .and_then(|rest| rest.strip_suffix('\''))
    {
        return (!id.is_empty() && !id.contains('\'')).then(|| Target::Id(id.to_string()));
    }
    // A query index (`-1`), nothing (the latest query) or LAST_QUERY_ID([n]).
    let lower = argument.to_ascii_lowercase();
    let position = match lower.strip_prefix("last_query_id(") {
        Some(call) => call.strip_suffix(')')?,
        None => &lower,
    };
    match position {
        "" => Some(Target::Last(-1)),
        digits => digits.parse().ok().map(Target::Last),
    }
}

/// The earlier result under a new query id, or Snowflake's error for an unknown id.
pub fn respond(app: &AppState, account: &str, target: Option<&str>, query_id: &str) -> Response {
    let Some(target) = target else {
        let missing = SfError::new(
            "000709",
            "02000",
            "Statement not found: the session has no such earlier query",
        );
        return envelope::sql_error(&missing, query_id);
    };
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
    use super::{target, Target};

    #[test]
    fn only_the_whole_result_form_is_recognised() {
        let id = "01b2c3d4-0000-1234-0000-000000000001";
        let by_id = Some(Target::Id(id.into()));
        assert_eq!(
            target(&format!("select * from table(result_scan('{id}'))")),
            by_id
        );
        assert_eq!(
            target(&format!(
                "SELECT *\n FROM TABLE ( RESULT_SCAN ( '{id}' ) ) ;"
            )),
            by_id
        );
        assert_eq!(
            target(&format!("select a from table(result_scan('{id}'))")),
            None
        );
        assert_eq!(
            target("select * from table(result_scan(last_query_id()))"),
            Some(Target::Last(-1))
        );
        assert_eq!(
            target("SELECT * FROM TABLE(RESULT_SCAN(LAST_QUERY_ID( -2 )))"),
            Some(Target::Last(-2))
        );
        assert_eq!(
            target("select * from table(result_scan(last_query_id(x)))"),
            None
        );
        assert_eq!(
            target("select * from table(result_scan())"),
            Some(Target::Last(-1))
        );
        assert_eq!(
            target("select * from table(result_scan(-3))"),
            Some(Target::Last(-3))
        );
        assert_eq!(target("select * from table(result_scan(x))"), None);
    }
}
