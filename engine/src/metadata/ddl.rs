//! GET_DDL('TABLE' | 'VIEW', '<name>' [, <fully qualified>]): the statement that recreates a
//! table (columns with their declared types, NOT NULL, defaults and comments, keys, the table's
//! kind and comment) or a view (its statement as written). Calls with constant arguments are
//! replaced by their text before the statement is rewritten, so GET_DDL works anywhere in a
//! query; the rewriter refuses any other call.

use std::ops::ControlFlow;

use sqlparser::ast::{
    Expr, Function, FunctionArg, FunctionArgExpr, FunctionArguments, ObjectName, Statement, Value,
    VisitMut, VisitorMut,
};

use super::catalog::{self, ColumnInfo, Filter, Relation, RelationKind};
use crate::error::{SfError, SfResult};
use crate::session::Session;
use crate::statements::QualifiedName;

/// Whether the text may call GET_DDL at all (most do not; skip the walks).
pub(crate) fn may_mention(sql: &str) -> bool {
    sql.to_ascii_lowercase().contains("get_ddl")
}

/// Whether the statement calls GET_DDL (its answer must not be cached).
pub(crate) fn mentioned(statement: &Statement) -> bool {
    let mut found = false;
    let _ = sqlparser::ast::visit_expressions(statement, |expr| {
        if matches!(expr, Expr::Function(f) if is_get_ddl(f)) {
            found = true;
            return ControlFlow::Break(());
        }
        ControlFlow::Continue(())
    });
    found
}

/// Replaces each GET_DDL call with constant arguments by the DDL it returns.
pub(crate) fn substitute(session: &Session, statement: &mut Statement) -> SfResult<()> {
    struct Replacer<'a> {
        session: &'a Session,
        error: Option<SfError>,
    }
    impl VisitorMut for Replacer<'_> {
        type Break = ();
        fn post_visit_expr(&mut self, expr: &mut Expr) -> ControlFlow<()> {
            let Expr::Function(function) = expr else {
                return ControlFlow::Continue(());
            };
            let Some(args) = constant_args(function) else {
                return ControlFlow::Continue(());
            };
            match get_ddl(self.session, &args) {
                Ok(text) => {
                    *expr = string_expr(&text);
                    ControlFlow::Continue(())
                }
                Err(err) => {
                    self.error = Some(err);
                    ControlFlow::Break(())
                }
            }
        }
    }
    let mut replacer = Replacer {
        session,
        error: None,
    };
    let _ = statement.visit(&mut replacer);
    replacer.error.map_or(Ok(()), Err)
}

/// A string expression for `text`: a literal, or, when the text holds a backslash, its hex
/// through HEX_DECODE_STRING. (sqlparser prints a `\'` inside a literal as it is, taking it
/// for an escaped quote, and the rewriter's re-parsing then reads the literal's end wrongly.)
fn string_expr(text: &str) -> Expr {
    if !text.contains('\\') {
        return Expr::value(Value::SingleQuotedString(text.to_string()));
    }
    let hex: String = text.bytes().map(|b| format!("{b:02X}")).collect();
    crate::rewrite::parse_expr(&format!("HEX_DECODE_STRING('{hex}')"))
        .unwrap_or_else(|_| Expr::value(Value::Null))
}

fn is_get_ddl(function: &Function) -> bool {
    function.name.0.len() == 1 && function.name.to_string().eq_ignore_ascii_case("GET_DDL")
}

/// The arguments of a GET_DDL call when all are literals: strings, or TRUE / FALSE.
fn constant_args(function: &Function) -> Option<Vec<String>> {
    if !is_get_ddl(function) {
        return None;
    }
    let FunctionArguments::List(list) = &function.args else {
        return None;
    };
    list.args
        .iter()
        .map(|arg| match arg {
            FunctionArg::Unnamed(FunctionArgExpr::Expr(Expr::Value(v))) => match &v.value {
                Value::SingleQuotedString(s) => Some(s.clone()),
                Value::DollarQuotedString(s) => Some(s.value.clone()),
                Value::Boolean(b) => Some(b.to_string()),
                _ => None,
            },
            _ => None,
        })
        .collect()
}

