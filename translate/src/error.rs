//! The one error type at the engine's edge: a Snowflake error code, SQL state and message,
//! worded as Snowflake words them so that drivers and users see what they would see there.

use std::borrow::Cow;
use std::fmt;

/// A Snowflake-style error: 6-digit code, 5-character SQL state, message.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct SfError {
    pub code: Cow<'static, str>,
    pub sql_state: Cow<'static, str>,
    pub message: String,
}

impl fmt::Display for SfError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({}): {}", self.code, self.sql_state, self.message)
    }
}

pub type SfResult<T> = Result<T, SfError>;

impl SfError {
    pub fn new(
        code: impl Into<Cow<'static, str>>,
        sql_state: impl Into<Cow<'static, str>>,
        message: impl Into<String>,
    ) -> Self {
        Self {
            code: code.into(),
            sql_state: sql_state.into(),
            message: message.into(),
        }
    }

    /// 001003: the statement does not parse as Snowflake SQL.
    pub fn syntax(detail: impl fmt::Display) -> Self {
        Self::new(
            "001003",
            "42000",
            format!("SQL compilation error:\n{detail}"),
        )
    }

    /// 001003 for a token that Snowflake's grammar does not accept at this point.
    pub fn unexpected(token: &str) -> Self {
        Self::syntax(format!(
            "syntax error line 1 at position 0 unexpected '{token}'."
        ))
    }

    /// 000904: a column (or other identifier) that does not resolve.
    pub fn invalid_identifier(name: &str) -> Self {
        Self::new(
            "000904",
            "42000",
            format!(
                "SQL compilation error: error line 1 at position 0\ninvalid identifier '{name}'"
            ),
        )
    }

    /// 000904 with the identifier's place in the statement.
    pub fn invalid_identifier_at(name: &str, line: u64, position: u64) -> Self {
        Self::new(
            "000904",
            "42000",
            format!("SQL compilation error: error line {line} at position {position}\ninvalid identifier '{name}'"),
        )
    }

    /// 002003 / 42S02: a table or view that does not exist.
    pub fn table_not_found(kind: &str, name: &str) -> Self {
        Self::new(
            "002003",
            "42S02",
            format!("SQL compilation error:\n{kind} '{name}' does not exist or not authorized."),
        )
    }

    /// 002003 / 02000: a database or schema that does not exist.
    pub fn namespace_not_found(kind: &str, name: &str) -> Self {
        Self::new(
            "002003",
            "02000",
            format!("SQL compilation error:\n{kind} '{name}' does not exist or not authorized."),
        )
    }

    /// 002002: an object that already exists.
    pub fn already_exists(kind: &str, name: &str) -> Self {
        Self::new(
            "002002",
            "42710",
            format!("SQL compilation error:\n{kind} '{name}' already exists."),
        )
    }

    /// 090105: no current database for a statement that needs one.
    pub fn no_current_database(action: &str) -> Self {
        Self::new(
            "090105",
            "22000",
            format!(
                "Cannot perform {action}. This session does not have a current database. \
                 Call 'USE DATABASE', or use a qualified name."
            ),
        )
    }

    /// 090106: no current schema for a statement that needs one.
    pub fn no_current_schema(action: &str) -> Self {
        Self::new(
            "090106",
            "22000",
            format!(
                "Cannot perform {action}. This session does not have a current schema. \
                 Call 'USE SCHEMA', or use a qualified name."
            ),
        )
    }

    /// 002140: a function Snowflake does not know (or Mockhaus does not emulate yet).
    pub fn unknown_function(name: &str) -> Self {
        Self::new(
            "002140",
            "42601",
            format!("SQL compilation error:\nUnknown function {name}"),
        )
    }

    /// 000002: a feature Snowflake has but Mockhaus does not emulate yet.
    pub fn unsupported(feature: impl fmt::Display) -> Self {
        Self::new(
            "000002",
            "0A000",
            format!("Unsupported feature '{feature}'."),
        )
    }

    /// 100035: a timestamp that does not parse.
    pub fn timestamp_not_recognized(text: &str) -> Self {
        Self::new(
            "100035",
            "22007",
            format!("Timestamp '{text}' is not recognized"),
        )
    }

    /// 100040: a date that does not parse.
    pub fn date_not_recognized(text: &str) -> Self {
        Self::new(
            "100040",
            "22007",
            format!("Date '{text}' is not recognized"),
        )
    }

    /// 100038: a number that does not parse.
    pub fn numeric_not_recognized(text: &str) -> Self {
        Self::new(
            "100038",
            "22018",
            format!("Numeric value '{text}' is not recognized"),
        )
    }

    /// 100051: division by zero.
    pub fn division_by_zero() -> Self {
        Self::new("100051", "22012", "Division by zero")
    }

    /// 000604: the statement was cancelled.
    pub fn cancelled() -> Self {
        Self::new("000604", "57014", "SQL execution canceled")
    }

    /// 000630: the statement ran past STATEMENT_TIMEOUT_IN_SECONDS.
    pub fn statement_timeout(seconds: u64) -> Self {
        Self::new(
            "000630",
            "57014",
            format!("Statement reached its statement or warehouse timeout of {seconds} second(s) and was canceled."),
        )
    }

    /// 000603: an internal failure that is not the user's fault.
    pub fn internal(detail: impl fmt::Display) -> Self {
        Self::new(
            "000603",
            "XX000",
            format!("SQL execution internal error:\n{detail}"),
        )
    }

    /// 100037 and friends fall back to a generic execution error with DuckDB's detail.
    pub fn execution(detail: impl fmt::Display) -> Self {
        Self::new("100000", "22000", format!("SQL execution error:\n{detail}"))
    }
}
