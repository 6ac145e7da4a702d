//! The ALTER TABLE forms sqlparser does not know, parsed from tokens:
//!
//! ```text
//! ALTER TABLE [IF EXISTS] <name> SET <property> = <value> [...] | SET TAG <tag> = '<value>' [, ...]
//! ALTER TABLE [IF EXISTS] <name> UNSET <property> [, ...] | UNSET TAG <tag> [, ...]
//! ALTER TABLE [IF EXISTS] <name> { ALTER | MODIFY } [(] [COLUMN] <col> <action> [, ...] [)]
//! ```
//!
//! A column `<action>` is DROP DEFAULT, SET DEFAULT <seq>.NEXTVAL, [SET] NOT NULL, DROP NOT NULL,
//! [[SET DATA] TYPE] <type>, COMMENT '<text>', UNSET COMMENT, or SET / UNSET of a masking
//! policy, projection policy or tag (accepted; Mockhaus has no policies or tags).

use sqlparser::ast::{Ident, ObjectName};
use sqlparser::keywords::Keyword;
use sqlparser::tokenizer::Token;

use super::Cursor;
use crate::error::{SfError, SfResult};

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct AlterTable {
    pub if_exists: bool,
    pub name: ObjectName,
    pub action: AlterTableAction,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum AlterTableAction {
    /// SET / UNSET of table properties: only COMMENT is kept (`Some(None)` unsets it); the
    /// others (retention, change tracking, tags...) have no effect in Mockhaus.
    Properties {
        comment: Option<Option<String>>,
    },
    Columns(Vec<ColumnChange>),
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct ColumnChange {
    pub column: Ident,
    pub action: ColumnAction,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum ColumnAction {
    DropDefault,
    /// `SET DEFAULT <sequence>.NEXTVAL`: the sequence's name.
    SetDefaultSequence(ObjectName),
    SetNotNull,
    DropNotNull,
    /// The new type as written.
    SetType(String),
    Comment(Option<String>),
    /// Masking / projection policies and tags: accepted, nothing to keep.
    Ignored,
}

/// Table properties Snowflake accepts in ALTER TABLE ... SET / UNSET.
const TABLE_PROPERTIES: &[&str] = &[
    "COMMENT",
    "DATA_RETENTION_TIME_IN_DAYS",
    "MAX_DATA_EXTENSION_TIME_IN_DAYS",
    "CHANGE_TRACKING",
    "DEFAULT_DDL_COLLATION",
    "ENABLE_SCHEMA_EVOLUTION",
    "CONTACT",
];

/// Whether `ALTER TABLE ...` takes one of the forms parsed here (decided from the word after
/// the table's name).
pub(crate) fn is_alter_table_command(tokens: &[&Token]) -> bool {
    let word = |i: usize, text: &str| {
        matches!(tokens.get(i), Some(Token::Word(w))
            if w.quote_style.is_none() && w.value.eq_ignore_ascii_case(text))
    };
    if !(word(0, "ALTER") && word(1, "TABLE")) {
        return false;
    }
    let mut at = if word(2, "IF") && word(3, "EXISTS") {
        4
    } else {
        2
    };
    // The name: words joined by periods.
    while matches!(tokens.get(at), Some(Token::Word(_))) {
        at += 1;
        if tokens.get(at) != Some(&&Token::Period) {
            break;
        }
        at += 1;
    }
    ["SET", "UNSET", "ALTER", "MODIFY"]
        .iter()
        .any(|w| word(at, w))
}

impl Cursor<'_> {
    /// After `ALTER TABLE`.
    pub(super) fn alter_table(&mut self) -> SfResult<AlterTable> {
        let if_exists = self.keyword(Keyword::IF);
        if if_exists {
            self.expect_keyword("EXISTS")?;
        }
        let name = self.object_name()?;
        let action = if self.keyword_text("SET") {
            self.set_properties()?
        } else if self.keyword_text("UNSET") {
            self.unset_properties()?
        } else if self.keyword_text("ALTER") || self.keyword_text("MODIFY") {
            AlterTableAction::Columns(self.column_changes()?)
        } else {
            return Err(self.unexpected_here());
        };
        Ok(AlterTable {
            if_exists,
            name,
            action,
        })
    }

    fn set_properties(&mut self) -> SfResult<AlterTableAction> {
        if self.keyword_text("TAG") {
            self.tag_assignments()?;
            return Ok(AlterTableAction::Properties { comment: None });
        }
        let mut comment = None;
        while self.peek().is_some() {
            let property = self.property_name()?;
            self.expect_token(&Token::Eq)?;
            if property == "COMMENT" {
                comment = Some(Some(self.string()?));
            } else {
                self.property_value()?;
            }
            if self.peek() == Some(&Token::Comma) {
                self.at += 1;
            }
        }
        Ok(AlterTableAction::Properties { comment })
    }

    fn unset_properties(&mut self) -> SfResult<AlterTableAction> {
        if self.keyword_text("TAG") {
            self.name_list()?;
            return Ok(AlterTableAction::Properties { comment: None });
        }
        let mut comment = None;
        loop {
            if self.property_name()? == "COMMENT" {
                comment = Some(None);
            }
            if self.peek() != Some(&Token::Comma) {
                return Ok(AlterTableAction::Properties { comment });
            }
            self.at += 1;
        }
    }

    /// One of [`TABLE_PROPERTIES`], upper-cased.
    fn property_name(&mut self) -> SfResult<String> {
        let known = self.word().filter(|w| {
            w.quote_style.is_none()
                && TABLE_PROPERTIES
                    .iter()
                    .any(|p| w.value.eq_ignore_ascii_case(p))
        });
        match known {
            Some(word) => {
                self.at += 1;
                Ok(word.value.to_ascii_uppercase())
            }
            None => Err(self.unexpected_here()),
        }
    }

    /// A property's value: a string, a number or a word (TRUE, FALSE, a collation name).
    fn property_value(&mut self) -> SfResult<()> {
        match self.peek() {
            Some(Token::SingleQuotedString(_) | Token::Number(..) | Token::Word(_)) => {
                self.at += 1;
                Ok(())
            }
            _ => Err(self.unexpected_here()),
        }
    }

    /// `<tag> = '<value>' [, ...]`.
    fn tag_assignments(&mut self) -> SfResult<()> {
        loop {
            self.object_name()?;
            self.expect_token(&Token::Eq)?;
            self.string()?;
            if self.peek() != Some(&Token::Comma) {
                return Ok(());
            }
            self.at += 1;
        }
    }

    /// `<name> [, ...]`.
    fn name_list(&mut self) -> SfResult<Vec<ObjectName>> {
        let mut names = vec![self.object_name()?];
        while self.peek() == Some(&Token::Comma) {
            self.at += 1;
            names.push(self.object_name()?);
        }
        Ok(names)
    }

    fn expect_token(&mut self, token: &Token) -> SfResult<()> {
        if self.peek() == Some(token) {
            self.at += 1;
            Ok(())
        } else {
            Err(self.unexpected_here())
        }
    }

    /// `[(] [COLUMN] <col> <action> [, [COLUMN] <col> <action>]* [)]`.
    fn column_changes(&mut self) -> SfResult<Vec<ColumnChange>> {
        let parenthesized = self.peek() == Some(&Token::LParen);
        if parenthesized {
            self.at += 1;
        }
        let mut changes = Vec::new();
        loop {
            self.keyword_text("COLUMN");
            let column = self.identifier()?;
            let action = self.column_action()?;
            changes.push(ColumnChange { column, action });
            if self.peek() != Some(&Token::Comma) {
                break;
            }
            self.at += 1;
        }
        if parenthesized {
            self.expect_token(&Token::RParen)?;
        }
        Ok(changes)
    }

    fn identifier(&mut self) -> SfResult<Ident> {
        let Some(word) = self.word() else {
            return Err(self.unexpected_here());
        };
        self.at += 1;
        Ok(match word.quote_style {
            Some(q) => Ident::with_quote(q, word.value.clone()),
            None => Ident::new(word.value.clone()),
        })
    }

    fn column_action(&mut self) -> SfResult<ColumnAction> {
        if self.keyword_text("DROP") {
            if self.keyword_text("DEFAULT") {
                return Ok(ColumnAction::DropDefault);
            }
            self.expect_keyword("NOT")?;
            self.expect_keyword("NULL")?;
            return Ok(ColumnAction::DropNotNull);
        }
        if self.keyword_text("COMMENT") {
            return Ok(ColumnAction::Comment(Some(self.string()?)));
        }
        if self.keyword_text("UNSET") {
            if self.keyword_text("COMMENT") {
                return Ok(ColumnAction::Comment(None));
            }
            self.policy_or_tag(false)?;
            return Ok(ColumnAction::Ignored);
        }
        if self.keyword_text("NOT") {
            self.expect_keyword("NULL")?;
            return Ok(ColumnAction::SetNotNull);
        }
        if self.keyword_text("SET") {
            if self.keyword_text("NOT") {
                self.expect_keyword("NULL")?;
                return Ok(ColumnAction::SetNotNull);
            }
            if self.keyword_text("DEFAULT") {
                return self.default_sequence();
            }
            if self.keyword_text("DATA") {
                self.expect_keyword("TYPE")?;
                return Ok(ColumnAction::SetType(self.type_text()?));
            }
            self.policy_or_tag(true)?;
            return Ok(ColumnAction::Ignored);
        }
        self.keyword_text("TYPE");
        Ok(ColumnAction::SetType(self.type_text()?))
    }

    /// `<sequence>.NEXTVAL`.
    fn default_sequence(&mut self) -> SfResult<ColumnAction> {
        let mut name = self.object_name()?;
        let is_nextval = name
            .0
            .last()
            .and_then(|part| part.as_ident())
            .is_some_and(|ident| ident.value.eq_ignore_ascii_case("NEXTVAL"));
        if !is_nextval || name.0.len() < 2 {
            return Err(SfError::unsupported(
                "ALTER COLUMN ... SET DEFAULT other than a sequence's NEXTVAL",
            ));
        }
        name.0.pop();
        Ok(ColumnAction::SetDefaultSequence(name))
    }

    /// `MASKING POLICY <name> [USING (...)] [FORCE]`, `PROJECTION POLICY <name> [FORCE]` or
    /// `TAG <tag> = '<value>' [, ...]` (with `set`), or their UNSET forms.
    fn policy_or_tag(&mut self, set: bool) -> SfResult<()> {
        if self.keyword_text("TAG") {
            return if set {
                self.tag_assignments()
            } else {
                self.name_list().map(drop)
            };
        }
        if !(self.keyword_text("MASKING") || self.keyword_text("PROJECTION")) {
            return Err(self.unexpected_here());
        }
        self.expect_keyword("POLICY")?;
        if set {
            self.object_name()?;
            if self.keyword_text("USING") {
                self.skip_parenthesized()?;
            }
            self.keyword_text("FORCE");
        }
        Ok(())
    }

    fn skip_parenthesized(&mut self) -> SfResult<()> {
        self.expect_token(&Token::LParen)?;
        let mut depth = 1;
        while depth > 0 {
            match self.advance() {
                Some(Token::LParen) => depth += 1,
                Some(Token::RParen) => depth -= 1,
                Some(_) => {}
                None => return Err(SfError::unexpected("<EOF>")),
            }
        }
        Ok(())
    }

    /// A type as written, up to the next top-level comma or closing parenthesis.
    fn type_text(&mut self) -> SfResult<String> {
        let mut text = String::new();
        let mut depth = 0usize;
        while let Some(token) = self.peek() {
            match token {
                Token::Comma | Token::RParen if depth == 0 => break,
                Token::LParen => depth += 1,
                Token::RParen => depth -= 1,
                _ => {}
            }
            if matches!(token, Token::Word(_)) && !text.is_empty() && !text.ends_with('(') {
                text.push(' ');
            }
            text.push_str(&token.to_string());
            self.at += 1;
        }
        if text.is_empty() {
            return Err(self.unexpected_here());
        }
        Ok(text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::commands::Command;

    fn tokens(sql: &str) -> Vec<Token> {
        let dialect = sqlparser::dialect::SnowflakeDialect {};
        sqlparser::tokenizer::Tokenizer::new(&dialect, sql)
            .tokenize()
            .expect("tokens")
            .into_iter()
            .filter(|t| !matches!(t, Token::Whitespace(_)))
            .collect()
    }

    fn alter(sql: &str) -> AlterTable {
        let tokens = tokens(sql);
        let significant: Vec<&Token> = tokens.iter().collect();
        assert!(is_alter_table_command(&significant), "{sql}");
        match crate::commands::parse(significant).expect(sql) {
            Command::AlterTable(alter) => alter,
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn table_properties() {
        let parsed = alter(
            "ALTER TABLE IF EXISTS db.s.t SET COMMENT = 'hi' DATA_RETENTION_TIME_IN_DAYS = 1",
        );
        assert!(parsed.if_exists);
        assert_eq!(parsed.name.to_string(), "db.s.t");
        assert_eq!(
            parsed.action,
            AlterTableAction::Properties {
                comment: Some(Some("hi".into()))
            }
        );
        assert_eq!(
            alter("alter table t unset change_tracking, comment").action,
            AlterTableAction::Properties {
                comment: Some(None)
            }
        );
        assert_eq!(
            alter("alter table t set tag a.b.c = 'x', d = 'y'").action,
            AlterTableAction::Properties { comment: None }
        );
    }

    #[test]
    fn column_actions() {
        let AlterTableAction::Columns(changes) = alter(
            "ALTER TABLE t MODIFY (COLUMN a SET DATA TYPE VARCHAR(20), b NUMBER(10, 2), \
             c COMMENT 'x', d UNSET COMMENT, e SET NOT NULL, f DROP NOT NULL, g DROP DEFAULT, \
             h SET MASKING POLICY p USING (h, i) FORCE, j SET DEFAULT s.nextval)",
        )
        .action
        else {
            panic!("columns");
        };
        let actions: Vec<ColumnAction> = changes.into_iter().map(|c| c.action).collect();
        assert_eq!(
            actions,
            vec![
                ColumnAction::SetType("VARCHAR(20)".into()),
                ColumnAction::SetType("NUMBER(10,2)".into()),
                ColumnAction::Comment(Some("x".into())),
                ColumnAction::Comment(None),
                ColumnAction::SetNotNull,
                ColumnAction::DropNotNull,
                ColumnAction::DropDefault,
                ColumnAction::Ignored,
                ColumnAction::SetDefaultSequence(ObjectName(vec![
                    sqlparser::ast::ObjectNamePart::Identifier(Ident::new("s"))
                ])),
            ]
        );
    }

    #[test]
    fn unknown_properties_are_syntax_errors() {
        let tokens = tokens("ALTER TABLE t SET FOO = 1");
        let err = crate::commands::parse(tokens.iter().collect()).expect_err("unknown property");
        assert_eq!(err.code, "001003");
    }
}
