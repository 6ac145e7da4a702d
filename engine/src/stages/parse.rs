//! The file commands, parsed from [`lexer`] tokens:
//!
//! ```text
//! PUT '<file://path>' @<stage>[/<path>] [<option> = <value> ...]
//! GET @<stage>[/<path>] '<file://dir>' [PATTERN = '<regex>']
//! LIST | LS @<stage>[/<path>] [PATTERN = '<regex>']
//! REMOVE | RM @<stage>[/<path>] [PATTERN = '<regex>']
//! CREATE [OR REPLACE] [TEMP | TEMPORARY] { STAGE | FILE FORMAT } [IF NOT EXISTS] <name>
//!        [<option> = <value> ...]
//! DROP { STAGE | FILE FORMAT } [IF EXISTS] <name>
//! COPY INTO <table> [(<column>, ...)] [FROM @<stage> | (SELECT <item>, ... FROM @<stage> [<alias>])]
//!      [<option> = <value> ...]          (without FROM: the table's stage, @%<table>)
//! ```

use sqlparser::ast::ObjectName;
use sqlparser::dialect::SnowflakeDialect;
use sqlparser::parser::Parser;

use super::lexer::{Lexed, Tok};
use super::reference::{StageRef, StageTarget};
use crate::error::{SfError, SfResult};

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum StageCommand {
    Put {
        local: String,
        stage: StageRef,
        options: Options,
    },
    Get {
        stage: StageRef,
        local: String,
        options: Options,
    },
    List {
        stage: StageRef,
        options: Options,
    },
    Remove {
        stage: StageRef,
        options: Options,
    },
    Create(CreateStage),
    Drop {
        kind: ObjectKind,
        if_exists: bool,
        name: ObjectName,
    },
    Copy(CopyInto),
}

/// What CREATE and DROP name: a stage or a file format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ObjectKind {
    Stage,
    FileFormat,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct CreateStage {
    pub kind: ObjectKind,
    pub or_replace: bool,
    pub temporary: bool,
    pub if_not_exists: bool,
    pub name: ObjectName,
    pub options: Options,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct CopyInto {
    pub table: ObjectName,
    /// The column list after the table name, as written.
    pub columns: Option<Vec<String>>,
    pub stage: StageRef,
    /// The items of `FROM (SELECT ...)`, each as written.
    pub items: Option<Vec<String>>,
    pub options: Options,
}

/// `KEY = value` options, keys upper-case, in the order written.
pub(crate) type Options = Vec<(String, OptionValue)>;

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum OptionValue {
    /// A bare word or number, as written.
    Word(String),
    Text(String),
    /// `('a', 'b')`.
    List(Vec<OptionValue>),
    /// `(KEY = value ...)`, as FILE_FORMAT takes.
    Nested(Options),
}

impl OptionValue {
    /// The value as text: a word upper-cased (TRUE, CSV...), a string as written.
    pub(crate) fn text(&self) -> Option<String> {
        match self {
            OptionValue::Word(w) => Some(w.to_uppercase()),
            OptionValue::Text(t) => Some(t.clone()),
            _ => None,
        }
    }
}

pub(crate) fn parse(text: &str, tokens: Vec<Lexed>) -> SfResult<StageCommand> {
    let mut cursor = Cursor {
        text,
        tokens,
        at: 0,
    };
    let command = cursor.command()?;
    let mut trailing = cursor.next();
    if trailing == Some(Tok::Semicolon) {
        trailing = cursor.next();
    }
    match trailing {
        None => Ok(command),
        Some(tok) => Err(unexpected(&tok)),
    }
}

struct Cursor<'a> {
    text: &'a str,
    tokens: Vec<Lexed>,
    at: usize,
}

