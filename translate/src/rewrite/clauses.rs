//! Snowflake query clauses DuckDB spells differently or lacks: `TOP n`, `MINUS`, `SAMPLE`,
//! `RLIKE`, `LIKE ANY (...)`, `IDENTIFIER('name')` and `TABLE(GENERATOR(ROWCOUNT => n))`.

use std::ops::ControlFlow;

use sqlparser::ast::{
    Expr, FunctionArg, FunctionArgExpr, FunctionArguments, Ident, LimitClause, MergeAction,
    ObjectName, ObjectNamePart, Query, SetExpr, SetOperator, Statement, TableFactor,
    TableSampleKind, TableSampleMethod, TableSampleModifier, TableSampleUnit, TopQuantity, Value,
    VisitMut, VisitorMut,
};

use super::parse_expr;
use crate::error::{SfError, SfResult};

/// Resolves `IDENTIFIER('name')` (a table or a column named by a string, often a session
/// variable) before names are folded and checked: it is the name, written as a literal.
pub(crate) fn resolve_identifier_calls(statement: &mut Statement) -> SfResult<()> {
    struct Resolver(Option<SfError>);
    impl VisitorMut for Resolver {
        type Break = ();
        fn pre_visit_table_factor(&mut self, factor: &mut TableFactor) -> ControlFlow<()> {
            if let TableFactor::Table { name, args, .. } = factor {
                if is_named(name, "IDENTIFIER") {
                    let arg = args.as_ref().and_then(|a| single_arg(&a.args));
                    match arg.map(parse_name) {
                        Some(Ok(resolved)) => {
                            *name = resolved;
                            *args = None;
                        }
                        Some(Err(err)) => {
                            self.0 = Some(err);
                            return ControlFlow::Break(());
                        }
                        None => {}
                    }
                }
            }
            ControlFlow::Continue(())
        }

        /// Snowflake's dialect parses `FROM IDENTIFIER('t')` as a name whose part is a call.
        fn pre_visit_relation(&mut self, name: &mut ObjectName) -> ControlFlow<()> {
            let [ObjectNamePart::Function(call)] = name.0.as_slice() else {
                return ControlFlow::Continue(());
            };
            if !call.name.value.eq_ignore_ascii_case("IDENTIFIER") {
                return ControlFlow::Continue(());
            }
            match single_arg(&call.args).map(parse_name) {
                Some(Ok(resolved)) => {
                    *name = resolved;
                    ControlFlow::Continue(())
                }
                Some(Err(err)) => {
                    self.0 = Some(err);
                    ControlFlow::Break(())
                }
                None => ControlFlow::Continue(()),
            }
        }

        fn pre_visit_expr(&mut self, expr: &mut Expr) -> ControlFlow<()> {
            let Expr::Function(func) = expr else {
                return ControlFlow::Continue(());
            };
            if !is_named(&func.name, "IDENTIFIER") {
                return ControlFlow::Continue(());
            }
            let FunctionArguments::List(list) = &func.args else {
                return ControlFlow::Continue(());
            };
            match single_arg(&list.args).map(parse_name) {
                Some(Ok(name)) => {
                    let mut idents: Vec<Ident> = name
                        .0
                        .into_iter()
                        .filter_map(|p| p.as_ident().cloned())
                        .collect();
                    *expr = match (idents.pop(), idents.is_empty()) {
                        (Some(only), true) => Expr::Identifier(only),
                        (Some(last), false) => {
                            idents.push(last);
                            Expr::CompoundIdentifier(idents)
                        }
                        (None, _) => Expr::CompoundIdentifier(idents),
                    };
                    ControlFlow::Continue(())
                }
                Some(Err(err)) => {
                    self.0 = Some(err);
                    ControlFlow::Break(())
                }
                None => ControlFlow::Continue(()),
            }
        }
    }
    let mut resolver = Resolver(None);
    let _ = statement.visit(&mut resolver);
    resolver.0.map_or(Ok(()), Err)
}

