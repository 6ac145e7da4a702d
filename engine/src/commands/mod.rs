//! Snowflake's SHOW and DESCRIBE commands, parsed from tokens. sqlparser knows only some SHOW
//! forms and none of Snowflake's options (`IN SCHEMA`, `STARTS WITH`, `LIMIT ... FROM`,
//! `PRIMARY KEYS`...), so these are parsed here:
//!
//! ```text
//! SHOW [TERSE] <objects> [LIKE '<pattern>'] [IN <scope>] [STARTS WITH '<prefix>'] [LIMIT <n> [FROM '<name>']]
//! DESC[RIBE] [TABLE | VIEW] <name> [TYPE = COLUMNS]
//! ```
//!
//! Also `UNSET`, `CREATE [OR REPLACE] SEQUENCE` and the ALTER TABLE forms of `alter_table.rs`.

use sqlparser::ast::{Ident, ObjectName, ObjectNamePart};
use sqlparser::keywords::Keyword;
use sqlparser::tokenizer::{Token, Word};

use crate::error::{SfError, SfResult};

mod alter_table;
mod create_function;
pub(crate) use alter_table::{
    is_alter_table_command, AlterTable, AlterTableAction, ColumnAction, ColumnChange,
};
pub(crate) use create_function::{CreateFunction, Returns};

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Command {
    Show(Show),
    Describe(Describe),
    /// `UNSET name` / `UNSET (a, b)`.
    Unset(Vec<ObjectName>),
    CreateSequence(CreateSequence),
    /// `CREATE FUNCTION` of a SQL user-defined function (`commands/create_function.rs`).
    CreateFunction(CreateFunction),
    /// `DESC[RIBE] FUNCTION name(types)`.
    DescribeFunction {
        name: ObjectName,
        argument_types: Vec<crate::types::SfType>,
    },
    /// ALTER TABLE forms sqlparser does not parse (`commands/alter_table.rs`).
    AlterTable(AlterTable),
    /// A file command (PUT, GET, LIST, REMOVE, CREATE / DROP STAGE, COPY INTO), kept as its
    /// text: it is parsed when it runs, with its bind values (`stages/parse.rs`).
    Stage(String),
}