impl Cursor<'_> {
    fn command(&mut self) -> SfResult<StageCommand> {
        let first = self.word_upper().unwrap_or_default();
        match first.as_str() {
            "PUT" => {
                let local = self.text_or_word()?;
                let stage = self.stage()?;
                let options = self.options()?;
                Ok(StageCommand::Put {
                    local,
                    stage,
                    options,
                })
            }
            "GET" => {
                let stage = self.stage()?;
                let local = self.text_or_word()?;
                let options = self.options()?;
                Ok(StageCommand::Get {
                    stage,
                    local,
                    options,
                })
            }
            "LIST" | "LS" => Ok(StageCommand::List {
                stage: self.stage()?,
                options: self.options()?,
            }),
            "REMOVE" | "RM" => Ok(StageCommand::Remove {
                stage: self.stage()?,
                options: self.options()?,
            }),
            "CREATE" => self.create_stage().map(StageCommand::Create),
            "DROP" => {
                let kind = self.object_kind()?;
                let if_exists = self.keywords(&["IF", "EXISTS"]);
                let name = self.object_name()?;
                Ok(StageCommand::Drop {
                    kind,
                    if_exists,
                    name,
                })
            }
            "COPY" => self.copy_into().map(StageCommand::Copy),
            _ => Err(SfError::internal("not a file command")),
        }
    }

    fn create_stage(&mut self) -> SfResult<CreateStage> {
        let or_replace = self.keywords(&["OR", "REPLACE"]);
        // SCOPED TEMPORARY (Snowpark's): a temporary object of the session, here as TEMPORARY.
        self.keywords(&["SCOPED"]);
        let temporary = ["TEMP", "TEMPORARY"]
            .iter()
            .any(|word| self.keywords(&[word]));
        let kind = self.object_kind()?;
        let if_not_exists = self.keywords(&["IF", "NOT", "EXISTS"]);
        let name = self.object_name()?;
        let options = self.options()?;
        Ok(CreateStage {
            kind,
            or_replace,
            temporary,
            if_not_exists,
            name,
            options,
        })
    }

    fn object_kind(&mut self) -> SfResult<ObjectKind> {
        if self.keywords(&["FILE", "FORMAT"]) {
            return Ok(ObjectKind::FileFormat);
        }
        self.expect("STAGE")?;
        Ok(ObjectKind::Stage)
    }

    fn copy_into(&mut self) -> SfResult<CopyInto> {
        self.expect("INTO")?;
        if self.peek_is_stage() {
            return Err(SfError::unsupported("COPY INTO <location> (unloading)"));
        }
        let table = self.object_name()?;
        let columns = if self.eat(&Tok::LParen) {
            Some(self.column_list()?)
        } else {
            None
        };
        // Without FROM, the table's own stage.
        if !self.keywords(&["FROM"]) {
            return Ok(CopyInto {
                stage: StageRef {
                    target: StageTarget::Table(table.clone()),
                    path: String::new(),
                },
                table,
                columns,
                items: None,
                options: self.options()?,
            });
        }
        let (stage, items) = if self.eat(&Tok::LParen) {
            self.expect("SELECT")?;
            let items = self.select_items()?;
            let stage = self.stage()?;
            // An alias for the stage (`FROM @s t`) is allowed and not needed.
            if matches!(self.peek(), Some(Tok::Word(_))) {
                self.at += 1;
            }
            self.expect_tok(&Tok::RParen)?;
            (stage, Some(items))
        } else {
            (self.stage()?, None)
        };
        let options = self.options()?;
        Ok(CopyInto {
            table,
            columns,
            stage,
            items,
            options,
        })
    }

    /// The select items of a COPY transformation, each as written, up to the top-level FROM.
    fn select_items(&mut self) -> SfResult<Vec<String>> {
        let mut items = Vec::new();
        let mut depth = 0usize;
        let mut item_start: Option<usize> = None;
        loop {
            let Some(lexed) = self.tokens.get(self.at).cloned() else {
                return Err(SfError::syntax("COPY transformation without FROM"));
            };
            let at_top = depth == 0;
            match &lexed.tok {
                Tok::Word(w) if at_top && w.eq_ignore_ascii_case("FROM") => {
                    items.extend(item_start.map(|s| self.text[s..self.previous_end()].to_string()));
                    self.at += 1;
                    return Ok(items);
                }
                Tok::Comma if at_top => {
                    let start = item_start.take().ok_or_else(|| unexpected(&Tok::Comma))?;
                    items.push(self.text[start..self.previous_end()].to_string());
                }
                tok => {
                    item_start.get_or_insert(lexed.start);
                    match tok {
                        Tok::LParen => depth += 1,
                        Tok::RParen => depth = depth.saturating_sub(1),
                        _ => {}
                    }
                }
            }
            self.at += 1;
        }
    }

    fn previous_end(&self) -> usize {
        self.tokens[self.at - 1].end
    }

    fn column_list(&mut self) -> SfResult<Vec<String>> {
        let mut columns = Vec::new();
        loop {
            match self.next() {
                Some(Tok::Word(w)) => columns.push(w),
                Some(tok) => return Err(unexpected(&tok)),
                None => return Err(SfError::syntax("unterminated column list")),
            }
            match self.next() {
                Some(Tok::Comma) => continue,
                Some(Tok::RParen) => return Ok(columns),
                Some(tok) => return Err(unexpected(&tok)),
                None => return Err(SfError::syntax("unterminated column list")),
            }
        }
    }

    /// `KEY = value` pairs (commas between them allowed) until the end or a `)`.
    fn options(&mut self) -> SfResult<Options> {
        let mut options = Vec::new();
        loop {
            match self.peek() {
                Some(Tok::Comma) => self.at += 1,
                Some(Tok::Word(key)) => {
                    let key = key.to_uppercase();
                    self.at += 1;
                    self.expect_tok(&Tok::Eq)?;
                    options.push((key, self.option_value()?));
                }
                _ => return Ok(options),
            }
        }
    }

    fn option_value(&mut self) -> SfResult<OptionValue> {
        match self.next() {
            Some(Tok::Word(w)) => Ok(OptionValue::Word(w)),
            Some(Tok::Str(s)) => Ok(OptionValue::Text(s)),
            Some(Tok::LParen) => {
                let nested = matches!(self.peek(), Some(Tok::Word(_)))
                    && matches!(self.tokens.get(self.at + 1).map(|l| &l.tok), Some(Tok::Eq));
                let value = if nested {
                    OptionValue::Nested(self.options()?)
                } else {
                    OptionValue::List(self.value_list()?)
                };
                self.expect_tok(&Tok::RParen)?;
                Ok(value)
            }
            Some(tok) => Err(unexpected(&tok)),
            None => Err(SfError::syntax("an option without a value")),
        }
    }

    fn value_list(&mut self) -> SfResult<Vec<OptionValue>> {
        let mut values = Vec::new();
        while !matches!(self.peek(), Some(Tok::RParen) | None) {
            match self.next() {
                Some(Tok::Word(w)) => values.push(OptionValue::Word(w)),
                Some(Tok::Str(s)) => values.push(OptionValue::Text(s)),
                Some(Tok::Comma) => {}
                Some(tok) => return Err(unexpected(&tok)),
                None => {}
            }
        }
        Ok(values)
    }

    fn stage(&mut self) -> SfResult<StageRef> {
        match self.next() {
            Some(Tok::Word(w)) | Some(Tok::Str(w)) if w.starts_with('@') => StageRef::parse(&w),
            Some(tok) => Err(unexpected(&tok)),
            None => Err(SfError::syntax("a stage is missing")),
        }
    }

    fn peek_is_stage(&self) -> bool {
        matches!(self.peek(), Some(Tok::Word(w)) | Some(Tok::Str(w)) if w.starts_with('@') || w.contains("://"))
    }

    fn text_or_word(&mut self) -> SfResult<String> {
        match self.next() {
            Some(Tok::Word(w)) | Some(Tok::Str(w)) => Ok(w),
            Some(tok) => Err(unexpected(&tok)),
            None => Err(SfError::syntax("a file name is missing")),
        }
    }

    /// A name, or `IDENTIFIER('<name>')`.
    fn object_name(&mut self) -> SfResult<ObjectName> {
        let written = match self.next() {
            Some(Tok::Word(w)) if w.eq_ignore_ascii_case("IDENTIFIER") => {
                self.expect_tok(&Tok::LParen)?;
                let Some(Tok::Str(name)) = self.next() else {
                    return Err(SfError::syntax("IDENTIFIER takes a string"));
                };
                self.expect_tok(&Tok::RParen)?;
                name
            }
            Some(Tok::Word(w)) => w,
            Some(tok) => return Err(unexpected(&tok)),
            None => return Err(SfError::syntax("a name is missing")),
        };
        object_name(&written)
    }

    fn peek(&self) -> Option<&Tok> {
        self.tokens.get(self.at).map(|l| &l.tok)
    }

    fn next(&mut self) -> Option<Tok> {
        let tok = self.tokens.get(self.at).map(|l| l.tok.clone());
        self.at += tok.is_some() as usize;
        tok
    }

    fn eat(&mut self, tok: &Tok) -> bool {
        let found = self.peek() == Some(tok);
        self.at += found as usize;
        found
    }

    fn word_upper(&mut self) -> Option<String> {
        match self.next() {
            Some(Tok::Word(w)) => Some(w.to_uppercase()),
            _ => None,
        }
    }

    /// Consumes these words in order when all are next.
    fn keywords(&mut self, words: &[&str]) -> bool {
        let all = words.iter().enumerate().all(|(i, word)| {
            matches!(self.tokens.get(self.at + i).map(|l| &l.tok),
                Some(Tok::Word(w)) if w.eq_ignore_ascii_case(word))
        });
        if all {
            self.at += words.len();
        }
        all
    }

    fn expect(&mut self, word: &str) -> SfResult<()> {
        if self.keywords(&[word]) {
            return Ok(());
        }
        Err(match self.peek() {
            Some(tok) => unexpected(tok),
            None => SfError::syntax(format!("{word} is missing")),
        })
    }

    fn expect_tok(&mut self, tok: &Tok) -> SfResult<()> {
        match self.next() {
            Some(found) if &found == tok => Ok(()),
            Some(found) => Err(unexpected(&found)),
            None => Err(SfError::syntax("the statement ends too early")),
        }
    }
}

