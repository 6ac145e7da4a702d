//! Snowflake AST → DuckDB SQL. The statement is parsed once with the Snowflake dialect,
//! rewritten family by family, and printed for DuckDB: Snowflake text never reaches DuckDB.

mod clauses;
mod coercion;
pub mod dates;
mod flatten;
pub mod functions;
pub mod idents;
mod naming;
pub mod numeric;

/// Column types of a statement's tables by (folded) column name, for the rewrites whose
/// answer depends on an operand's type (a division's NUMBER scale, DATEADD on a DATE); a name
/// two tables type differently is left out.
pub type ColumnTypes = std::collections::BTreeMap<String, crate::types::SfType>;

/// For contexts with no column types (DDL, DML, tests).
pub static NO_COLUMNS: ColumnTypes = ColumnTypes::new();

/// The type of a column reference, by its last name part.
pub(crate) fn column_type(expr: &Expr, columns: &ColumnTypes) -> Option<crate::types::SfType> {
    match expr {
        Expr::Identifier(ident) => columns.get(&ident.value).copied(),
        Expr::CompoundIdentifier(parts) => columns.get(&parts.last()?.value).copied(),
        _ => None,
    }
}
mod placeholders;
mod semi_structured;
pub mod session_zone;
mod text_arguments;
pub mod variables;
mod variant_order;

use std::ops::ControlFlow;

use sqlparser::ast::{
    BinaryOperator, CastKind, DataType, Expr, OrderByExpr, Query, Statement, TableFactor, VisitMut,
    VisitorMut,
};
use sqlparser::dialect::SnowflakeDialect;
use sqlparser::parser::Parser;

pub use functions::{FunctionContext, UserFunction, UserFunctions};

use crate::error::{SfError, SfResult};
use crate::types::SfType;

/// Parses Snowflake SQL into statements; a parse failure is Snowflake's syntax error.
pub fn parse(sql: &str) -> SfResult<Vec<Statement>> {
    Parser::parse_sql(&SnowflakeDialect {}, sql)
        .or_else(|first| comment_with_dollar_string(sql).unwrap_or(Err(first)))
        .map_err(|e| syntax_error(sql, &e.to_string()))
}

/// `COMMENT ON ... IS $$text$$` (dbt's persist_docs writes it): sqlparser takes only quoted
/// strings there, so the statement is parsed again with its dollar-quoted strings as quoted
/// ones (whose error, if it still does not parse, is the one to report). None for any other
/// statement.
fn comment_with_dollar_string(
    sql: &str,
) -> Option<Result<Vec<Statement>, sqlparser::parser::ParserError>> {
    use sqlparser::tokenizer::{Token, Tokenizer};
    let starts_with_comment = sql
        .trim_start()
        .get(..7)
        .is_some_and(|w| w.eq_ignore_ascii_case("COMMENT"));
    if !starts_with_comment {
        return None;
    }
    let tokens = match Tokenizer::new(&SnowflakeDialect {}, sql).tokenize_with_location() {
        Ok(tokens) => tokens,
        Err(e) => return Some(Err(e.into())),
    };
    let tokens = tokens
        .into_iter()
        .map(|mut t| {
            if let Token::DollarQuotedString(text) = &t.token {
                t.token = Token::SingleQuotedString(text.value.clone());
            }
            t
        })
        .collect();
    Some(
        Parser::new(&SnowflakeDialect {})
            .with_tokens_with_locations(tokens)
            .parse_statements(),
    )
}

/// sqlparser's "Expected: X, found: T at Line: L, Column: C" in Snowflake's words:
/// "syntax error line L at position C-1 unexpected 'T'." (EOF is `'<EOF>'` at the end).
fn syntax_error(sql: &str, parser_message: &str) -> SfError {
    let detail = parser_message
        .strip_prefix("sql parser error: ")
        .unwrap_or(parser_message);
    let Some((_, found)) = detail.split_once("found: ") else {
        return SfError::syntax(format!("syntax error line 1 at position 0 {detail}"));
    };
    let (token, location) = found.split_once(" at Line: ").unwrap_or((found, ""));
    let mut numbers = location
        .split(", Column: ")
        .map(|n| n.trim().parse::<usize>().ok());
    let (line, column) = match (numbers.next().flatten(), numbers.next().flatten()) {
        (Some(line), Some(column)) => (line, column.saturating_sub(1)),
        _ => {
            let last_line = sql.trim_end().lines().count().max(1);
            let width = sql
                .trim_end()
                .lines()
                .last()
                .map(|l| l.chars().count())
                .unwrap_or(0);
            (last_line, width)
        }
    };
    let token = if token == "EOF" { "<EOF>" } else { token };
    SfError::syntax(format!(
        "syntax error line {line} at position {column} unexpected '{token}'."
    ))
}

