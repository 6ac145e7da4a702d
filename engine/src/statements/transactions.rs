//! BEGIN / COMMIT / ROLLBACK. Snowflake commits an open transaction before DDL, and a
//! COMMIT or ROLLBACK with nothing open succeeds. With the session's AUTOCOMMIT off, a DML
//! statement opens a transaction when none is open, and it lasts until COMMIT, ROLLBACK, DDL
//! or AUTOCOMMIT turned back on; one still open when the session ends is rolled back.

use crate::error::SfResult;
use crate::result::{QueryResult, StatementKind};
use crate::session::Session;

pub fn begin(session: &mut Session) -> SfResult<QueryResult> {
    if !session.state.in_transaction {
        session.run_internal("BEGIN TRANSACTION")?;
        session.state.in_transaction = true;
    }
    Ok(QueryResult::status(
        StatementKind::Transaction,
        "Statement executed successfully.",
    ))
}

pub fn commit(session: &mut Session) -> SfResult<QueryResult> {
    implicit_commit(session)?;
    Ok(QueryResult::status(
        StatementKind::Transaction,
        "Statement executed successfully.",
    ))
}

pub fn rollback(session: &mut Session) -> SfResult<QueryResult> {
    if session.state.in_transaction {
        session.state.in_transaction = false;
        session.run_internal("ROLLBACK")?;
    }
    Ok(QueryResult::status(
        StatementKind::Transaction,
        "Statement executed successfully.",
    ))
}

/// Commits the open transaction, if any (DDL does this in Snowflake).
pub fn implicit_commit(session: &mut Session) -> SfResult<()> {
    if session.state.in_transaction {
        session.state.in_transaction = false;
        session.run_internal("COMMIT")?;
    }
    Ok(())
}

/// With AUTOCOMMIT off, opens the transaction a DML statement runs in (if none is open).
pub fn implicit_begin(session: &mut Session) -> SfResult<()> {
    if !autocommit(session) && !session.state.in_transaction {
        session.run_internal("BEGIN TRANSACTION")?;
        session.state.in_transaction = true;
    }
    Ok(())
}

/// The session's AUTOCOMMIT (on unless set to FALSE).
pub fn autocommit(session: &Session) -> bool {
    match session.state.parameters.get("AUTOCOMMIT") {
        Some(serde_json::Value::Bool(on)) => *on,
        Some(serde_json::Value::String(text)) => !text.eq_ignore_ascii_case("false"),
        Some(serde_json::Value::Number(n)) => n.as_i64() != Some(0),
        _ => true,
    }
}
