//! Tokens of the file commands (PUT, GET, LIST, REMOVE, CREATE / DROP STAGE, COPY INTO).
//! Their grammar is not SQL's: `file:///tmp/a.csv` and `@db.schema.stage/dir/` are single
//! words, and `//` is no comment here. So these commands are read by this small lexer, not
//! by sqlparser's tokenizer.
//!
//! Bind variables (`?`, `:1`) become string tokens holding the bound text: the Python
//! connector binds the stage of its own PUT and the table of `write_pandas`' COPY this way.
//! The bound text only ever names a stage, a table or an option; it never reaches DuckDB.

use crate::error::{SfError, SfResult};
use crate::result::Cell;

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Tok {
    /// A run of characters up to whitespace or punctuation; double-quoted parts (which may
    /// hold anything) included as written.
    Word(String),
    /// A single-quoted string, unescaped.
    Str(String),
    LParen,
    RParen,
    Comma,
    Eq,
    Semicolon,
}

/// A token and where it is in the text (byte offsets).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Lexed {
    pub tok: Tok,
    pub start: usize,
    pub end: usize,
}

pub(crate) fn lex(text: &str, binds: &[Cell]) -> SfResult<Vec<Lexed>> {
    let mut lexer = Lexer {
        text,
        at: 0,
        binds,
        next_bind: 0,
        out: Vec::new(),
    };
    lexer.run()?;
    Ok(lexer.out)
}

struct Lexer<'a> {
    text: &'a str,
    at: usize,
    binds: &'a [Cell],
    next_bind: usize,
    out: Vec<Lexed>,
}

impl Lexer<'_> {
    fn run(&mut self) -> SfResult<()> {
        while let Some(c) = self.peek() {
            let start = self.at;
            if c.is_whitespace() {
                self.at += c.len_utf8();
            } else if self.rest().starts_with("--") {
                self.skip_past("\n");
            } else if self.rest().starts_with("/*") {
                self.skip_past("*/");
            } else if let Some(tok) = punctuation(c) {
                self.at += 1;
                self.push(tok, start);
            } else if c == '\'' {
                let value = self.string()?;
                self.push(Tok::Str(value), start);
            } else {
                let word = self.word()?;
                let tok = self.bound(&word)?.unwrap_or(Tok::Word(word));
                self.push(tok, start);
            }
        }
        Ok(())
    }

    fn peek(&self) -> Option<char> {
        self.rest().chars().next()
    }

    fn rest(&self) -> &str {
        &self.text[self.at..]
    }

    fn push(&mut self, tok: Tok, start: usize) {
        self.out.push(Lexed {
            tok,
            start,
            end: self.at,
        });
    }

    fn skip_past(&mut self, end: &str) {
        self.at = match self.rest()[2..].find(end) {
            Some(i) => self.at + 2 + i + end.len(),
            None => self.text.len(),
        };
    }

    /// A single-quoted string: `''` and backslash escapes, as Snowflake reads them.
    fn string(&mut self) -> SfResult<String> {
        let mut value = String::new();
        let mut chars = self.rest().char_indices().skip(1);
        while let Some((i, c)) = chars.next() {
            match c {
                '\'' if self.rest()[i + 1..].starts_with('\'') => {
                    value.push('\'');
                    chars.next();
                }
                '\'' => {
                    self.at += i + 1;
                    return Ok(value);
                }
                '\\' => match chars.next() {
                    Some((_, 'n')) => value.push('\n'),
                    Some((_, 't')) => value.push('\t'),
                    Some((_, 'r')) => value.push('\r'),
                    Some((_, '0')) => value.push('\0'),
                    Some((_, other)) => value.push(other),
                    None => break,
                },
                c => value.push(c),
            }
        }
        Err(SfError::syntax("unterminated string literal"))
    }

    fn word(&mut self) -> SfResult<String> {
        let start = self.at;
        while let Some(c) = self.peek() {
            if c.is_whitespace() || c == '\'' || punctuation(c).is_some() {
                break;
            }
            if c == '"' {
                self.quoted_part()?;
            } else {
                self.at += c.len_utf8();
            }
        }
        Ok(self.text[start..self.at].to_string())
    }

    /// Skips a double-quoted part of a word (`""` is a quote inside it).
    fn quoted_part(&mut self) -> SfResult<()> {
        let mut i = self.at + 1;
        let bytes = self.text.as_bytes();
        while i < bytes.len() {
            if bytes[i] == b'"' {
                if bytes.get(i + 1) == Some(&b'"') {
                    i += 2;
                    continue;
                }
                self.at = i + 1;
                return Ok(());
            }
            i += 1;
        }
        Err(SfError::syntax("unterminated quoted identifier"))
    }

    /// The bound text for a bind variable word (`?` or `:n`).
    fn bound(&mut self, word: &str) -> SfResult<Option<Tok>> {
        let index = if word == "?" {
            self.next_bind += 1;
            self.next_bind
        } else if let Some(n) = word.strip_prefix(':').and_then(|n| n.parse::<usize>().ok()) {
            n
        } else {
            return Ok(None);
        };
        let cell = self.binds.get(index - 1).ok_or_else(|| {
            SfError::new(
                "002049",
                "42601",
                format!("SQL compilation error: error line 0 at position -1\nBind variable :{index} not set."),
            )
        })?;
        Ok(Some(Tok::Str(bound_text(cell)?)))
    }
}

fn punctuation(c: char) -> Option<Tok> {
    Some(match c {
        '(' => Tok::LParen,
        ')' => Tok::RParen,
        ',' => Tok::Comma,
        '=' => Tok::Eq,
        ';' => Tok::Semicolon,
        _ => return None,
    })
}

fn bound_text(cell: &Cell) -> SfResult<String> {
    match cell {
        Cell::Text(text) => Ok(text.clone()),
        Cell::Boolean(b) => Ok(if *b { "TRUE" } else { "FALSE" }.to_string()),
        Cell::Decimal { value, scale: 0 } => Ok(value.to_string()),
        _ => Err(SfError::unsupported(
            "a bind variable that is not text in a file command",
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn toks(text: &str) -> Vec<Tok> {
        lex(text, &[Cell::Text("@\"DB\".\"S\".\"ST\"".into())])
            .unwrap()
            .into_iter()
            .map(|l| l.tok)
            .collect()
    }

    fn word(w: &str) -> Tok {
        Tok::Word(w.to_string())
    }

    #[test]
    fn paths_and_stage_names_are_single_words() {
        assert_eq!(
            toks("PUT file:///tmp/a b.csv @my.\"St age\"/dir/ auto_compress=false;"),
            vec![
                word("PUT"),
                word("file:///tmp/a"),
                word("b.csv"),
                word("@my.\"St age\"/dir/"),
                word("auto_compress"),
                Tok::Eq,
                word("false"),
                Tok::Semicolon
            ]
        );
    }

    #[test]
    fn strings_comments_and_binds() {
        assert_eq!(
            toks("PUT /* c */ 'file:///tmp/it\\'s' ? -- done"),
            vec![
                word("PUT"),
                Tok::Str("file:///tmp/it's".into()),
                Tok::Str("@\"DB\".\"S\".\"ST\"".into()),
            ]
        );
        assert_eq!(
            toks("x = ('a''b', 1)"),
            vec![
                word("x"),
                Tok::Eq,
                Tok::LParen,
                Tok::Str("a'b".into()),
                Tok::Comma,
                word("1"),
                Tok::RParen
            ]
        );
        assert_eq!(lex("PUT ? ?", &[]).unwrap_err().code, "002049");
    }
}