/// Where an identifier first appears in the statement text (line, 0-based position), for
/// Snowflake's "error line L at position P" in 000904 messages.
pub fn locate_identifier(sql: &str, name: &str) -> Option<(u64, u64)> {
    use sqlparser::tokenizer::{Token, Tokenizer};
    let tokens = Tokenizer::new(&SnowflakeDialect {}, sql)
        .tokenize_with_location()
        .ok()?;
    tokens.into_iter().find_map(|t| match &t.token {
        Token::Word(w) => {
            let folded = if w.quote_style.is_some() {
                format!("\"{}\"", w.value)
            } else {
                w.value.to_uppercase()
            };
            let unquoted_match = w.quote_style.is_some() && w.value == name;
            (folded == name || unquoted_match)
                .then(|| (t.span.start.line, t.span.start.column.saturating_sub(1)))
        }
        _ => None,
    })
}

/// A name written in a string (`IDENTIFIER('db.s.t')`, GET_DDL's argument): 000904 when the
/// text is not a name.
pub fn parse_object_name(text: &str) -> SfResult<sqlparser::ast::ObjectName> {
    Parser::new(&SnowflakeDialect {})
        .try_with_sql(text)
        .and_then(|mut p| p.parse_object_name(false))
        .map_err(|_| SfError::invalid_identifier(text))
}

/// Parses one expression written by the rewriter itself, usually around printed parts of
/// the tenant's statement. sqlparser prints a string literal's value with only its quotes
/// doubled, so the text is tokenized without backslash unescaping (or `'a\\b'`, printed as
/// `'a\b'`, would come back as a backspace) and the doubled quotes are then undone.
pub fn parse_expr(sql: &str) -> SfResult<Expr> {
    use sqlparser::tokenizer::Tokenizer;
    let invalid = |e: &dyn std::fmt::Display| {
        SfError::internal(format!("rewrite produced invalid SQL `{sql}`: {e}"))
    };
    let tokens = Tokenizer::new(&SnowflakeDialect {}, sql)
        .with_unescape(false)
        .tokenize_with_location()
        .map_err(|e| invalid(&e))?;
    let mut expr = Parser::new(&SnowflakeDialect {})
        .with_tokens_with_locations(tokens)
        .parse_expr()
        .map_err(|e| invalid(&e))?;
    let _ = sqlparser::ast::visit_expressions_mut(&mut expr, |e| {
        if let Expr::Value(v) = e {
            if let sqlparser::ast::Value::SingleQuotedString(text) = &mut v.value {
                *text = text.replace("''", "'");
            }
        }
        ControlFlow::<()>::Continue(())
    });
    Ok(expr)
}

/// Replaces every table factor of the statement that `replacement` has a replacement for
/// (GENERATOR, FLATTEN, INFORMATION_SCHEMA views...), after the factor's own contents have been
/// visited.
pub fn replace_table_factors(
    statement: &mut Statement,
    replacement: impl FnMut(&TableFactor) -> SfResult<Option<TableFactor>>,
) -> SfResult<()> {
    struct Replace<F> {
        replacement: F,
        error: Option<SfError>,
    }
    impl<F: FnMut(&TableFactor) -> SfResult<Option<TableFactor>>> VisitorMut for Replace<F> {
        type Break = ();
        fn post_visit_table_factor(&mut self, factor: &mut TableFactor) -> ControlFlow<()> {
            match (self.replacement)(factor) {
                Ok(Some(new_factor)) => *factor = new_factor,
                Ok(None) => {}
                Err(err) => {
                    self.error = Some(err);
                    return ControlFlow::Break(());
                }
            }
            ControlFlow::Continue(())
        }
    }
    let mut replace = Replace {
        replacement,
        error: None,
    };
    let _ = statement.visit(&mut replace);
    replace.error.map_or(Ok(()), Err)
}

