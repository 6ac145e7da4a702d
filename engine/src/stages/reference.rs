//! A stage as a file command names it: `@name`, `@db.schema.name`, `@~` (the user's stage)
//! or `@%table` (a table's stage), each optionally followed by `/path`.

use sqlparser::ast::ObjectName;

use super::parse::object_name;
use crate::error::{SfError, SfResult};

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct StageRef {
    pub target: StageTarget,
    /// The path inside the stage, without leading `/` (may be empty).
    pub path: String,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum StageTarget {
    Named(ObjectName),
    User,
    Table(ObjectName),
}

impl StageRef {
    pub(crate) fn parse(written: &str) -> SfResult<StageRef> {
        let body = written.strip_prefix('@').ok_or_else(|| invalid(written))?;
        if let Some(rest) = body.strip_prefix('~') {
            let path = rest.strip_prefix('/').unwrap_or(rest);
            if !rest.is_empty() && !rest.starts_with('/') {
                return Err(invalid(written));
            }
            return Ok(StageRef {
                target: StageTarget::User,
                path: path.to_string(),
            });
        }
        let (table_stage, body) = match body.strip_prefix('%') {
            Some(rest) => (true, rest),
            None => (false, body),
        };
        let name_end = name_length(body).ok_or_else(|| invalid(written))?;
        let name = object_name(&body[..name_end])?;
        let rest = &body[name_end..];
        if !rest.is_empty() && !rest.starts_with('/') {
            return Err(invalid(written));
        }
        Ok(StageRef {
            target: if table_stage {
                StageTarget::Table(name)
            } else {
                StageTarget::Named(name)
            },
            path: rest.trim_start_matches('/').to_string(),
        })
    }
}

/// How many bytes of `text` a dotted name takes (quoted parts may hold `/`).
fn name_length(text: &str) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut i = 0;
    let mut in_quotes = false;
    while i < bytes.len() {
        match bytes[i] {
            b'"' if in_quotes && bytes.get(i + 1) == Some(&b'"') => i += 1,
            b'"' => in_quotes = !in_quotes,
            b'/' if !in_quotes => break,
            _ => {}
        }
        i += 1;
    }
    (!in_quotes && i > 0).then_some(i)
}

fn invalid(written: &str) -> SfError {
    SfError::new(
        "001003",
        "42000",
        format!("SQL compilation error:\nsyntax error: invalid stage location '{written}'"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stage_forms() {
        let named = StageRef::parse("@\"DB\".s.\"a/b\"/dir/f.csv").unwrap();
        assert_eq!(named.path, "dir/f.csv");
        let StageTarget::Named(name) = named.target else {
            panic!("named");
        };
        assert_eq!(name.0.len(), 3);
        assert_eq!(
            StageRef::parse("@~/x").unwrap(),
            StageRef {
                target: StageTarget::User,
                path: "x".into()
            }
        );
        assert!(matches!(
            StageRef::parse("@%orders").unwrap().target,
            StageTarget::Table(_)
        ));
        assert!(StageRef::parse("stage").is_err());
        assert!(StageRef::parse("@~x").is_err());
    }
}