/// `CREATE [OR REPLACE] SEQUENCE [IF NOT EXISTS] name [WITH] [START [WITH] [=] n]
/// [INCREMENT [BY] [=] m] [ORDER | NOORDER] [COMMENT = '...']`.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct CreateSequence {
    pub or_replace: bool,
    pub if_not_exists: bool,
    pub name: ObjectName,
    pub start: i64,
    pub increment: i64,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Show {
    pub terse: bool,
    pub objects: ShowObjects,
    /// A LIKE pattern (`%`, `_`), matched case-insensitively.
    pub like: Option<String>,
    pub scope: Option<Scope>,
    /// A prefix the name must start with, case-sensitively.
    pub starts_with: Option<String>,
    pub limit: Option<usize>,
    /// With LIMIT: only names after this one.
    pub from: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ShowObjects {
    Databases,
    Schemas,
    Tables,
    Views,
    Columns,
    Objects,
    Sequences,
    Functions,
    UserFunctions,
    Procedures,
    Warehouses,
    Roles,
    Users,
    Variables,
    Parameters,
    PrimaryKeys,
    UniqueKeys,
    ImportedKeys,
}

/// What follows IN.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Scope {
    Account,
    /// `IN DATABASE [name]`: the current database without a name.
    Database(Option<ObjectName>),
    /// `IN SCHEMA [name]`: the current schema without a name.
    Schema(Option<ObjectName>),
    /// `IN TABLE name` / `IN VIEW name`.
    Table(ObjectName),
    /// `IN name`: a schema (two parts), or a database or schema (one part).
    Named(ObjectName),
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Describe {
    pub target: DescribeTarget,
    pub name: ObjectName,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum DescribeTarget {
    /// `DESC TABLE` or a bare `DESC name`.
    Table,
    View,
}

/// Parses a command from its significant tokens (whitespace and comments removed).
pub(crate) fn parse(tokens: Vec<&Token>) -> SfResult<Command> {
    let mut cursor = Cursor { tokens, at: 0 };
    let command = if cursor.keyword(Keyword::SHOW) {
        Command::Show(cursor.show()?)
    } else if cursor.keyword(Keyword::UNSET) {
        Command::Unset(cursor.unset()?)
    } else if cursor.keyword_text("UNDROP") {
        // Dropped objects are gone at once in Mockhaus (no Time Travel): refuse clearly
        // rather than as a syntax error.
        let kind = cursor
            .word()
            .map_or(String::new(), |w| w.value.to_uppercase());
        return Err(SfError::unsupported(format!("UNDROP {kind}").trim_end()));
    } else if cursor.keyword(Keyword::ALTER) {
        cursor.expect_keyword("TABLE")?;
        Command::AlterTable(cursor.alter_table()?)
    } else if cursor.keyword(Keyword::CREATE) {
        if is_create_function(&cursor.tokens) {
            Command::CreateFunction(cursor.create_function()?)
        } else {
            Command::CreateSequence(cursor.create_sequence()?)
        }
    } else {
        cursor.advance();
        if cursor.keyword_text("FUNCTION") {
            let (name, argument_types) = cursor.function_signature()?;
            Command::DescribeFunction {
                name,
                argument_types,
            }
        } else {
            Command::Describe(cursor.describe()?)
        }
    };
    match cursor.peek() {
        None => Ok(command),
        Some(token) => Err(cursor.unexpected(token)),
    }
}

/// Whether a CREATE names FUNCTION before its object's name (past OR REPLACE, SECURE...).
pub(crate) fn is_create_function(tokens: &[&Token]) -> bool {
    tokens
        .iter()
        .skip(1)
        .take(5)
        .map_while(|t| match t {
            Token::Word(w) if w.quote_style.is_none() => Some(w.value.to_ascii_uppercase()),
            _ => None,
        })
        .any(|w| w == "FUNCTION")
}

struct Cursor<'a> {
    tokens: Vec<&'a Token>,
    at: usize,
}

impl<'a> Cursor<'a> {
    fn peek(&self) -> Option<&'a Token> {
        self.tokens.get(self.at).copied()
    }

    fn advance(&mut self) -> Option<&'a Token> {
        let token = self.peek();
        self.at += 1;
        token
    }

    fn word(&self) -> Option<&'a Word> {
        match self.peek() {
            Some(Token::Word(word)) => Some(word),
            _ => None,
        }
    }

    /// Consumes an unquoted word spelled `text` (case-insensitively).
    fn keyword_text(&mut self, text: &str) -> bool {
        let found = self
            .word()
            .is_some_and(|w| w.quote_style.is_none() && w.value.eq_ignore_ascii_case(text));
        if found {
            self.at += 1;
        }
        found
    }

    fn keyword(&mut self, keyword: Keyword) -> bool {
        let found = self
            .word()
            .is_some_and(|w| w.quote_style.is_none() && w.keyword == keyword);
        if found {
            self.at += 1;
        }
        found
    }

    fn expect_keyword(&mut self, text: &str) -> SfResult<()> {
        if self.keyword_text(text) {
            Ok(())
        } else {
            Err(self.unexpected_here())
        }
    }

    fn unexpected_here(&self) -> SfError {
        match self.peek() {
            Some(token) => self.unexpected(token),
            None => SfError::unexpected("<EOF>"),
        }
    }

    fn unexpected(&self, token: &Token) -> SfError {
        SfError::unexpected(&token.to_string())
    }

    fn string(&mut self) -> SfResult<String> {
        let value = match self.peek() {
            Some(Token::SingleQuotedString(s)) => s.clone(),
            Some(Token::DollarQuotedString(s)) => s.value.clone(),
            _ => return Err(self.unexpected_here()),
        };
        self.at += 1;
        Ok(value)
    }

    fn number(&mut self) -> SfResult<usize> {
        match self.peek() {
            Some(Token::Number(n, _)) => {
                let n = n.parse().map_err(|_| self.unexpected_here())?;
                self.at += 1;
                Ok(n)
            }
            _ => Err(self.unexpected_here()),
        }
    }

    /// A dotted name of one to three parts.
    fn object_name(&mut self) -> SfResult<ObjectName> {
        let mut parts = Vec::new();
        loop {
            let Some(word) = self.word() else {
                return Err(self.unexpected_here());
            };
            let ident = match word.quote_style {
                Some(q) => Ident::with_quote(q, word.value.clone()),
                None => Ident::new(word.value.clone()),
            };
            parts.push(ObjectNamePart::Identifier(ident));
            self.at += 1;
            if self.peek() != Some(&Token::Period) || parts.len() == 3 {
                return Ok(ObjectName(parts));
            }
            self.at += 1;
        }
    }

    fn show(&mut self) -> SfResult<Show> {
        let terse = self.keyword_text("TERSE");
        let objects = self.show_objects()?;
        let like = if self.keyword_text("LIKE") {
            Some(self.string()?)
        } else {
            None
        };
        let scope = if self.keyword_text("IN") {
            Some(self.scope()?)
        } else {
            None
        };
        let starts_with = if self.keyword_text("STARTS") {
            self.expect_keyword("WITH")?;
            Some(self.string()?)
        } else {
            None
        };
        let (limit, from) = if self.keyword_text("LIMIT") {
            let limit = self.number()?;
            let from = if self.keyword_text("FROM") {
                Some(self.string()?)
            } else {
                None
            };
            (Some(limit), from)
        } else {
            (None, None)
        };
        Ok(Show {
            terse,
            objects,
            like,
            scope,
            starts_with,
            limit,
            from,
        })
    }

    fn show_objects(&mut self) -> SfResult<ShowObjects> {
        use ShowObjects::*;
        let single = [
            ("DATABASES", Databases),
            ("SCHEMAS", Schemas),
            ("TABLES", Tables),
            ("VIEWS", Views),
            ("COLUMNS", Columns),
            ("OBJECTS", Objects),
            ("SEQUENCES", Sequences),
            ("FUNCTIONS", Functions),
            ("PROCEDURES", Procedures),
            ("WAREHOUSES", Warehouses),
            ("ROLES", Roles),
            ("USERS", Users),
            ("VARIABLES", Variables),
            ("PARAMETERS", Parameters),
        ];
        for (text, objects) in single {
            if self.keyword_text(text) {
                return Ok(objects);
            }
        }
        let keyed = [
            ("PRIMARY", PrimaryKeys),
            ("UNIQUE", UniqueKeys),
            ("IMPORTED", ImportedKeys),
        ];
        for (text, objects) in keyed {
            if self.keyword_text(text) {
                self.expect_keyword("KEYS")?;
                return Ok(objects);
            }
        }
        if self.keyword_text("USER") {
            self.expect_keyword("FUNCTIONS")?;
            return Ok(UserFunctions);
        }
        match self.word() {
            Some(word) => Err(SfError::unsupported(format!(
                "SHOW {}",
                word.value.to_uppercase()
            ))),
            None => Err(self.unexpected_here()),
        }
    }

    fn scope(&mut self) -> SfResult<Scope> {
        if self.keyword_text("ACCOUNT") {
            return Ok(Scope::Account);
        }
        if self.keyword(Keyword::DATABASE) {
            return Ok(Scope::Database(self.optional_name()?));
        }
        if self.keyword(Keyword::SCHEMA) {
            return Ok(Scope::Schema(self.optional_name()?));
        }
        if self.keyword(Keyword::TABLE) || self.keyword(Keyword::VIEW) {
            return Ok(Scope::Table(self.object_name()?));
        }
        Ok(Scope::Named(self.object_name()?))
    }

    /// A name, unless the next word starts the next clause.
    fn optional_name(&mut self) -> SfResult<Option<ObjectName>> {
        let next_clause = self.word().is_none_or(|w| {
            w.quote_style.is_none()
                && ["STARTS", "LIMIT"]
                    .iter()
                    .any(|k| w.value.eq_ignore_ascii_case(k))
        });
        if next_clause {
            Ok(None)
        } else {
            self.object_name().map(Some)
        }
    }

    fn create_sequence(&mut self) -> SfResult<CreateSequence> {
        let or_replace = self.or_replace()?;
        self.expect_keyword("SEQUENCE")?;
        let if_not_exists = self.if_not_exists()?;
        let name = self.object_name()?;
        let (mut start, mut increment) = (1, 1);
        self.keyword_text("WITH");
        loop {
            if self.keyword_text("START") {
                self.keyword_text("WITH");
                start = self.signed_number_after_optional_eq()?;
            } else if self.keyword_text("INCREMENT") {
                self.keyword_text("BY");
                increment = self.signed_number_after_optional_eq()?;
            } else if self.keyword_text("ORDER") || self.keyword_text("NOORDER") {
            } else if self.keyword_text("COMMENT") {
                if self.peek() == Some(&Token::Eq) {
                    self.at += 1;
                }
                self.string()?;
            } else {
                break;
            }
        }
        if increment == 0 {
            return Err(SfError::new(
                "001003",
                "42000",
                "SQL compilation error:\nSequence increment must be non-zero.",
            ));
        }
        Ok(CreateSequence {
            or_replace,
            if_not_exists,
            name,
            start,
            increment,
        })
    }

    /// `[OR REPLACE]`.
    fn or_replace(&mut self) -> SfResult<bool> {
        let found = self.keyword(Keyword::OR);
        if found {
            self.expect_keyword("REPLACE")?;
        }
        Ok(found)
    }

    /// `[IF NOT EXISTS]`.
    fn if_not_exists(&mut self) -> SfResult<bool> {
        let found = self.keyword(Keyword::IF);
        if found {
            self.expect_keyword("NOT")?;
            self.expect_keyword("EXISTS")?;
        }
        Ok(found)
    }

    /// `[=] [-]n`.
    fn signed_number_after_optional_eq(&mut self) -> SfResult<i64> {
        if self.peek() == Some(&Token::Eq) {
            self.at += 1;
        }
        let negative = self.peek() == Some(&Token::Minus);
        if negative {
            self.at += 1;
        }
        let n = self.number()? as i64;
        Ok(if negative { -n } else { n })
    }

    fn unset(&mut self) -> SfResult<Vec<ObjectName>> {
        if self.peek() != Some(&Token::LParen) {
            return Ok(vec![self.object_name()?]);
        }
        self.at += 1;
        let mut names = vec![self.object_name()?];
        while self.peek() == Some(&Token::Comma) {
            self.at += 1;
            names.push(self.object_name()?);
        }
        match self.advance() {
            Some(Token::RParen) => Ok(names),
            _ => Err(self.unexpected_here()),
        }
    }

    fn describe(&mut self) -> SfResult<Describe> {
        let target = if self.keyword(Keyword::TABLE) {
            DescribeTarget::Table
        } else if self.keyword(Keyword::VIEW) {
            DescribeTarget::View
        } else if let Some(word) = self.word().filter(|w| is_describable_kind(w)) {
            return Err(SfError::unsupported(format!(
                "DESCRIBE {}",
                word.value.to_uppercase()
            )));
        } else {
            DescribeTarget::Table
        };
        let name = self.object_name()?;
        if self.keyword(Keyword::TYPE) {
            if self.advance() != Some(&Token::Eq) {
                return Err(self.unexpected_here());
            }
            if !self.keyword_text("COLUMNS") {
                return Err(SfError::unsupported("DESCRIBE ... TYPE = STAGE"));
            }
        }
        Ok(Describe { target, name })
    }
}

