//! `CREATE FUNCTION` for SQL user-defined functions, parsed from tokens (sqlparser's
//! Snowflake grammar for it covers neither `RETURNS TABLE (...)` nor the option order
//! Snowflake accepts):
//!
//! ```text
//! CREATE [OR REPLACE] [TEMP | TEMPORARY] [SECURE] FUNCTION [IF NOT EXISTS] <name>
//!   ( [<arg> <type>] [, ...] ) [COPY GRANTS]
//!   RETURNS { <type> | TABLE ( [<column> <type>] [, ...] ) } [[NOT] NULL]
//!   [LANGUAGE SQL] [CALLED ON NULL INPUT | RETURNS NULL ON NULL INPUT | STRICT]
//!   [VOLATILE | IMMUTABLE] [MEMOIZABLE] [COMMENT = '<text>']
//!   AS '<expression or query>'
//! ```

use sqlparser::ast::ObjectName;
use sqlparser::keywords::Keyword;
use sqlparser::tokenizer::Token;

use super::Cursor;
use crate::error::{SfError, SfResult};
use crate::rewrite::idents::normalize;
use crate::types::SfType;

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct CreateFunction {
    pub or_replace: bool,
    pub if_not_exists: bool,
    pub secure: bool,
    pub name: ObjectName,
    /// Arguments by folded name, with their types.
    pub arguments: Vec<(String, SfType)>,
    pub returns: Returns,
    /// `RETURNS ... NOT NULL`: a NULL result is an error.
    pub not_null: bool,
    /// `RETURNS NULL ON NULL INPUT` / `STRICT`.
    pub strict: bool,
    /// `IMMUTABLE` (the default is VOLATILE).
    pub immutable: bool,
    pub comment: Option<String>,
    /// The body as written (Snowflake SQL).
    pub body: String,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Returns {
    Scalar(SfType),
    /// The output columns by folded name.
    Table(Vec<(String, SfType)>),
}

/// Words that end a RETURNS type: the options that may follow it.
const AFTER_RETURN_TYPE: [&str; 11] = [
    "NOT",
    "NULL",
    "LANGUAGE",
    "CALLED",
    "RETURNS",
    "STRICT",
    "VOLATILE",
    "IMMUTABLE",
    "MEMOIZABLE",
    "COMMENT",
    "AS",
];

impl Cursor<'_> {
    /// After CREATE.
    pub(super) fn create_function(&mut self) -> SfResult<CreateFunction> {
        let or_replace = self.or_replace()?;
        if self.keyword_text("TEMP") || self.keyword_text("TEMPORARY") {
            return Err(SfError::unsupported("CREATE TEMPORARY FUNCTION"));
        }
        let secure = self.keyword_text("SECURE");
        self.expect_keyword("FUNCTION")?;
        let if_not_exists = self.if_not_exists()?;
        let name = self.object_name()?;
        let arguments = self.typed_names("argument")?;
        if self.keyword_text("COPY") {
            self.expect_keyword("GRANTS")?;
        }
        self.expect_keyword("RETURNS")?;
        let returns = if self.keyword(Keyword::TABLE) {
            let columns = self.typed_names("column")?;
            if columns.is_empty() {
                return Err(self.unexpected_here());
            }
            Returns::Table(columns)
        } else {
            Returns::Scalar(self.data_type(&AFTER_RETURN_TYPE)?)
        };
        let mut function = CreateFunction {
            or_replace,
            if_not_exists,
            secure,
            name,
            arguments,
            returns,
            not_null: false,
            strict: false,
            immutable: false,
            comment: None,
            body: String::new(),
        };
        self.function_options(&mut function)?;
        function.body = self.string()?;
        Ok(function)
    }

    /// `( [name type] [, ...] )`. A DEFAULT value is refused: calls that leave arguments
    /// out are not emulated.
    fn typed_names(&mut self, what: &str) -> SfResult<Vec<(String, SfType)>> {
        self.parenthesized(|cursor| {
            let Some(word) = cursor.word() else {
                return Err(cursor.unexpected_here());
            };
            let name = normalize(&sqlparser::ast::Ident {
                value: word.value.clone(),
                quote_style: word.quote_style,
                span: sqlparser::tokenizer::Span::empty(),
            });
            cursor.at += 1;
            let sf_type = cursor.data_type(&["DEFAULT"])?;
            if cursor.keyword_text("DEFAULT") {
                return Err(SfError::unsupported(format!("DEFAULT values of {what}s")));
            }
            Ok((name, sf_type))
        })
    }

    /// `name(type, ...)`, as DESCRIBE and DROP name a function.
    pub(super) fn function_signature(&mut self) -> SfResult<(ObjectName, Vec<SfType>)> {
        let name = self.object_name()?;
        let types = self.parenthesized(|cursor| cursor.data_type(&[]))?;
        Ok((name, types))
    }

    /// `( [item] [, ...] )`: the items `item` parses, in order.
    fn parenthesized<T>(
        &mut self,
        mut item: impl FnMut(&mut Self) -> SfResult<T>,
    ) -> SfResult<Vec<T>> {
        if self.peek() != Some(&Token::LParen) {
            return Err(self.unexpected_here());
        }
        self.at += 1;
        let mut items = Vec::new();
        if self.peek() == Some(&Token::RParen) {
            self.at += 1;
            return Ok(items);
        }
        loop {
            items.push(item(self)?);
            match self.peek() {
                Some(Token::Comma) => self.at += 1,
                Some(Token::RParen) => {
                    self.at += 1;
                    return Ok(items);
                }
                _ => return Err(self.unexpected_here()),
            }
        }
    }

    /// A type written as tokens up to a top-level `,` or `)`, or one of `stop_words`.
    fn data_type(&mut self, stop_words: &[&str]) -> SfResult<SfType> {
        let mut depth = 0usize;
        let mut written = Vec::new();
        while let Some(token) = self.peek() {
            let stops = match token {
                Token::LParen => {
                    depth += 1;
                    false
                }
                Token::RParen if depth == 0 => true,
                Token::RParen => {
                    depth -= 1;
                    false
                }
                Token::Comma => depth == 0,
                Token::Word(w) if depth == 0 && !written.is_empty() => {
                    w.quote_style.is_none()
                        && stop_words.iter().any(|s| w.value.eq_ignore_ascii_case(s))
                }
                _ => false,
            };
            if stops {
                break;
            }
            written.push(token.to_string());
            self.at += 1;
        }
        if written.is_empty() {
            return Err(self.unexpected_here());
        }
        SfType::parse(&written.join(" "))
    }

    /// The options between the return type and AS, in any order.
    fn function_options(&mut self, function: &mut CreateFunction) -> SfResult<()> {
        loop {
            if self.keyword_text("AS") {
                return Ok(());
            }
            if self.keyword_text("NOT") {
                self.expect_keyword("NULL")?;
                function.not_null = true;
            } else if self.keyword_text("NULL") {
                function.not_null = false;
            } else if self.keyword_text("LANGUAGE") {
                let language = self.word().map(|w| w.value.to_uppercase());
                match language.as_deref() {
                    Some("SQL") => self.at += 1,
                    Some(other) => {
                        return Err(SfError::unsupported(format!(
                            "CREATE FUNCTION ... LANGUAGE {other}"
                        )))
                    }
                    None => return Err(self.unexpected_here()),
                }
            } else if self.keyword_text("CALLED") {
                for word in ["ON", "NULL", "INPUT"] {
                    self.expect_keyword(word)?;
                }
                function.strict = false;
            } else if self.keyword_text("RETURNS") {
                for word in ["NULL", "ON", "NULL", "INPUT"] {
                    self.expect_keyword(word)?;
                }
                function.strict = true;
            } else if self.keyword_text("STRICT") {
                function.strict = true;
            } else if self.keyword_text("IMMUTABLE") {
                function.immutable = true;
            } else if self.keyword_text("VOLATILE") {
                function.immutable = false;
            } else if self.keyword_text("MEMOIZABLE") {
            } else if self.keyword_text("COMMENT") {
                if self.peek() == Some(&Token::Eq) {
                    self.at += 1;
                }
                function.comment = Some(self.string()?);
            } else {
                return Err(self.unexpected_here());
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::commands::tests::command;
    use crate::commands::Command;

    fn create(sql: &str) -> SfResult<CreateFunction> {
        match command(sql)? {
            Command::CreateFunction(create) => Ok(create),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn scalar_functions_take_options_in_any_order() {
        let f = create(
            "CREATE OR REPLACE SECURE FUNCTION db.s.area(radius FLOAT, \"Scale\" NUMBER(10, 2)) \
             RETURNS NUMBER(38, 4) NOT NULL LANGUAGE SQL STRICT IMMUTABLE COMMENT = 'circle' \
             AS $$ pi() * radius * radius $$",
        )
        .unwrap();
        assert!(f.or_replace && f.secure && f.not_null && f.strict);
        assert_eq!(f.name.to_string(), "db.s.area");
        assert_eq!(
            f.arguments,
            vec![
                ("RADIUS".to_string(), SfType::Real),
                (
                    "Scale".to_string(),
                    SfType::Fixed {
                        precision: 10,
                        scale: 2
                    }
                )
            ]
        );
        assert_eq!(
            f.returns,
            Returns::Scalar(SfType::Fixed {
                precision: 38,
                scale: 4
            })
        );
        assert_eq!(f.comment.as_deref(), Some("circle"));
        assert_eq!(f.body.trim(), "pi() * radius * radius");
    }

    #[test]
    fn table_functions_name_their_columns() {
        let f = create(
            "create function if not exists orders_for(p varchar) \
             returns table (product_id varchar, qty double precision) as 'select 1, 2.0'",
        )
        .unwrap();
        assert!(f.if_not_exists && !f.or_replace);
        assert_eq!(
            f.returns,
            Returns::Table(vec![
                ("PRODUCT_ID".into(), SfType::TEXT),
                ("QTY".into(), SfType::Real)
            ])
        );
        assert_eq!(f.body, "select 1, 2.0");
    }

    #[test]
    fn other_languages_defaults_and_temporary_functions_are_unsupported() {
        for sql in [
            "create function f(x int) returns int language python handler = 'h' as 'x'",
            "create function f(x int default 1) returns int as 'x'",
            "create temporary function f() returns int as '1'",
        ] {
            assert_eq!(create(sql).unwrap_err().code, "000002", "{sql}");
        }
        let err = create("create function f(x int) returns int").unwrap_err();
        assert_eq!(err.code, "001003");
    }
}
