//! Result column names the way Snowflake gives them: an unaliased expression is named by its
//! text in upper case (`COUNT(*)`, `SUM(AMOUNT)`), VALUES columns are `COLUMN1..N`.

use sqlparser::ast::{
    Expr, Ident, Query, Select, SelectItem, SetExpr, Spanned, Statement, TableAlias,
    TableAliasColumnDef,
};
use sqlparser::tokenizer::Location;

/// Aliases every unaliased, non-column expression of the query's projection by its source text.
pub fn name_projection(query: &mut Query, original_sql: &str) {
    name_set_expr(&mut query.body, original_sql);
}

fn name_set_expr(body: &mut SetExpr, original_sql: &str) {
    match body {
        SetExpr::Select(select) => {
            let texts = projection_texts(original_sql, select);
            for (i, item) in select.projection.iter_mut().enumerate() {
                name_item(item, original_sql, texts.as_ref().and_then(|t| t.get(i)));
            }
        }
        SetExpr::SetOperation { left, .. } => name_set_expr(left, original_sql),
        SetExpr::Query(q) => name_set_expr(&mut q.body, original_sql),
        _ => {}
    }
}

fn name_item(item: &mut SelectItem, original_sql: &str, written: Option<&String>) {
    let SelectItem::UnnamedExpr(expr) = item else {
        return;
    };
    if matches!(expr, Expr::Identifier(_) | Expr::CompoundIdentifier(_)) {
        return;
    }
    let Some(text) = written.cloned().or_else(|| source_text(original_sql, expr)) else {
        return;
    };
    let alias = Ident::with_quote('"', text.to_uppercase());
    *item = SelectItem::ExprWithAlias {
        expr: expr.clone(),
        alias,
    };
}

/// The text of each projection item as written: the tokens after SELECT, split at top-level
/// commas, up to the clause that ends the projection. `None` when it cannot be told apart
/// (the item count differs, or the SELECT has no position).
fn projection_texts(sql: &str, select: &Select) -> Option<Vec<String>> {
    use sqlparser::dialect::SnowflakeDialect;
    use sqlparser::tokenizer::{Token, Tokenizer};

    let start = offset_of(sql, select.select_token.0.span.end)?;
    let tokens = Tokenizer::new(&SnowflakeDialect {}, &sql[start..])
        .tokenize()
        .ok()?;
    let mut items = vec![String::new()];
    let mut depth = 0i32;
    for token in tokens {
        match &token {
            Token::LParen | Token::LBracket | Token::LBrace => depth += 1,
            Token::RParen | Token::RBracket | Token::RBrace => depth -= 1,
            Token::Comma if depth == 0 => {
                items.push(String::new());
                continue;
            }
            Token::SemiColon | Token::EOF if depth == 0 => break,
            Token::Word(w) if depth == 0 && ENDS_PROJECTION.contains(&w.keyword) => break,
            _ => {}
        }
        items.last_mut()?.push_str(&token.to_string());
    }
    let first = items.first_mut()?;
    let trimmed = first.trim_start();
    for prefix in ["DISTINCT ", "ALL "] {
        // `get` rather than indexing: the prefix length may fall inside a multi-byte character.
        if trimmed
            .get(..prefix.len())
            .is_some_and(|head| head.eq_ignore_ascii_case(prefix))
        {
            *first = trimmed[prefix.len()..].to_string();
            break;
        }
    }
    let texts: Vec<String> = items.into_iter().map(|t| t.trim().to_string()).collect();
    (texts.len() == select.projection.len() && select.top.is_none()).then_some(texts)
}

/// Keywords that end a projection list at the top level.
const ENDS_PROJECTION: &[sqlparser::keywords::Keyword] = {
    use sqlparser::keywords::Keyword::*;
    &[
        FROM, WHERE, GROUP, HAVING, QUALIFY, ORDER, LIMIT, UNION, EXCEPT, MINUS, INTERSECT, INTO,
        WINDOW,
    ]
};

/// The exact text an expression was written as, from its span in the original statement.
fn source_text(sql: &str, expr: &Expr) -> Option<String> {
    let span = expr.span();
    let start = offset_of(sql, span.start)?;
    let end = offset_of(sql, span.end)?;
    let end = through_closing_parens(sql, start, end);
    (start < end).then(|| sql[start..end].trim().to_string())
}

/// Spans of calls stop before their argument list's closing parenthesis (and before the
/// list itself when an argument has no span, like `*`); extend to the balanced end.
fn through_closing_parens(sql: &str, start: usize, end: usize) -> usize {
    let mut depth: i32 = 0;
    let mut quote: Option<char> = None;
    for c in sql[start..end].chars() {
        track(c, &mut depth, &mut quote);
    }
    let mut end = end;
    let rest = &sql[end..];
    if depth == 0 {
        let trimmed = rest.trim_start();
        if !trimmed.starts_with('(') {
            return end;
        }
        end += rest.len() - trimmed.len();
    }
    for (i, c) in sql[end..].char_indices() {
        track(c, &mut depth, &mut quote);
        if depth == 0 && quote.is_none() && c == ')' {
            return end + i + 1;
        }
    }
    end
}

fn track(c: char, depth: &mut i32, quote: &mut Option<char>) {
    match (*quote, c) {
        (Some(q), c) if c == q => *quote = None,
        (Some(_), _) => {}
        (None, '\'' | '"') => *quote = Some(c),
        (None, '(') => *depth += 1,
        (None, ')') => *depth -= 1,
        _ => {}
    }
}

fn offset_of(sql: &str, location: Location) -> Option<usize> {
    if location.line == 0 {
        return None;
    }
    let line_start: usize = sql
        .split_inclusive('\n')
        .take(location.line as usize - 1)
        .map(str::len)
        .sum();
    let line = &sql[line_start..];
    let column = (location.column as usize).saturating_sub(1);
    let in_line = line
        .char_indices()
        .nth(column)
        .map(|(i, _)| i)
        .unwrap_or(line.len());
    Some(line_start + in_line)
}

/// A top-level `VALUES (...)` statement becomes a SELECT whose columns are COLUMN1..N.
pub fn name_values_columns(query: &mut Query) {
    let SetExpr::Values(values) = query.body.as_ref() else {
        return;
    };
    let width = values.rows.first().map(|row| row.len()).unwrap_or(0);
    let sql = format!("SELECT * FROM ({values}) AS \"_V\"({})", column_list(width));
    if let Ok(mut statements) = super::parse(&sql) {
        if let Some(Statement::Query(select)) = statements.pop() {
            query.body = select.body;
        }
    }
}

/// `FROM (VALUES ...) [AS t]` gets the column names Snowflake gives it.
pub fn name_derived_values(subquery: &Query, alias: &mut Option<TableAlias>) {
    let SetExpr::Values(values) = subquery.body.as_ref() else {
        return;
    };
    let width = values.rows.first().map(|row| row.len()).unwrap_or(0);
    let alias = alias.get_or_insert_with(|| TableAlias {
        explicit: true,
        name: Ident::with_quote('"', "_V"),
        columns: Vec::new(),
        at: None,
    });
    if alias.columns.is_empty() {
        alias.columns = (1..=width)
            .map(|i| TableAliasColumnDef {
                name: Ident::with_quote('"', format!("COLUMN{i}")),
                data_type: None,
            })
            .collect();
    }
}

fn column_list(width: usize) -> String {
    (1..=width)
        .map(|i| format!("\"COLUMN{i}\""))
        .collect::<Vec<_>>()
        .join(", ")
}