/// Parses `SELECT * FROM <factor>` written by Mockhaus itself and returns the factor, to put
/// in place of one in a tenant's statement.
pub fn parse_table_factor(sql: &str) -> SfResult<TableFactor> {
    let invalid = || SfError::internal(format!("rewrite produced an invalid table `{sql}`"));
    let Some(Statement::Query(query)) = parse(sql)?.pop() else {
        return Err(invalid());
    };
    let sqlparser::ast::SetExpr::Select(select) = *query.body else {
        return Err(invalid());
    };
    select
        .from
        .into_iter()
        .next()
        .map(|t| t.relation)
        .ok_or_else(invalid)
}

/// Maps a Snowflake type (as written) to the DuckDB type that stores it.
pub fn duckdb_data_type(written: &DataType) -> SfResult<(SfType, DataType)> {
    let sf_type = SfType::parse(&written.to_string())?;
    let parsed = Parser::new(&SnowflakeDialect {})
        .try_with_sql(&sf_type.duckdb_type())
        .and_then(|mut p| p.parse_data_type())
        .map_err(SfError::internal)?;
    Ok((sf_type, parsed))
}

/// Rewrites a statement in place for DuckDB: identifiers, result names, functions, types.
pub fn rewrite(
    statement: &mut Statement,
    original_sql: &str,
    ctx: &FunctionContext<'_>,
) -> SfResult<()> {
    resolve_names(statement, ctx.variables)?;
    clauses::unqualify_assignment_targets(statement);
    placeholders::number(statement)?;
    idents::fold_identifiers(statement)?;
    if let Statement::Query(query) = statement {
        naming::name_values_columns(query);
    }
    let flatten = flatten::outputs(statement);
    let mut rewriter = Rewriter {
        original_sql,
        ctx,
        flatten,
        error: None,
    };
    let _ = statement.visit(&mut rewriter);
    if let Some(err) = rewriter.error {
        return Err(err);
    }
    clauses::generator_table(statement)?;
    flatten::replace(statement)?;
    match ctx.time_zone {
        Some(zone) if !session_zone::is_utc(zone) => {
            session_zone::apply(statement, zone, ctx.column_types)
        }
        _ => Ok(()),
    }
}

/// What must happen before names are checked against the catalog: `$variables` take their
/// values and `IDENTIFIER('name')` becomes the name. Idempotent.
pub fn resolve_names(statement: &mut Statement, variables: &variables::Variables) -> SfResult<()> {
    variables::substitute(statement, variables)?;
    clauses::resolve_identifier_calls(statement)
}

struct Rewriter<'a> {
    original_sql: &'a str,
    ctx: &'a FunctionContext<'a>,
    /// The statement's FLATTEN calls (their VALUE and THIS are VARIANT).
    flatten: flatten::FlattenOutputs,
    error: Option<SfError>,
}

