//! Snowflake reads `'2024-01-15 12:34:56 +05:00'` (a space before the UTC offset, or
//! `+0500`) as a timestamp with an offset; DuckDB only reads `...56+05:00`. String literals
//! bound for TIMESTAMP_LTZ/TZ columns of an INSERT ... VALUES are rewritten to DuckDB's form.
//! In a session whose TIMEZONE is not UTC, Snowflake reads such a literal without an offset
//! as a wall clock in that zone, which DuckDB's implicit cast would read as UTC: those
//! literals become explicit casts to TIMESTAMP_LTZ, which the rewrite reads in the zone.

use sqlparser::ast::{
    CastKind, DataType, Expr, Ident, Insert, ObjectName, SetExpr, Statement, TableObject, Value,
};

use super::QualifiedName;
use crate::error::SfResult;
use crate::session::Session;
pub use translate::offsets::duckdb_offset_literal;

/// Rewrites offset literals in the VALUES of an INSERT into timestamp-with-zone columns.
pub fn normalize_insert(session: &Session, statement: &mut Statement) -> SfResult<()> {
    let Statement::Insert(insert) = statement else {
        return Ok(());
    };
    let zone_reads_wall_clocks = session
        .state
        .time_zone()
        .is_some_and(|zone| !translate::rewrite::session_zone::is_utc(zone));
    let rewrites_literals =
        has_offset_literal(insert) || (zone_reads_wall_clocks && has_string_literal(insert));
    if !rewrites_literals {
        return Ok(());
    }
    let TableObject::TableName(table) = &insert.table else {
        return Ok(());
    };
    let zoned = zoned_positions(session, table, &insert.columns)?;
    let Some(SetExpr::Values(values)) = insert.source.as_mut().map(|q| q.body.as_mut()) else {
        return Ok(());
    };
    for row in values.rows.iter_mut() {
        for (position, expr) in row.iter_mut().enumerate() {
            if zoned.get(position).copied().unwrap_or(false) {
                rewrite_literal(expr);
                if zone_reads_wall_clocks && string_literal(expr).is_some() {
                    *expr = cast_to_local_time_zone(expr.clone());
                }
            }
        }
    }
    Ok(())
}

fn has_offset_literal(insert: &Insert) -> bool {
    let Some(SetExpr::Values(values)) = insert.source.as_ref().map(|q| q.body.as_ref()) else {
        return false;
    };
    values.rows.iter().flat_map(|row| row.iter()).any(|expr| {
        string_literal(expr)
            .and_then(duckdb_offset_literal)
            .is_some()
    })
}

fn has_string_literal(insert: &Insert) -> bool {
    let Some(SetExpr::Values(values)) = insert.source.as_ref().map(|q| q.body.as_ref()) else {
        return false;
    };
    values
        .rows
        .iter()
        .flat_map(|row| row.iter())
        .any(|expr| string_literal(expr).is_some())
}

/// `literal::TIMESTAMP_LTZ`, in Snowflake's syntax (the rewrite comes after).
fn cast_to_local_time_zone(literal: Expr) -> Expr {
    Expr::Cast {
        kind: CastKind::DoubleColon,
        expr: Box::new(literal),
        data_type: DataType::Custom(ObjectName::from(vec![Ident::new("TIMESTAMP_LTZ")]), vec![]),
        format: None,
    }
}

fn string_literal(expr: &Expr) -> Option<&str> {
    match expr {
        Expr::Value(v) => match &v.value {
            Value::SingleQuotedString(s) => Some(s),
            _ => None,
        },
        _ => None,
    }
}

fn rewrite_literal(expr: &mut Expr) {
    if let Expr::Value(v) = expr {
        if let Value::SingleQuotedString(s) = &v.value {
            if let Some(fixed) = duckdb_offset_literal(s) {
                v.value = Value::SingleQuotedString(fixed);
            }
        }
    }
}

/// For each inserted position, whether its target column stores a timestamp with zone.
fn zoned_positions(
    session: &Session,
    table: &ObjectName,
    columns: &[ObjectName],
) -> SfResult<Vec<bool>> {
    let table = QualifiedName::resolve(session, table, "INSERT")?;
    let sql = "SELECT column_name, data_type FROM duckdb_columns() \
               WHERE database_name = ? AND schema_name = ? AND table_name = ? ORDER BY column_index";
    let table_columns: Vec<(String, bool)> = session
        .catalog_rows(sql, &[&table.database, &table.schema, &table.name], 2)?
        .into_iter()
        .map(|row| (row[0].clone(), row[1].contains("WITH TIME ZONE")))
        .collect();
    if columns.is_empty() {
        return Ok(table_columns.into_iter().map(|(_, zoned)| zoned).collect());
    }
    Ok(columns
        .iter()
        .map(|c| {
            let name =
                c.0.last()
                    .and_then(|p| p.as_ident())
                    .map(crate::rewrite::idents::normalize)
                    .unwrap_or_default();
            table_columns.iter().any(|(n, zoned)| *zoned && *n == name)
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::duckdb_offset_literal;

    #[test]
    fn spaced_and_compact_offsets_become_duckdbs_form() {
        assert_eq!(
            duckdb_offset_literal("2024-01-15 12:34:56 +05:00").as_deref(),
            Some("2024-01-15 12:34:56+05:00")
        );
        assert_eq!(
            duckdb_offset_literal("2024-01-15 12:34:56.5 -0330").as_deref(),
            Some("2024-01-15 12:34:56.5-03:30")
        );
        assert_eq!(duckdb_offset_literal("2024-01-15 12:34:56"), None);
        assert_eq!(duckdb_offset_literal("hello +0500"), None);
    }
}
