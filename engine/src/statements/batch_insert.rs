//! Array binding of `INSERT ... VALUES (?, ...)`: DuckDB pays a fixed cost per executed
//! statement, so one row per execution caps bulk inserts at a few thousand rows a second.
//! The one-row VALUES list is repeated for a block of rows with its bind variables renumbered
//! (`$1, $2` then `$3, $4`...), and each execution inserts a whole block.

use std::ops::ControlFlow;

use sqlparser::ast::{visit_expressions_mut, Expr, SetExpr, Statement, Value};
use sqlparser::dialect::DuckDbDialect;
use sqlparser::parser::Parser;

/// Bind variables per block execution: enough to amortise the per-statement cost, few
/// enough that planning the VALUES list stays cheap.
const VARIABLES_PER_BLOCK: usize = 8_192;

/// How many rows a block holds for a statement of `variables_per_row` bind variables.
pub fn block_rows(variables_per_row: usize) -> usize {
    (VARIABLES_PER_BLOCK / variables_per_row.max(1)).max(1)
}

/// The DuckDB SQL inserting `rows` rows at once, when `duckdb_sql` is an INSERT whose source
/// is a single VALUES row; `None` for any other statement (it then runs row by row).
pub fn repeated(duckdb_sql: &str, variables_per_row: usize, rows: usize) -> Option<String> {
    let mut statements = Parser::parse_sql(&DuckDbDialect {}, duckdb_sql).ok()?;
    let [Statement::Insert(insert)] = statements.as_mut_slice() else {
        return None;
    };
    let source = insert.source.as_mut()?;
    let SetExpr::Values(values) = source.body.as_mut() else {
        return None;
    };
    let [row] = values.rows.as_slice() else {
        return None;
    };
    let template = row.clone();
    values.rows = (0..rows)
        .map(|block_row| {
            let mut copy = template.clone();
            copy.content = renumbered(&template.content, block_row * variables_per_row)?;
            Some(copy)
        })
        .collect::<Option<_>>()?;
    Some(statements[0].to_string())
}

/// The row with every `$n` shifted by `offset`; `None` if it holds another kind of variable.
fn renumbered(row: &[Expr], offset: usize) -> Option<Vec<Expr>> {
    let mut row = row.to_vec();
    let mut ok = true;
    let _ = visit_expressions_mut(&mut row, |expr| {
        if let Expr::Value(value) = expr {
            if let Value::Placeholder(text) = &value.value {
                match text.strip_prefix('$').and_then(|n| n.parse::<usize>().ok()) {
                    Some(n) => value.value = Value::Placeholder(format!("${}", n + offset)),
                    None => ok = false,
                }
            }
        }
        ControlFlow::<()>::Continue(())
    });
    ok.then_some(row)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_values_row_becomes_a_block_with_renumbered_variables() {
        let sql = repeated("INSERT INTO T VALUES ($1, $2 + 1)", 2, 3).unwrap();
        assert_eq!(
            sql,
            "INSERT INTO T VALUES ($1, $2 + 1), ($3, $4 + 1), ($5, $6 + 1)"
        );
        assert_eq!(repeated("INSERT INTO T SELECT $1", 1, 2), None);
        assert_eq!(repeated("UPDATE T SET A = $1", 1, 2), None);
        assert_eq!(repeated("INSERT INTO T VALUES ($1), ($2)", 1, 2), None);
    }
}