/// A one- to three-part name as written (quoted parts keep their case).
pub(crate) fn object_name(written: &str) -> SfResult<ObjectName> {
    let mut parser = Parser::new(&SnowflakeDialect {})
        .try_with_sql(written)
        .map_err(|e| SfError::syntax(e.to_string()))?;
    let name = parser
        .parse_object_name(false)
        .map_err(|_| SfError::syntax(format!("invalid name '{written}'")))?;
    if name.0.is_empty() || name.0.len() > 3 {
        return Err(SfError::syntax(format!("invalid name '{written}'")));
    }
    Ok(name)
}

fn unexpected(tok: &Tok) -> SfError {
    let shown = match tok {
        Tok::Word(w) => w.clone(),
        Tok::Str(s) => format!("'{s}'"),
        Tok::LParen => "(".into(),
        Tok::RParen => ")".into(),
        Tok::Comma => ",".into(),
        Tok::Eq => "=".into(),
        Tok::Semicolon => ";".into(),
    };
    SfError::unexpected(&shown)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::result::Cell;
    use crate::stages::lexer::lex;

    fn command(text: &str, binds: &[&str]) -> StageCommand {
        let binds: Vec<Cell> = binds.iter().map(|b| Cell::Text(b.to_string())).collect();
        parse(text, lex(text, &binds).unwrap()).unwrap()
    }

    #[test]
    fn write_pandas_copy_with_transformation_and_binds() {
        let sql = "COPY INTO identifier(?) /* Python */ (\"a\",\"B c\") FROM (SELECT $1:\"a\",$1:\"B c\"::NUMBER(38, 0) FROM '@\"DB\".\"S\".\"T1\"') FILE_FORMAT=(TYPE=PARQUET COMPRESSION=auto) PURGE=TRUE ON_ERROR=?";
        let StageCommand::Copy(copy) = command(sql, &["\"DB\".\"S\".\"TAB\"", "abort_statement"])
        else {
            panic!("not a copy");
        };
        assert_eq!(copy.table.to_string(), "\"DB\".\"S\".\"TAB\"");
        assert_eq!(copy.columns.unwrap(), vec!["\"a\"", "\"B c\""]);
        assert_eq!(
            copy.items.unwrap(),
            vec!["$1:\"a\"", "$1:\"B c\"::NUMBER(38, 0)"]
        );
        assert_eq!(copy.options[0].0, "FILE_FORMAT");
        assert!(matches!(&copy.options[0].1, OptionValue::Nested(o) if o.len() == 2));
        assert_eq!(copy.options[2].1.text().unwrap(), "abort_statement");
    }

    #[test]
    fn put_create_drop_list() {
        assert!(matches!(
            command("put file:///tmp/a.csv @~/x auto_compress = false", &[]),
            StageCommand::Put { local, options, .. } if local == "file:///tmp/a.csv" && options.len() == 1
        ));
        let StageCommand::Create(create) = command(
            "create or replace temporary stage if not exists s file_format = (type = csv skip_header = 1) comment = 'c'",
            &[],
        ) else {
            panic!("not a create");
        };
        assert!(create.or_replace && create.temporary && create.if_not_exists);
        assert_eq!(create.kind, ObjectKind::Stage);
        let StageCommand::Create(format) = command(
            "CREATE SCOPED TEMPORARY FILE FORMAT identifier(?) /* c */ TYPE=PARQUET COMPRESSION=auto",
            &["\"F\""],
        ) else {
            panic!("not a create");
        };
        assert_eq!(format.kind, ObjectKind::FileFormat);
        assert!(format.temporary);
        assert_eq!(format.options.len(), 2);
        assert_eq!(create.options.len(), 2);
        assert!(matches!(
            command("drop stage if exists db.s.x", &[]),
            StageCommand::Drop {
                kind: ObjectKind::Stage,
                if_exists: true,
                ..
            }
        ));
        assert!(matches!(
            command("ls @s pattern = '.*csv'", &[]),
            StageCommand::List { options, .. } if options.len() == 1
        ));
    }

    #[test]
    fn text_after_the_command_is_an_error() {
        // A statement after an unquoted file:// path on the same line reaches here whole.
        let sql = "PUT file:///tmp/a.csv @~; copy into t from @s";
        let err = parse(sql, lex(sql, &[]).unwrap()).unwrap_err();
        assert_eq!(err.code, "001003");
    }

    #[test]
    fn copy_into_a_location_is_refused() {
        let sql = "copy into @s from t";
        let err = parse(sql, lex(sql, &[]).unwrap()).unwrap_err();
        assert_eq!(err.code, "000002");
    }
}
