//! A request's text → its statements. Most statements are parsed by sqlparser; the Snowflake
//! commands whose grammar sqlparser does not follow (SHOW, DESCRIBE, UNSET, CREATE SEQUENCE,
//! some ALTER TABLE forms) are recognised here and parsed by `commands`.

use sqlparser::ast::Statement;
use sqlparser::dialect::SnowflakeDialect;
use sqlparser::keywords::Keyword;
use sqlparser::tokenizer::{Token, TokenWithSpan, Tokenizer};

use crate::commands::{self, Command};
use crate::error::{SfError, SfResult};
use crate::rewrite::{self, LineOffsets};

/// One statement of a request.
#[derive(Debug, Clone)]
pub(crate) enum Parsed {
    Sql(Box<Statement>),
    Command(Command),
}

/// Parses every statement of a request, in order.
pub(crate) fn parse(sql: &str) -> SfResult<Vec<Parsed>> {
    if !may_hold_command(sql) {
        return sql_only(sql);
    }
    let tokens = Tokenizer::new(&SnowflakeDialect {}, sql)
        .tokenize_with_location()
        .map_err(|e| SfError::syntax(e.to_string()))?;
    let pieces = split_statements(&tokens);
    if !pieces.iter().any(|piece| is_command(piece)) {
        return sql_only(sql);
    }
    let offsets = LineOffsets::new(sql);
    pieces
        .into_iter()
        .map(|piece| {
            if is_stage_command(piece) {
                let start = offsets.byte(piece.first().map(|t| t.span.start));
                let end = offsets.byte(piece.last().map(|t| t.span.end));
                return Ok(Parsed::Command(Command::Stage(
                    sql[start..end].trim().to_string(),
                )));
            }
            if let Some(feature) = unsupported_command(&significant(piece)) {
                return Err(SfError::unsupported(feature));
            }
            if is_command(piece) {
                commands::parse(significant(piece)).map(Parsed::Command)
            } else {
                parse_one(sql, &offsets, piece)
            }
        })
        .collect()
}

/// Whether the text could hold a command at all: most requests cannot, and skip tokenizing
/// twice (the first run of a statement text is on the latency budget).
fn may_hold_command(sql: &str) -> bool {
    if crate::stages::starts_with_file_command(sql) {
        return true;
    }
    let lower = sql.to_ascii_lowercase();
    [
        "show",
        "desc",
        "unset",
        "sequence",
        "alter",
        "undrop",
        "function",
        "procedure",
        "stage",
        "@",
    ]
    .iter()
    .any(|word| lower.contains(word))
}

/// Statements Mockhaus does not emulate and sqlparser does not parse (or parses as something
/// else): refused as unsupported features rather than as syntax errors. User-defined
/// functions other than SQL ones and procedures are not emulated.
fn unsupported_command(tokens: &[&Token]) -> Option<&'static str> {
    let word = |i: usize| match tokens.get(i) {
        Some(Token::Word(w)) if w.quote_style.is_none() => Some(w.value.to_ascii_uppercase()),
        _ => None,
    };
    let first = word(0)?;
    if first != "CREATE" {
        return None;
    }
    let modifiers = [
        "OR",
        "REPLACE",
        "SECURE",
        "TEMPORARY",
        "TEMP",
        "AGGREGATE",
        "EXTERNAL",
    ];
    let kind = (1..tokens.len())
        .map(word)
        .find(|w| !w.as_deref().is_some_and(|w| modifiers.contains(&w)))??;
    match kind.as_str() {
        "PROCEDURE" => Some("CREATE PROCEDURE"),
        "FUNCTION" if modifiers_of(&tokens[1..]).contains(&"AGGREGATE".to_string()) => {
            Some("CREATE AGGREGATE FUNCTION")
        }
        "FUNCTION" if modifiers_of(&tokens[1..]).contains(&"EXTERNAL".to_string()) => {
            Some("CREATE EXTERNAL FUNCTION")
        }
        _ => None,
    }
}

fn sql_only(sql: &str) -> SfResult<Vec<Parsed>> {
    Ok(rewrite::parse(sql)?
        .into_iter()
        .map(|s| Parsed::Sql(Box::new(s)))
        .collect())
}

/// The tokens of each statement (between top-level semicolons), without empty statements.
fn split_statements(tokens: &[TokenWithSpan]) -> Vec<&[TokenWithSpan]> {
    tokens
        .split(|t| t.token == Token::SemiColon)
        .filter(|piece| piece.iter().any(|t| is_significant(&t.token)))
        .collect()
}

fn is_significant(token: &Token) -> bool {
    !matches!(token, Token::Whitespace(_) | Token::EOF)
}

/// The tokens that carry meaning (no whitespace or comments).
fn significant(piece: &[TokenWithSpan]) -> Vec<&Token> {
    piece
        .iter()
        .map(|t| &t.token)
        .filter(|t| is_significant(t))
        .collect()
}

/// PUT, GET, LIST, REMOVE, CREATE / DROP STAGE and COPY INTO (`stages`).
fn is_stage_command(piece: &[TokenWithSpan]) -> bool {
    let words: Vec<String> = significant(piece)
        .into_iter()
        .take(6)
        .map_while(|t| match t {
            Token::Word(w) if w.quote_style.is_none() => Some(w.value.to_ascii_uppercase()),
            _ => None,
        })
        .collect();
    crate::stages::is_stage_command(&words)
}