impl Rewriter<'_> {
    fn fail(&mut self, err: SfError) -> ControlFlow<()> {
        self.error = Some(err);
        ControlFlow::Break(())
    }

    fn rewrite_expr(&mut self, expr: &mut Expr) -> SfResult<()> {
        coercion::coerce(expr, self.ctx.column_types, &self.flatten)?;
        text_arguments::cast(expr, self.ctx.column_types);
        let average_scale = match expr {
            Expr::Function(func) => numeric::prepare_average(func, self.ctx.column_types)?,
            _ => None,
        };
        let replacement = match expr {
            Expr::Function(func) => functions::rewrite(func, self.ctx)?,
            Expr::Cast {
                kind,
                expr: inner,
                data_type,
                ..
            } => Some(cast(kind, inner, data_type)?),
            Expr::JsonAccess { value, path } => Some(semi_structured::json_access(value, path)?),
            // EXTRACT(EPOCH...) counts whole units from the instant, as DATE_PART does.
            Expr::Extract {
                expr: source,
                field,
                ..
            } => {
                let field = field.to_string();
                let instant = functions::wall_clock::instant_source(source);
                match dates::extraction_only_part(&field, &instant) {
                    Some(sql) if dates::is_epoch_part(&field) => Some(parse_expr(&sql)?),
                    _ => {
                        **source = parse_expr(&functions::wall_clock::cast_source(source))?;
                        None
                    }
                }
            }
            Expr::CompoundIdentifier(parts) if is_nextval(parts) => {
                Some(nextval(&parts[..parts.len() - 1], self.ctx)?)
            }
            // X'48656C6C6F': a BINARY literal (DuckDB reads X'..' as text).
            Expr::Value(v) => match &v.value {
                sqlparser::ast::Value::HexStringLiteral(hex) => {
                    Some(parse_expr(&format!("unhex('{hex}')"))?)
                }
                _ => None,
            },
            Expr::RLike {
                negated,
                expr: inner,
                pattern,
                ..
            } => Some(clauses::rlike(*negated, inner, pattern)?),
            Expr::Like {
                negated,
                any: true,
                expr: inner,
                pattern,
                escape_char,
            } => Some(clauses::like_any(
                *negated,
                false,
                inner,
                pattern,
                escape_char.as_deref(),
            )?),
            Expr::ILike {
                negated,
                any: true,
                expr: inner,
                pattern,
                escape_char,
            } => Some(clauses::like_any(
                *negated,
                true,
                inner,
                pattern,
                escape_char.as_deref(),
            )?),
            Expr::BinaryOp {
                left,
                op: op @ (BinaryOperator::Plus | BinaryOperator::Minus),
                right,
            } if matches!(**right, Expr::Interval(_))
                && functions::wall_clock::may_be_zoned(left) =>
            {
                Some(functions::wall_clock::shifted(left, op, right)?)
            }
            // Two text literals are one constant: folded, so that a format model written as
            // `'yyyy-mm-dd HH24:MI' || 'UTC'` (dbt's catalog query) is still a literal.
            Expr::BinaryOp {
                left,
                op: BinaryOperator::StringConcat,
                right,
            } if folded_concat(left, right).is_some() => folded_concat(left, right),
            // DuckDB types `'a' || NULL` as its NULL type, which reaches the client as an
            // INTEGER column; Snowflake's `||` is always text. Each operand is cast to text as
            // CONCAT's are, so that a TIMESTAMP_LTZ shows the session's zone (`session_zone`).
            Expr::BinaryOp {
                left,
                op: BinaryOperator::StringConcat,
                right,
            } => Some(parse_expr(&format!(
                "CAST((CAST({left} AS VARCHAR) || CAST({right} AS VARCHAR)) AS VARCHAR)"
            ))?),
            Expr::BinaryOp {
                left,
                op: BinaryOperator::Divide,
                right,
            } => {
                let quotient = format!(
                    "(CASE WHEN {right} = 0 THEN error('Division by zero') ELSE {left} / {right} END)"
                );
                let sql = match numeric::division_type(left, right, self.ctx.column_types) {
                    Some((precision, scale)) => {
                        format!("CAST({quotient} AS DECIMAL({precision}, {scale}))")
                    }
                    None => quotient,
                };
                Some(parse_expr(&sql)?)
            }
            _ => None,
        };
        if let Some(new_expr) = replacement {
            *expr = new_expr;
        }
        if let Some(scale) = average_scale {
            *expr = parse_expr(&format!("CAST({expr} AS DECIMAL(38, {scale}))"))?;
        }
        Ok(())
    }
}

