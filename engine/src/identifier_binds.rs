//! `IDENTIFIER(...)` naming an object with a string: `IDENTIFIER('t')`, or `IDENTIFIER(?)`
//! with the name bound (the Python connector's `write_pandas` names its tables this way).
//! Before the statement is parsed each such call is replaced by the name itself, checked to
//! be exactly one object name, so every statement takes it wherever a name goes (DROP,
//! ALTER ... RENAME TO, CREATE ...). A bound name leaves the bind rows; the other binds stay
//! values, never SQL text. The new text is also the statement cache's key, so one text
//! naming two tables is two entries.

use sqlparser::dialect::SnowflakeDialect;
use sqlparser::parser::Parser;
use sqlparser::tokenizer::{Token, TokenWithSpan, Tokenizer};

use crate::binds::BindRow;
use crate::error::{SfError, SfResult};
use crate::result::Cell;
use crate::rewrite::LineOffsets;

/// The statement with its `IDENTIFIER(...)` names written in, and the binds left for the
/// rest; `None` when there is nothing to replace.
pub(crate) fn substitute(sql: &str, binds: &[BindRow]) -> SfResult<Option<(String, Vec<BindRow>)>> {
    if !crate::session::mentions(sql, b"identifier") {
        return Ok(None);
    }
    let Ok(tokens) = Tokenizer::new(&SnowflakeDialect {}, sql).tokenize_with_location() else {
        return Ok(None);
    };
    let offsets = LineOffsets::new(sql);
    let mut splices: Vec<(usize, usize, String)> = Vec::new();
    let mut named = Vec::new();
    let mut ordinal = 0;
    for (i, token) in tokens.iter().enumerate() {
        if token.token == Token::Placeholder("?".into()) {
            ordinal += 1;
        }
        let Some((argument, close)) = identifier_call(&tokens, i) else {
            continue;
        };
        let written = match &tokens[argument].token {
            Token::SingleQuotedString(text) => text.clone(),
            // The `?` after this word: one more than those counted so far.
            Token::Placeholder(p) if p == "?" && !binds.is_empty() => {
                named.push(ordinal + 1);
                name_at(binds, ordinal + 1)?
            }
            _ => continue,
        };
        let Some(name) = object_name_text(&written) else {
            continue;
        };
        let start = offsets.byte(Some(token.span.start));
        let end = offsets.byte(Some(tokens[close].span.end));
        splices.push((start, end, name));
    }
    if splices.is_empty() {
        return Ok(None);
    }
    let mut text = String::with_capacity(sql.len());
    let mut at = 0;
    for (start, end, name) in splices {
        text.push_str(&sql[at..start]);
        text.push_str(&name);
        at = end;
    }
    text.push_str(&sql[at..]);
    Ok(Some((text, without(binds, &named))))
}

/// For `IDENTIFIER ( <argument> )` starting at `at`: the argument's and the `)`'s indexes.
fn identifier_call(tokens: &[TokenWithSpan], at: usize) -> Option<(usize, usize)> {
    let is_identifier = matches!(&tokens[at].token,
        Token::Word(w) if w.quote_style.is_none() && w.value.eq_ignore_ascii_case("IDENTIFIER"));
    if !is_identifier {
        return None;
    }
    let mut significant =
        (at + 1..tokens.len()).filter(|&i| !matches!(tokens[i].token, Token::Whitespace(_)));
    let open = significant.next()?;
    let argument = significant.next()?;
    let close = significant.next()?;
    (tokens[open].token == Token::LParen && tokens[close].token == Token::RParen)
        .then_some((argument, close))
}

/// The name as SQL text when `written` is exactly one object name (else the call is left
/// for the rewriter, which reports it).
fn object_name_text(written: &str) -> Option<String> {
    let mut parser = Parser::new(&SnowflakeDialect {})
        .try_with_sql(written)
        .ok()?;
    let name = parser.parse_object_name(false).ok()?;
    (parser.peek_token().token == Token::EOF).then(|| name.to_string())
}

/// The bind rows without the values at the `named` ordinals (1-based); none at all when
/// nothing is left (the statement then runs as one without binds, as DDL must).
fn without(binds: &[BindRow], named: &[usize]) -> Vec<BindRow> {
    let rest: Vec<BindRow> = binds
        .iter()
        .map(|row| {
            row.iter()
                .enumerate()
                .filter(|(i, _)| !named.contains(&(i + 1)))
                .map(|(_, cell)| cell.clone())
                .collect()
        })
        .collect();
    if rest.iter().all(Vec::is_empty) {
        Vec::new()
    } else {
        rest
    }
}

/// The name bound at `ordinal`: text, and the same in every row of an array binding.
fn name_at(binds: &[BindRow], ordinal: usize) -> SfResult<String> {
    let mut names = binds.iter().map(|row| match row.get(ordinal - 1) {
        Some(Cell::Text(name)) => Ok(name.clone()),
        _ => Err(SfError::syntax(
            "IDENTIFIER(?) takes a text bind variable naming an object",
        )),
    });
    let first = names.next().expect("binds are not empty")?;
    for other in names {
        if other? != first {
            return Err(SfError::unsupported(
                "IDENTIFIER(?) naming different objects in one array binding",
            ));
        }
    }
    Ok(first)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(s: &str) -> Cell {
        Cell::Text(s.to_string())
    }

    #[test]
    fn names_are_filled_in_and_values_stay_binds() {
        let binds = vec![vec![text("\"DB\".\"S\".\"T\""), text("v"), text("x")]];
        let (sql, rest) = substitute(
            "insert into IDENTIFIER ( ? ) select ?, 'it''s' where identifier(?) = 1",
            &binds,
        )
        .unwrap()
        .unwrap();
        assert_eq!(
            sql,
            "insert into \"DB\".\"S\".\"T\" select ?, 'it''s' where x = 1"
        );
        assert_eq!(rest, vec![vec![text("v")]]);
    }

    #[test]
    fn statements_without_identifier_binds_are_left_alone() {
        let binds = vec![vec![text("a")]];
        assert!(substitute("select ?", &binds).unwrap().is_none());
        let (_, rest) = substitute("drop table identifier(?)", &binds)
            .unwrap()
            .unwrap();
        assert!(rest.is_empty());
        let (sql, _) = substitute("drop table IF EXISTS identifier('\"a b\"')", &[])
            .unwrap()
            .unwrap();
        assert_eq!(sql, "drop table IF EXISTS \"a b\"");
        // Not exactly one name: left for the rewriter to refuse.
        assert!(substitute("select identifier('t; drop table x')", &[])
            .unwrap()
            .is_none());
        let numbered = vec![vec![Cell::Decimal { value: 1, scale: 0 }]];
        assert_eq!(
            substitute("select * from identifier(?)", &numbered)
                .unwrap_err()
                .code,
            "001003"
        );
    }
}