fn is_named(name: &ObjectName, expected: &str) -> bool {
    matches!(name.0.as_slice(), [ObjectNamePart::Identifier(i)]
        if i.quote_style.is_none() && i.value.eq_ignore_ascii_case(expected))
}

fn single_arg(args: &[FunctionArg]) -> Option<&Expr> {
    match args {
        [FunctionArg::Unnamed(FunctionArgExpr::Expr(expr))] => Some(expr),
        _ => None,
    }
}

/// The name a string literal spells, parsed as Snowflake parses an identifier.
fn parse_name(expr: &Expr) -> SfResult<ObjectName> {
    let text = match expr {
        Expr::Nested(inner) => return parse_name(inner),
        Expr::Value(v) => match &v.value {
            Value::SingleQuotedString(s) => Some(s.clone()),
            Value::DollarQuotedString(s) => Some(s.value.clone()),
            _ => None,
        },
        _ => None,
    };
    let Some(text) = text.filter(|t| !t.trim().is_empty()) else {
        return Err(SfError::unsupported(format!("IDENTIFIER({expr})")));
    };
    super::parse_object_name(&text)
}

/// `TOP n` → `LIMIT n`; `MINUS` → `EXCEPT`.
pub(crate) fn rewrite_query(query: &mut Query) -> SfResult<()> {
    if let SetExpr::Select(select) = query.body.as_mut() {
        if let Some(top) = select.top.take() {
            if top.percent || top.with_ties {
                return Err(SfError::unsupported("TOP ... PERCENT / WITH TIES"));
            }
            let limit = match top.quantity {
                Some(TopQuantity::Constant(n)) => parse_expr(&n.to_string())?,
                Some(TopQuantity::Expr(expr)) => expr,
                None => return Err(SfError::unexpected("TOP")),
            };
            if query.limit_clause.is_none() {
                query.limit_clause = Some(LimitClause::LimitOffset {
                    limit: Some(limit),
                    offset: None,
                    limit_by: Vec::new(),
                });
            }
        }
    }
    minus_to_except(query.body.as_mut());
    Ok(())
}

fn minus_to_except(body: &mut SetExpr) {
    if let SetExpr::SetOperation {
        op, left, right, ..
    } = body
    {
        if *op == SetOperator::Minus {
            *op = SetOperator::Except;
        }
        minus_to_except(left);
        minus_to_except(right);
    }
}

/// Snowflake's SAMPLE / TABLESAMPLE in DuckDB's words: a bare number is a percentage (a row
/// probability), `n ROWS` a fixed count; ROW/BERNOULLI sample rows, BLOCK/SYSTEM blocks.
pub(crate) fn rewrite_sample(sample: &mut TableSampleKind) {
    let (TableSampleKind::BeforeTableAlias(sample) | TableSampleKind::AfterTableAlias(sample)) =
        sample;
    sample.modifier = TableSampleModifier::TableSample;
    let rows = matches!(
        sample.quantity.as_ref().and_then(|q| q.unit.as_ref()),
        Some(TableSampleUnit::Rows)
    );
    if let Some(quantity) = sample.quantity.as_mut() {
        quantity.parenthesized = true;
        if quantity.unit.is_none() {
            quantity.unit = Some(TableSampleUnit::Percent);
        }
    }
    sample.name = match (rows, sample.name.take()) {
        (true, _) => None,
        (false, Some(TableSampleMethod::Block | TableSampleMethod::System)) => {
            Some(TableSampleMethod::System)
        }
        (false, _) => Some(TableSampleMethod::Bernoulli),
    };
}

/// `x RLIKE p` / `REGEXP`: Snowflake matches the whole string.
pub(crate) fn rlike(negated: bool, expr: &Expr, pattern: &Expr) -> SfResult<Expr> {
    let not = if negated { "NOT " } else { "" };
    parse_expr(&format!("({not}regexp_full_match({expr}, {pattern}))"))
}