/// Object kinds Snowflake can describe that Mockhaus does not (yet): named so that
/// `DESC DATABASE x` is "unsupported" rather than "table DATABASE does not exist".
fn is_describable_kind(word: &Word) -> bool {
    const KINDS: &[&str] = &[
        "DATABASE",
        "SCHEMA",
        "SEQUENCE",
        "FUNCTION",
        "PROCEDURE",
        "WAREHOUSE",
        "USER",
        "ROLE",
        "STAGE",
        "FILE",
        "STREAM",
        "TASK",
        "PIPE",
        "RESULT",
        "EXTERNAL",
        "MATERIALIZED",
        "DYNAMIC",
        "INTEGRATION",
        "NETWORK",
        "SEARCH",
        "SESSION",
    ];
    word.quote_style.is_none() && KINDS.iter().any(|k| word.value.eq_ignore_ascii_case(k))
}

#[cfg(test)]
mod tests {
    use sqlparser::dialect::SnowflakeDialect;
    use sqlparser::tokenizer::Tokenizer;

    use super::*;

    /// Parses a command from SQL text, as `request.rs` hands it over (no whitespace).
    pub(crate) fn command(sql: &str) -> SfResult<Command> {
        let tokens = Tokenizer::new(&SnowflakeDialect {}, sql)
            .tokenize()
            .unwrap();
        parse(
            tokens
                .iter()
                .filter(|t| !matches!(t, Token::Whitespace(_)))
                .collect(),
        )
    }