fn is_command(piece: &[TokenWithSpan]) -> bool {
    if is_stage_command(piece) {
        return true;
    }
    let tokens = significant(piece);
    if unsupported_command(&tokens).is_some() {
        return true;
    }
    if is_create_sequence(&tokens)
        || crate::commands::is_alter_table_command(&tokens)
        || is_create(&tokens) && crate::commands::is_create_function(&tokens)
    {
        return true;
    }
    match tokens.first() {
        Some(Token::Word(word)) => {
            word.quote_style.is_none()
                && matches!(
                    word.keyword,
                    Keyword::SHOW | Keyword::DESC | Keyword::DESCRIBE | Keyword::UNSET
                )
                || word.value.eq_ignore_ascii_case("UNDROP")
        }
        _ => false,
    }
}

fn is_create(tokens: &[&Token]) -> bool {
    matches!(tokens.first(), Some(Token::Word(w))
        if w.quote_style.is_none() && w.value.eq_ignore_ascii_case("CREATE"))
}

/// The unquoted words before the first quoted word or symbol, upper-case.
fn modifiers_of(tokens: &[&Token]) -> Vec<String> {
    tokens
        .iter()
        .map_while(|t| match t {
            Token::Word(w) if w.quote_style.is_none() => Some(w.value.to_ascii_uppercase()),
            _ => None,
        })
        .take(6)
        .collect()
}

/// `CREATE [OR REPLACE] SEQUENCE ...`: sqlparser knows neither OR REPLACE nor `START = n` here.
fn is_create_sequence(tokens: &[&Token]) -> bool {
    let word = |i: usize, text: &str| {
        matches!(tokens.get(i), Some(Token::Word(w))
            if w.quote_style.is_none() && w.value.eq_ignore_ascii_case(text))
    };
    word(0, "CREATE")
        && (word(1, "SEQUENCE") || (word(1, "OR") && word(2, "REPLACE") && word(3, "SEQUENCE")))
}

/// Parses one SQL statement of a request that also holds commands. The text before it is
/// blanked, not cut, so that syntax errors keep their line and position in the request.
fn parse_one(sql: &str, offsets: &LineOffsets, piece: &[TokenWithSpan]) -> SfResult<Parsed> {
    let start = offsets.byte(piece.first().map(|t| t.span.start));
    let end = offsets.byte(piece.last().map(|t| t.span.end));
    let blanked: String = sql[..start]
        .chars()
        .map(|c| if c == '\n' { '\n' } else { ' ' })
        .collect();
    let text = format!("{blanked}{}", &sql[start..end]);
    // A piece holds no top-level semicolon, so it parses to exactly one statement.
    let statement = rewrite::parse(&text)?.into_iter().next();
    statement
        .map(|s| Parsed::Sql(Box::new(s)))
        .ok_or_else(|| SfError::syntax("syntax error line 1 at position 0 unexpected '<EOF>'."))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_sql_goes_to_sqlparser_whole() {
        let parsed = parse("select 1; select 2").unwrap();
        assert_eq!(parsed.len(), 2);
        assert!(parsed.iter().all(|p| matches!(p, Parsed::Sql(_))));
    }

    #[test]
    fn file_commands_keep_their_text() {
        // Quoted: unquoted, `//` would start a comment for sqlparser's tokenizer, which splits
        // a request into statements.
        let parsed = parse("select 1; PUT 'file:///tmp/x.csv' @~ ; copy into t from @s").unwrap();
        assert_eq!(parsed.len(), 3);
        assert!(
            matches!(&parsed[1], Parsed::Command(Command::Stage(text)) if text == "PUT 'file:///tmp/x.csv' @~")
        );
        assert!(matches!(&parsed[2], Parsed::Command(Command::Stage(_))));
        assert!(matches!(
            &parse("create or replace temp stage s").unwrap()[0],
            Parsed::Command(Command::Stage(_))
        ));
    }

    #[test]
    fn other_language_functions_and_procedures_are_unsupported_features() {
        for (sql, feature) in [
            (
                "create or replace secure function f(x int) returns int language javascript as 'x'",
                "LANGUAGE JAVASCRIPT",
            ),
            (
                "create external function f(x int) returns int api_integration = i as 'u'",
                "CREATE EXTERNAL FUNCTION",
            ),
            (
                "CREATE PROCEDURE p() RETURNS INT LANGUAGE SQL AS $$ 1 $$",
                "CREATE PROCEDURE",
            ),
        ] {
            let err = parse(sql).unwrap_err();
            assert_eq!(err.code, "000002", "{sql}");
            assert!(err.message.contains(feature), "{sql}: {}", err.message);
        }
        // A function call is not a command.
        assert!(parse("select get_path(parse_json('{}'), 'a'), 'x@y'").is_ok());
    }

    #[test]
    fn commands_are_recognised_beside_sql() {
        let parsed = parse("select 'a;b';\n show /* c */ tables; select 2;").unwrap();
        assert_eq!(parsed.len(), 3);
        assert!(matches!(parsed[1], Parsed::Command(Command::Show(_))));
        match &parsed[2] {
            Parsed::Sql(statement) => assert_eq!(statement.to_string(), "SELECT 2"),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn syntax_errors_after_a_command_keep_their_position() {
        let err = parse("show tables;\nselect from from").unwrap_err();
        assert_eq!(err.code, "001003");
        assert!(
            err.message.contains("line 2 at position 12"),
            "{}",
            err.message
        );
    }
}