impl VisitorMut for Rewriter<'_> {
    type Break = ();

    fn pre_visit_query(&mut self, query: &mut Query) -> ControlFlow<()> {
        naming::name_projection(query, self.original_sql);
        match clauses::rewrite_query(query) {
            Ok(()) => ControlFlow::Continue(()),
            Err(err) => self.fail(err),
        }
    }

    fn pre_visit_table_factor(&mut self, factor: &mut TableFactor) -> ControlFlow<()> {
        match factor {
            TableFactor::Table {
                args: Some(_),
                name,
                ..
            } => {
                let name = name.to_string().replace('"', "");
                self.fail(SfError::unknown_function(&name))
            }
            factor if flatten::is_flatten(factor) => {
                flatten::as_table_function(factor);
                ControlFlow::Continue(())
            }
            TableFactor::Function { name, .. } => {
                let name = name.to_string().replace('"', "");
                self.fail(SfError::unknown_function(&name))
            }
            TableFactor::TableFunction { expr, .. } if clauses::is_generator(expr) => {
                ControlFlow::Continue(())
            }
            TableFactor::TableFunction { .. } => {
                match functions::user::table_call(factor, self.ctx) {
                    Ok(Some(call)) => {
                        *factor = call;
                        ControlFlow::Continue(())
                    }
                    Ok(None) => self.fail(SfError::unsupported("TABLE(...) functions")),
                    Err(err) => self.fail(err),
                }
            }
            TableFactor::Table {
                sample: Some(sample),
                ..
            } => {
                clauses::rewrite_sample(sample);
                ControlFlow::Continue(())
            }
            TableFactor::Derived {
                subquery, alias, ..
            } => {
                naming::name_derived_values(subquery, alias);
                ControlFlow::Continue(())
            }
            _ => ControlFlow::Continue(()),
        }
    }

    fn post_visit_expr(&mut self, expr: &mut Expr) -> ControlFlow<()> {
        match self.rewrite_expr(expr) {
            Ok(()) => ControlFlow::Continue(()),
            Err(err) => self.fail(err),
        }
    }

    fn post_visit_order_by_expr(&mut self, key: &mut OrderByExpr) -> ControlFlow<()> {
        let columns = self.ctx.column_types;
        match coercion::order_by_value(&mut key.expr, columns, &self.flatten) {
            Ok(()) => ControlFlow::Continue(()),
            Err(err) => self.fail(err),
        }
    }

    fn post_visit_query(&mut self, query: &mut Query) -> ControlFlow<()> {
        let columns = self.ctx.column_types;
        match variant_order::sort_outputs_by_value(query, columns, &self.flatten) {
            Ok(()) => ControlFlow::Continue(()),
            Err(err) => self.fail(err),
        }
    }
}

/// `CAST(x AS t)`, `x::t`, `TRY_CAST`: Snowflake types become their DuckDB storage types, and
/// casts in and out of VARIANT follow Snowflake's semantics rather than JSON text parsing.
fn cast(kind: &CastKind, inner: &Expr, data_type: &DataType) -> SfResult<Expr> {
    let (sf_type, duck_type) = duckdb_data_type(data_type)?;
    let cast_fn = if matches!(kind, CastKind::TryCast | CastKind::SafeCast) {
        "TRY_CAST"
    } else {
        "CAST"
    };
    let zoned = matches!(sf_type, SfType::TimestampLtz | SfType::TimestampTz);
    let offset_literal = match inner {
        Expr::Value(v) => match &v.value {
            sqlparser::ast::Value::SingleQuotedString(s) if zoned => {
                crate::offsets::duckdb_offset_literal(s)
            }
            _ => None,
        },
        _ => None,
    };
    let sql = if let Some(literal) = offset_literal {
        format!(
            "{cast_fn}('{}' AS {duck_type})",
            literal.replace('\'', "''")
        )
    } else if matches!(sf_type, SfType::Binary { .. }) && is_string_literal(inner) {
        // Snowflake reads text as HEX when it becomes BINARY (BINARY_INPUT_FORMAT).
        format!("unhex({inner})")
    } else if sf_type.is_semi_structured() {
        semi_structured::to_variant(inner, &duck_type)
    } else if let Some(json_value) = semi_structured::variant_scalar_source(inner) {
        format!("{cast_fn}({json_value} AS {duck_type})")
    } else if matches!(inner, Expr::Identifier(_) | Expr::CompoundIdentifier(_)) {
        // A column may hold a VARIANT (a table's, or FLATTEN's VALUE), whose value is
        // unwrapped like a path's; DuckDB folds `typeof` when it plans the query.
        format!(
            "(CASE WHEN typeof({inner}) = 'JSON' \
             THEN {cast_fn}(json_extract_string(CAST({inner} AS VARCHAR), '$') AS {duck_type}) \
             ELSE {cast_fn}({source} AS {duck_type}) END)",
            source = zone_free_source(&sf_type, inner)
        )
    } else {
        let source = zone_free_source(&sf_type, inner);
        format!("{cast_fn}({source} AS {duck_type})")
    };
    parse_expr(&sql)
}

/// What a cast to DATE or TIME reads: a TIMESTAMPTZ's wall clock (DuckDB casts those with
/// ICU, which is not compiled in); for other target types the value itself.
fn zone_free_source(target: &SfType, inner: &Expr) -> String {
    if matches!(target, SfType::Date | SfType::Time) {
        functions::wall_clock::cast_source(inner)
    } else {
        inner.to_string()
    }
}

/// `seq.NEXTVAL` (a sequence's next value; names fold before this runs).
fn is_nextval(parts: &[sqlparser::ast::Ident]) -> bool {
    parts.len() > 1
        && parts
            .last()
            .is_some_and(|p| p.value.eq_ignore_ascii_case("NEXTVAL"))
}