    fn show(sql: &str) -> Show {
        match command(sql).unwrap() {
            Command::Show(show) => show,
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn show_takes_every_clause() {
        let parsed = show(
            "show terse tables like 'T%' in schema db.\"s\" starts with 'T' limit 5 from 'T1'",
        );
        assert!(parsed.terse);
        assert_eq!(parsed.objects, ShowObjects::Tables);
        assert_eq!(parsed.like.as_deref(), Some("T%"));
        match parsed.scope {
            Some(Scope::Schema(Some(name))) => assert_eq!(name.to_string(), "db.\"s\""),
            other => panic!("{other:?}"),
        }
        assert_eq!(parsed.starts_with.as_deref(), Some("T"));
        assert_eq!(
            (parsed.limit, parsed.from.as_deref()),
            (Some(5), Some("T1"))
        );
    }

    #[test]
    fn show_scopes() {
        assert_eq!(show("show schemas in account").scope, Some(Scope::Account));
        assert_eq!(
            show("show tables in database limit 3").scope,
            Some(Scope::Database(None))
        );
        assert!(matches!(
            show("show primary keys in table t").scope,
            Some(Scope::Table(_))
        ));
        assert!(matches!(
            show("show views in db.s").scope,
            Some(Scope::Named(_))
        ));
        assert_eq!(
            show("show user functions").objects,
            ShowObjects::UserFunctions
        );
    }

    #[test]
    fn describe_forms() {
        for sql in [
            "desc table t",
            "describe t",
            "DESC TABLE db.s.t TYPE = COLUMNS",
        ] {
            assert!(matches!(
                command(sql).unwrap(),
                Command::Describe(Describe {
                    target: DescribeTarget::Table,
                    ..
                })
            ));
        }
        assert_eq!(command("desc database d").unwrap_err().code, "000002");
        assert_eq!(command("show stages").unwrap_err().code, "000002");
        assert_eq!(command("show tables extra").unwrap_err().code, "001003");
    }
}