fn get_ddl(session: &Session, args: &[String]) -> SfResult<String> {
    if !(2..=3).contains(&args.len()) {
        return Err(SfError::new(
            "001044",
            "42P13",
            format!(
                "SQL compilation error: error line 1 at position 7\nInvalid argument types for function 'GET_DDL': ({})",
                vec!["VARCHAR(0)"; args.len()].join(", ")
            ),
        ));
    }
    let qualified = args.get(2).is_some_and(|a| a.eq_ignore_ascii_case("true"));
    let kind = args[0].trim().to_ascii_uppercase();
    let wanted = match kind.as_str() {
        "TABLE" => RelationKind::Table,
        "VIEW" => RelationKind::View,
        other => return Err(SfError::unsupported(format!("GET_DDL of a {other}"))),
    };
    let name = crate::rewrite::parse_object_name(&args[1])?;
    let relation = find(session, &name, wanted)?;
    match wanted {
        RelationKind::View => Ok(view_ddl(&relation)),
        RelationKind::Table => table_ddl(session, &relation, qualified),
    }
}

fn find(session: &Session, name: &ObjectName, wanted: RelationKind) -> SfResult<Relation> {
    let resolved = QualifiedName::resolve(session, name, "GET_DDL")?;
    let filter = Filter::table(&resolved);
    catalog::relations(session, &filter)?
        .into_iter()
        .find(|r| r.kind == wanted)
        .ok_or_else(|| {
            let what = if wanted == RelationKind::View {
                "View"
            } else {
                "Table"
            };
            SfError::table_not_found(what, &resolved.display())
        })
}

fn view_ddl(view: &Relation) -> String {
    let text = view.view_text.clone().unwrap_or_default();
    format!("{};", text.trim_end().trim_end_matches(';'))
}

fn table_ddl(session: &Session, table: &Relation, qualified: bool) -> SfResult<String> {
    let filter = Filter {
        database: Some(table.database.clone()),
        schema: Some(table.schema.clone()),
        table: Some(table.name.clone()),
    };
    let mut lines: Vec<String> = catalog::columns(session, &filter)?
        .iter()
        .map(column_ddl)
        .collect();
    let notes = &table.notes;
    if let Some(key) = &notes.primary_key {
        lines.push(format!("primary key ({})", names(&key.columns)));
    }
    for key in &notes.unique_keys {
        lines.push(format!("unique ({})", names(&key.columns)));
    }
    let name = if qualified {
        format!(
            "{}.{}.{}",
            identifier(&table.database),
            identifier(&table.schema),
            identifier(&table.name)
        )
    } else {
        identifier(&table.name)
    };
    let kind = notes
        .kind
        .as_deref()
        .map(|k| format!("{k} "))
        .unwrap_or_default();
    let comment = notes
        .comment
        .as_deref()
        .map(|c| format!("COMMENT='{}'", c.replace('\'', "\\'")))
        .unwrap_or_default();
    Ok(format!(
        "create or replace {kind}TABLE {name} (\n\t{}\n){comment};",
        lines.join(",\n\t")
    ))
}

fn column_ddl(column: &ColumnInfo) -> String {
    let mut line = format!("{} {}", identifier(&column.name), column.sf_type);
    if !column.nullable {
        line.push_str(" NOT NULL");
    }
    match column.default.as_deref() {
        Some(identity) if identity.starts_with("IDENTITY ") => {
            line.push_str(&format!(
                " autoincrement{}",
                identity["IDENTITY".len()..].to_lowercase()
            ));
        }
        Some(default) => line.push_str(&format!(" DEFAULT {default}")),
        None => {}
    }
    if let Some(comment) = &column.comment {
        line.push_str(&format!(" COMMENT '{}'", comment.replace('\'', "\\'")));
    }
    line
}

fn names(columns: &[String]) -> String {
    columns
        .iter()
        .map(|c| identifier(c))
        .collect::<Vec<_>>()
        .join(", ")
}

/// A name as Snowflake prints it in DDL: bare when it reads back as itself, else quoted.
fn identifier(name: &str) -> String {
    let bare = name.starts_with(|c: char| c.is_ascii_uppercase() || c == '_')
        && name
            .chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_' || c == '$');
    if bare {
        name.to_string()
    } else {
        crate::rewrite::idents::quote(name)
    }
}
