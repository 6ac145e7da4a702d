//! BEGIN / COMMIT / ROLLBACK. Snowflake commits an open transaction before DDL, and a
//! COMMIT or ROLLBACK with nothing open succeeds.

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