/// DuckDB's `nextval('"DB"."SCHEMA"."SEQ"')`, the name qualified by the session's context.
fn nextval(name: &[sqlparser::ast::Ident], ctx: &FunctionContext<'_>) -> SfResult<Expr> {
    let mut parts: Vec<String> = name.iter().map(|i| i.value.clone()).collect();
    if parts.len() < 3 {
        let schema = ctx
            .current_schema
            .ok_or_else(|| SfError::no_current_schema("SELECT"))?;
        let database = ctx
            .current_database
            .ok_or_else(|| SfError::no_current_database("SELECT"))?;
        if parts.len() == 1 {
            parts.insert(0, schema.to_string());
        }
        parts.insert(0, database.to_string());
    }
    let qualified: Vec<String> = parts.iter().map(|p| idents::quote(p)).collect();
    parse_expr(&format!(
        "nextval('{}')",
        qualified.join(".").replace('\'', "''")
    ))
}

fn is_string_literal(expr: &Expr) -> bool {
    string_literal_text(expr).is_some()
}

fn string_literal_text(expr: &Expr) -> Option<&str> {
    match expr {
        Expr::Value(v) => match &v.value {
            sqlparser::ast::Value::SingleQuotedString(text) => Some(text),
            _ => None,
        },
        _ => None,
    }
}

/// `'a' || 'b'` as the literal `'ab'`; None unless both sides are text literals.
fn folded_concat(left: &Expr, right: &Expr) -> Option<Expr> {
    let joined = format!(
        "{}{}",
        string_literal_text(left)?,
        string_literal_text(right)?
    );
    Some(Expr::value(sqlparser::ast::Value::SingleQuotedString(
        joined,
    )))
}

#[cfg(test)]
mod tests;

/// Splits a script into statements at top-level `;` (not inside strings or comments), with
/// the engine's own tokenizer, so `'a;b'` and `$$...;...$$` stay whole. Each statement is cut
/// from the original text (a token's printed form may differ: `'it''s'` prints as `'it's'`).
pub fn split_statements(sql: &str) -> Vec<String> {
    use sqlparser::tokenizer::{Token, Tokenizer};
    let Ok(tokens) = Tokenizer::new(&SnowflakeDialect {}, sql).tokenize_with_location() else {
        return vec![sql.to_string()];
    };
    let offsets = LineOffsets::new(sql);
    let mut statements = Vec::new();
    let mut start = 0;
    for token in &tokens {
        if token.token == Token::SemiColon {
            let at = offsets.byte(Some(token.span.start));
            push_statement(&mut statements, &sql[start..at]);
            start = (at + 1).min(sql.len());
        }
    }
    push_statement(&mut statements, &sql[start..]);
    statements
}

fn push_statement(statements: &mut Vec<String>, text: &str) {
    let text = text.trim();
    if !text.is_empty() && !is_only_comments(text) {
        statements.push(text.to_string());
    }
}

/// Whether a piece of a script holds nothing but comments (and whitespace).
fn is_only_comments(text: &str) -> bool {
    use sqlparser::tokenizer::{Token, Tokenizer};
    Tokenizer::new(&SnowflakeDialect {}, text)
        .tokenize()
        .is_ok_and(|tokens| tokens.iter().all(|t| matches!(t, Token::Whitespace(_))))
}

/// Converts the tokenizer's 1-based (line, column in characters) locations to byte offsets
/// in the text (its end for a location past it or none).
pub struct LineOffsets<'a> {
    sql: &'a str,
    line_starts: Vec<usize>,
}

impl<'a> LineOffsets<'a> {
    pub fn new(sql: &'a str) -> Self {
        let line_starts = std::iter::once(0)
            .chain(sql.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        Self { sql, line_starts }
    }

    pub fn byte(&self, location: Option<sqlparser::tokenizer::Location>) -> usize {
        let Some(location) = location.filter(|l| l.line > 0) else {
            return self.sql.len();
        };
        let Some(&line_start) = self.line_starts.get(location.line as usize - 1) else {
            return self.sql.len();
        };
        self.sql[line_start..]
            .char_indices()
            .nth(location.column.saturating_sub(1) as usize)
            .map_or(self.sql.len(), |(i, _)| line_start + i)
    }
}
