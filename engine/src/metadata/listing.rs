//! Building SHOW-style results: typed columns, rows of cells, and Snowflake's LIKE /
//! STARTS WITH / LIMIT ... FROM filters over object names.

use crate::result::{Cell, Column, QueryResult, StatementKind};
use crate::types::SfType;

/// The type of one SHOW column.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Col {
    Text,
    Number,
    Timestamp,
}

/// A result under construction: column names and types, then rows.
pub(crate) struct Listing {
    columns: Vec<Column>,
    rows: Vec<Vec<Cell>>,
}

impl Listing {
    pub fn new(columns: &[(&str, Col)]) -> Self {
        let columns = columns
            .iter()
            .map(|(name, col)| {
                let sf_type = match col {
                    Col::Text => SfType::TEXT,
                    Col::Number => SfType::INTEGER,
                    Col::Timestamp => SfType::TimestampLtz,
                };
                Column::new(*name, sf_type)
            })
            .collect();
        Self {
            columns,
            rows: Vec::new(),
        }
    }

    pub fn push(&mut self, row: Vec<Cell>) {
        debug_assert_eq!(row.len(), self.columns.len());
        self.rows.push(row);
    }

    pub fn finish(self, kind: StatementKind) -> QueryResult {
        QueryResult {
            kind,
            columns: self.columns,
            rows: self.rows,
        }
    }
}

pub(crate) fn text(value: impl Into<String>) -> Cell {
    Cell::Text(value.into())
}

pub(crate) fn text_or_null(value: Option<impl Into<String>>) -> Cell {
    value.map_or(Cell::Null, text)
}

pub(crate) fn number(value: i64) -> Cell {
    Cell::Decimal {
        value: value.into(),
        scale: 0,
    }
}

pub(crate) fn yes_no(value: bool) -> Cell {
    text(if value { "Y" } else { "N" })
}

pub(crate) fn timestamp_ms(ms: i64) -> Cell {
    Cell::TimestampLtz(ms.saturating_mul(1_000_000))
}

/// The name filters of a SHOW command.
#[derive(Debug, Clone, Default)]
pub(crate) struct NameFilter {
    pub like: Option<String>,
    pub starts_with: Option<String>,
    pub limit: Option<usize>,
    pub from: Option<String>,
}

impl NameFilter {
    /// Keeps the items whose name passes LIKE (case-insensitive), STARTS WITH and FROM
    /// (case-sensitive), then at most LIMIT of them.
    pub fn apply<T>(&self, items: Vec<T>, name: impl Fn(&T) -> &str) -> Vec<T> {
        let kept = items.into_iter().filter(|item| {
            let n = name(item);
            self.like.as_deref().is_none_or(|p| like_matches(p, n))
                && self.starts_with.as_deref().is_none_or(|s| n.starts_with(s))
                && self.from.as_deref().is_none_or(|f| n > f)
        });
        match self.limit {
            Some(limit) => kept.take(limit).collect(),
            None => kept.collect(),
        }
    }
}

/// SQL LIKE, case-insensitively: `%` any run, `_` one character, `\` escapes the next.
pub(crate) fn like_matches(pattern: &str, text: &str) -> bool {
    let pattern: Vec<char> = pattern.to_uppercase().chars().collect();
    let text: Vec<char> = text.to_uppercase().chars().collect();
    like_from(&pattern, &text)
}

fn like_from(pattern: &[char], text: &[char]) -> bool {
    match pattern.first() {
        None => text.is_empty(),
        Some('%') => (0..=text.len()).any(|skip| like_from(&pattern[1..], &text[skip..])),
        Some('_') => !text.is_empty() && like_from(&pattern[1..], &text[1..]),
        Some('\\') if pattern.len() > 1 => {
            text.first() == Some(&pattern[1]) && like_from(&pattern[2..], &text[1..])
        }
        Some(c) => text.first() == Some(c) && like_from(&pattern[1..], &text[1..]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn like_is_case_insensitive_with_wildcards_and_escapes() {
        assert!(like_matches("my%", "MY_TABLE"));
        assert!(like_matches("%TAB_E", "my_table"));
        assert!(!like_matches("my\\_t%", "MYXTABLE"));
        assert!(like_matches("my\\_t%", "MY_TABLE"));
        assert!(!like_matches("t", "tt"));
    }

    #[test]
    fn filters_compose() {
        let names = vec!["A1", "A2", "B1", "a3"];
        let filter = NameFilter {
            like: Some("a%".into()),
            starts_with: Some("A".into()),
            limit: Some(1),
            from: Some("A1".into()),
        };
        assert_eq!(filter.apply(names, |n| n), vec!["A2"]);
    }
}
