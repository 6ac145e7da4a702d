//! SELECT (and anything else that returns rows): run on DuckDB, typed back into Snowflake's
//! type system column by column.

use duckdb::Connection;
use sqlparser::ast::Statement;

use crate::convert::{cell_of, sf_type_of};
use crate::duckdb_errors;
use crate::error::SfResult;
use crate::result::{Column, QueryResult, StatementKind};
use crate::session::Session;

pub fn select(session: &mut Session, statement: Statement, sql: &str) -> SfResult<QueryResult> {
    super::catalog::require_context_for_names(session, &statement, "SELECT")?;
    let duckdb_sql = session.to_duckdb_sql(statement, sql)?;
    run_query(&session.conn, &duckdb_sql, StatementKind::Select)
}

/// Runs DuckDB SQL and converts every row.
pub(crate) fn run_query(
    conn: &Connection,
    duckdb_sql: &str,
    kind: StatementKind,
) -> SfResult<QueryResult> {
    let translate = |e: duckdb::Error| duckdb_errors::translate(&e);
    let mut stmt = conn.prepare(duckdb_sql).map_err(translate)?;
    let mut rows = stmt.query([]).map_err(translate)?;
    let columns = {
        let executed = rows.as_ref().expect("a running query has its statement");
        (0..executed.column_count())
            .map(|i| {
                let name = executed.column_name(i).map_err(translate)?.clone();
                Ok(Column::new(
                    name,
                    sf_type_of(&executed.column_logical_type(i)),
                ))
            })
            .collect::<SfResult<Vec<Column>>>()?
    };
    let mut out = Vec::new();
    while let Some(row) = rows.next().map_err(translate)? {
        let cells = columns
            .iter()
            .enumerate()
            .map(|(i, column)| Ok(cell_of(row.get_ref(i).map_err(translate)?, column.sf_type)))
            .collect::<SfResult<Vec<_>>>()?;
        out.push(cells);
    }
    Ok(QueryResult {
        kind,
        columns,
        rows: out,
    })
}