/// `x [NOT] LIKE|ILIKE ANY (p1, p2...)`: true when any pattern matches.
pub(crate) fn like_any(
    negated: bool,
    case_insensitive: bool,
    expr: &Expr,
    pattern: &Expr,
    escape: Option<&Expr>,
) -> SfResult<Expr> {
    let patterns: Vec<&Expr> = match pattern {
        Expr::Tuple(items) => items.iter().collect(),
        Expr::Nested(inner) => vec![inner.as_ref()],
        other => vec![other],
    };
    let op = if case_insensitive { "ILIKE" } else { "LIKE" };
    let escape = escape.map(|e| format!(" ESCAPE {e}")).unwrap_or_default();
    let tests: Vec<String> = patterns
        .iter()
        .map(|p| format!("{expr} {op} {p}{escape}"))
        .collect();
    let any = format!("({})", tests.join(" OR "));
    parse_expr(&if negated { format!("(NOT {any})") } else { any })
}

/// Whether a `TABLE(...)` factor is `GENERATOR(...)`, which `generator_table` replaces.
pub(crate) fn is_generator(expr: &Expr) -> bool {
    matches!(expr, Expr::Function(f) if is_named(&f.name, "GENERATOR"))
}

/// `TABLE(GENERATOR(ROWCOUNT => n))` → a derived table of n rows (no columns Snowflake would
/// show; `SEQ4()` and friends number them). TIMELIMIT alone cannot be emulated.
pub(crate) fn generator_table(statement: &mut Statement) -> SfResult<()> {
    super::replace_table_factors(statement, generator_factor)
}

fn generator_factor(factor: &TableFactor) -> SfResult<Option<TableFactor>> {
    let TableFactor::TableFunction {
        expr: Expr::Function(func),
        alias,
    } = factor
    else {
        return Ok(None);
    };
    if !is_named(&func.name, "GENERATOR") {
        return Ok(None);
    }
    let rows = match &func.args {
        FunctionArguments::List(list) => list.args.iter().find_map(|arg| match arg {
            FunctionArg::Named { name, arg, .. } if name.value.eq_ignore_ascii_case("ROWCOUNT") => {
                Some(arg.to_string())
            }
            _ => None,
        }),
        _ => None,
    };
    let Some(rows) = rows else {
        return Err(SfError::unsupported("GENERATOR without ROWCOUNT"));
    };
    let alias = alias
        .as_ref()
        .map(|a| a.to_string())
        .unwrap_or_else(|| "AS \"GENERATOR\"".into());
    let sql = format!(
        "SELECT * FROM (SELECT NULL AS \"__MOCKHAUS_ROW\" FROM range(CAST({rows} AS BIGINT))) {alias}"
    );
    super::parse_table_factor(&sql).map(Some)
}

/// `UPDATE t SET t.x = ...` and MERGE's `UPDATE SET t.x = ...`: Snowflake accepts the column
/// qualified by the target table, DuckDB only the bare column.
pub(crate) fn unqualify_assignment_targets(statement: &mut Statement) {
    use sqlparser::ast::{Assignment, AssignmentTarget, MergeUpdateKind};
    fn strip(assignments: &mut [Assignment]) {
        for assignment in assignments {
            let names: Vec<&mut ObjectName> = match &mut assignment.target {
                AssignmentTarget::ColumnName(name) => vec![name],
                AssignmentTarget::Tuple(names) => names.iter_mut().collect(),
            };
            for name in names {
                if name.0.len() > 1 {
                    let last = name.0.pop();
                    name.0 = last.into_iter().collect();
                }
            }
        }
    }
    match statement {
        Statement::Update(update) => strip(&mut update.assignments),
        Statement::Merge(merge) => {
            for clause in &mut merge.clauses {
                if let MergeAction::Update(update) = &mut clause.action {
                    if let MergeUpdateKind::Set(assignments) = &mut update.kind {
                        strip(assignments);
                    }
                }
            }
        }
        _ => {}
    }
}
