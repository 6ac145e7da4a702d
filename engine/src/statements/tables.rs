//! Tables and views: CREATE (OR REPLACE, IF NOT EXISTS, AS SELECT, LIKE, CLONE), ALTER, DROP.
//!
//! The DuckDB DDL is assembled here from the rewritten parts rather than printed whole, so
//! Snowflake-only clauses never reach DuckDB, and constraints Snowflake does not enforce
//! (PRIMARY KEY, UNIQUE, FOREIGN KEY) are not enforced by DuckDB either.

use sqlparser::ast::{
    AlterTableOperation, ColumnDef, ColumnOption, CreateTableLikeKind, ObjectName, ObjectType,
    RenameTableNameKind, Statement,
};

use super::catalog::{database_exists, relation_kind, schema_exists, QualifiedName, RelationKind};
use super::namespace::{already_dropped, already_exists};
use super::transactions::implicit_commit;
use crate::declared_types;
use crate::error::{SfError, SfResult};
use crate::metadata::notes::TableNotes;
use crate::result::{QueryResult, StatementKind};
use crate::rewrite::{self, idents::quote};
use crate::session::Session;

pub fn create_table(
    session: &mut Session,
    mut statement: Statement,
    sql: &str,
) -> SfResult<QueryResult> {
    implicit_commit(session)?;
    rewrite::rewrite(&mut statement, sql, &session.function_context())?;
    let Statement::CreateTable(ct) = statement else {
        unreachable!("dispatched on CreateTable")
    };
    let name = QualifiedName::resolve(session, &ct.name, "CREATE TABLE")?;
    if let Some(existing) = check_new_relation(session, &name, ct.if_not_exists, ct.or_replace)? {
        return Ok(existing);
    }
    let create = create_keywords("TABLE", ct.or_replace);
    let like = match ct.like.as_ref() {
        Some(CreateTableLikeKind::Plain(like) | CreateTableLikeKind::Parenthesized(like)) => {
            Some(&like.name)
        }
        None => None,
    };
    if let Some(source) = ct.clone.as_ref().or(like) {
        let source = source_table(session, source)?;
        let copy = super::table_copies::CopyOf {
            source: &source,
            rows: ct.clone.is_some(),
        };
        copy.create(session, &create, &name, TableNotes::from_create(&ct).kind)?;
        return Ok(QueryResult::status(
            StatementKind::Ddl,
            format!("Table {} successfully created.", name.name),
        ));
    }
    let notes = TableNotes::from_create(&ct);
    let body = if let (Some(query), true) = (ct.query.as_ref(), ct.columns.is_empty()) {
        format!("AS {query}")
    } else {
        // Snowflake enforces NOT NULL on primary key columns (and nothing else of the key).
        let key_columns = notes.primary_key.as_ref().map_or(&[][..], |k| &k.columns);
        format!(
            "({})",
            ct.columns
                .iter()
                .map(|c| {
                    let c = &with_identity_default(session, &name, c)?;
                    let declared_not_null =
                        c.options.iter().any(|o| o.option == ColumnOption::NotNull);
                    let not_null = !declared_not_null
                        && key_columns.contains(&rewrite::idents::normalize(&c.name));
                    column_sql(c).map(|sql| if not_null { sql + " NOT NULL" } else { sql })
                })
                .collect::<SfResult<Vec<_>>>()?
                .join(", ")
        )
    };
    session.run_internal(&format!("{create} {} {body}", name.duckdb()))?;
    // CREATE TABLE t (a INT, b STRING) AS SELECT ...: the typed table, then the query's rows
    // converted to its types; a failing query leaves no table behind.
    if let (Some(query), false) = (ct.query.as_ref(), ct.columns.is_empty()) {
        if let Err(err) = session.run_internal(&format!("INSERT INTO {} {query}", name.duckdb())) {
            let _ = session.run_internal(&format!("DROP TABLE IF EXISTS {}", name.duckdb()));
            return Err(err);
        }
    }
    for column in &ct.columns {
        declare_column_type(session, &name, column)?;
    }
    notes.record(session, &name, false)?;
    Ok(QueryResult::status(
        StatementKind::Ddl,
        format!("Table {} successfully created.", name.name),
    ))
}

/// One column as DuckDB stores it: the Snowflake type's storage type plus the options that
/// Snowflake enforces (NOT NULL) or evaluates (DEFAULT).
fn column_sql(column: &ColumnDef) -> SfResult<String> {
    let (_, duck_type) = rewrite::duckdb_data_type(&column.data_type)?;
    let mut sql = format!("{} {duck_type}", column.name);
    for option in &column.options {
        match &option.option {
            ColumnOption::NotNull => sql.push_str(" NOT NULL"),
            ColumnOption::Default(expr) => sql.push_str(&format!(" DEFAULT {expr}")),
            ColumnOption::Null
            | ColumnOption::Comment(_)
            | ColumnOption::PrimaryKey(_)
            | ColumnOption::Unique(_)
            | ColumnOption::ForeignKey(_)
            | ColumnOption::Collation(_) => {}
            other => return Err(SfError::unsupported(format!("column option {other}"))),
        }
    }
    Ok(sql)
}

/// An AUTOINCREMENT / IDENTITY column becomes a plain column whose DEFAULT is the next value
/// of a hidden sequence created for it (named `__MOCKHAUS_IDENTITY__<table>__<column>`, left
/// out of SHOW SEQUENCES); other columns are returned as they are.
fn with_identity_default(
    session: &Session,
    table: &QualifiedName,
    column: &ColumnDef,
) -> SfResult<ColumnDef> {
    use sqlparser::ast::{IdentityPropertyFormatKind as Format, IdentityPropertyKind as Kind};
    let mut column = column.clone();
    let Some(position) = column
        .options
        .iter()
        .position(|o| matches!(o.option, ColumnOption::Identity(_)))
    else {
        return Ok(column);
    };
    let ColumnOption::Identity(Kind::Autoincrement(property) | Kind::Identity(property)) =
        &column.options[position].option
    else {
        unreachable!("found above");
    };
    let step = |e: &sqlparser::ast::Expr| {
        e.to_string()
            .parse::<i64>()
            .map_err(|_| SfError::unsupported(format!("identity step {e}")))
    };
    let (start, increment) = match &property.parameters {
        Some(Format::FunctionCall(p) | Format::StartAndIncrement(p)) => {
            (step(&p.seed)?, step(&p.increment)?)
        }
        None => (1, 1),
    };
    let sequence = QualifiedName {
        database: table.database.clone(),
        schema: table.schema.clone(),
        name: format!(
            "{}{}__{}",
            crate::metadata::IDENTITY_SEQUENCE_PREFIX,
            table.name,
            rewrite::idents::normalize(&column.name)
        ),
    };
    super::sequences::create_in_duckdb(session, &sequence, start, increment)?;
    let default = rewrite::parse_expr(&format!(
        "nextval('{}')",
        sequence.duckdb().replace('\'', "''")
    ))?;
    column.options[position].option = ColumnOption::Default(default);
    Ok(column)
}

/// Records the declared type where DuckDB's storage type would report another.
fn declare_column_type(
    session: &Session,
    table: &QualifiedName,
    column: &ColumnDef,
) -> SfResult<()> {
    let (sf_type, _) = rewrite::duckdb_data_type(&column.data_type)?;
    if declared_types::needs_declaring(sf_type) {
        declared_types::declare(session, table, &column.name.value, sf_type)?;
    }
    let comment = column.options.iter().find_map(|o| match &o.option {
        ColumnOption::Comment(text) => Some(text.as_str()),
        _ => None,
    });
    if let Some(comment) = comment {
        declared_types::set_user_comment(session, table, &column.name.value, Some(comment))?;
    }
    Ok(())
}

fn source_table(session: &Session, name: &ObjectName) -> SfResult<QualifiedName> {
    let source = QualifiedName::resolve(session, name, "CREATE TABLE")?;
    if relation_kind(session, &source)? != Some(RelationKind::Table) {
        return Err(SfError::table_not_found("Table", &source.display()));
    }
    Ok(source)
}

pub fn create_view(
    session: &mut Session,
    mut statement: Statement,
    sql: &str,
) -> SfResult<QueryResult> {
    implicit_commit(session)?;
    let view_text = statement_text(&statement, sql);
    rewrite::rewrite(&mut statement, sql, &session.function_context())?;
    let Statement::CreateView(view) = statement else {
        unreachable!("dispatched on CreateView")
    };
    let name = QualifiedName::resolve(session, &view.name, "CREATE VIEW")?;
    if let Some(existing) = check_new_relation(session, &name, view.if_not_exists, view.or_replace)?
    {
        return Ok(existing);
    }
    let create = create_keywords("VIEW", view.or_replace);
    let query = renamed_columns(session, &name, &view)?;
    session.run_internal(&format!("{create} {} AS {query}", name.duckdb()))?;
    let notes = TableNotes {
        view_text: Some(view_text),
        comment: view.comment.clone(),
        secure: view.secure,
        ..TableNotes::created_now()
    };
    notes.record(session, &name, true)?;
    view_column_comments(session, &name, &view.columns)?;
    Ok(QueryResult::status(
        StatementKind::Ddl,
        format!("View {} successfully created.", name.name),
    ))
}

/// The view's query, its columns renamed by the view's column list if it has one: in a
/// subquery alias rather than in DuckDB's view column list, which DuckDB keeps apart from the
/// view's column names (COMMENT ON COLUMN, for the column comments, finds only the latter).
/// A list of another length than the query's columns is 002057.
fn renamed_columns(
    session: &Session,
    name: &QualifiedName,
    view: &sqlparser::ast::CreateView,
) -> SfResult<String> {
    if view.columns.is_empty() {
        return Ok(view.query.to_string());
    }
    let names: Vec<String> = view.columns.iter().map(|c| c.name.to_string()).collect();
    let produced = session
        .catalog_rows(&format!("DESCRIBE {}", view.query), &[], 1)?
        .len();
    if produced != names.len() {
        return Err(SfError::new(
            "002057",
            "42601",
            format!(
                "SQL compilation error:\nView definition for '{}' declared {} column(s), \
                 but view query produces {produced} column(s).",
                name.display(),
                names.len()
            ),
        ));
    }
    Ok(format!(
        "SELECT * FROM ({}) AS __mockhaus_view_columns({})",
        view.query,
        names.join(", ")
    ))
}

/// `CREATE VIEW v (c COMMENT '...', ...)`: each column's comment, kept where a table column's
/// is (dbt's persist_docs writes views so).
fn view_column_comments(
    session: &Session,
    view: &QualifiedName,
    columns: &[sqlparser::ast::ViewColumnDef],
) -> SfResult<()> {
    for column in columns {
        let options = column.options.as_ref().map_or(&[][..], |o| o.as_slice());
        for option in options {
            if let sqlparser::ast::ColumnOption::Comment(comment) = option {
                let name = crate::rewrite::idents::normalize(&column.name);
                crate::declared_types::set_user_comment(session, view, &name, Some(comment))?;
            }
        }
    }
    Ok(())
}

/// TRUNCATE [TABLE] [IF EXISTS] t: every row goes; the table and its declarations stay.
/// Transactional, as Snowflake's is.
pub fn truncate(
    session: &mut Session,
    truncate: &sqlparser::ast::Truncate,
) -> SfResult<QueryResult> {
    for target in &truncate.table_names {
        let name = QualifiedName::resolve(session, &target.name, "TRUNCATE")?;
        match relation_kind(session, &name)? {
            Some(RelationKind::Table) => {
                session.run_internal(&format!("DELETE FROM {}", name.duckdb()))?;
                session.record_change(Some(&name));
                // As in Snowflake, TRUNCATE lets COPY INTO load the same files again.
                session.shared.stages.forget_loads(&name);
            }
            None if truncate.if_exists => {}
            _ => return Err(SfError::table_not_found("Table", &name.display())),
        }
    }
    Ok(QueryResult::status(
        StatementKind::Ddl,
        "Statement executed successfully.",
    ))
}

/// The statement as the user wrote it when the request holds only it (SHOW VIEWS reports
/// that text), else as sqlparser prints it.
fn statement_text(statement: &Statement, sql: &str) -> String {
    match crate::request::parse(sql) {
        Ok(statements) if statements.len() == 1 => {
            sql.trim().trim_end_matches(';').trim_end().to_string()
        }
        _ => statement.to_string(),
    }
}

pub fn alter_table(
    session: &mut Session,
    mut statement: Statement,
    sql: &str,
) -> SfResult<QueryResult> {
    implicit_commit(session)?;
    rewrite::rewrite(&mut statement, sql, &session.function_context())?;
    let Statement::AlterTable(alter) = statement else {
        unreachable!("dispatched on AlterTable")
    };
    let name = QualifiedName::resolve(session, &alter.name, "ALTER TABLE")?;
    if relation_kind(session, &name)? != Some(RelationKind::Table) {
        if alter.if_exists {
            return Ok(QueryResult::status(
                StatementKind::Ddl,
                "Statement executed successfully.",
            ));
        }
        return Err(SfError::table_not_found("Table", &name.display()));
    }
    for operation in &alter.operations {
        let change = alter_operation(session, &name, operation)?;
        if let Some(change) = change {
            session.run_internal(&format!("ALTER TABLE {} {change}", name.duckdb()))?;
        }
        if let AlterTableOperation::AddColumn { column_def, .. } = operation {
            declare_column_type(session, &name, column_def)?;
        }
    }
    Ok(QueryResult::status(
        StatementKind::Ddl,
        "Statement executed successfully.",
    ))
}

/// The DuckDB clause for one ALTER TABLE operation; `None` for accepted no-ops.
fn alter_operation(
    session: &Session,
    table: &QualifiedName,
    operation: &AlterTableOperation,
) -> SfResult<Option<String>> {
    let sql = match operation {
        AlterTableOperation::AddColumn {
            column_def,
            if_not_exists,
            ..
        } => {
            let guard = if *if_not_exists { "IF NOT EXISTS " } else { "" };
            format!("ADD COLUMN {guard}{}", column_sql(column_def)?)
        }
        AlterTableOperation::DropColumn {
            column_names,
            if_exists,
            ..
        } => {
            let guard = if *if_exists { "IF EXISTS " } else { "" };
            let drops: Vec<String> = column_names
                .iter()
                .map(|c| format!("DROP COLUMN {guard}{c}"))
                .collect();
            // DuckDB takes one operation per ALTER; run all but the last here.
            for drop in &drops[..drops.len().saturating_sub(1)] {
                session.run_internal(&format!("ALTER TABLE {} {drop}", table.duckdb()))?;
            }
            drops.last().cloned().unwrap_or_default()
        }
        AlterTableOperation::RenameColumn {
            old_column_name,
            new_column_name,
        } => {
            format!("RENAME COLUMN {old_column_name} TO {new_column_name}")
        }
        AlterTableOperation::RenameTable {
            table_name: RenameTableNameKind::To(new) | RenameTableNameKind::As(new),
        } => {
            let target = QualifiedName::resolve(session, new, "ALTER TABLE")?;
            if target.database != table.database || target.schema != table.schema {
                return Err(SfError::unsupported("renaming a table into another schema"));
            }
            format!("RENAME TO {}", quote(&target.name))
        }
        AlterTableOperation::ClusterBy { .. } | AlterTableOperation::DropClusteringKey => {
            return Ok(None)
        }
        AlterTableOperation::SwapWith { table_name } => {
            swap(session, table, table_name)?;
            return Ok(None);
        }
        other => return Err(SfError::unsupported(format!("ALTER TABLE {other}"))),
    };
    Ok(Some(sql))
}

/// `ALTER TABLE a SWAP WITH b`: the two tables exchange names (and with them their rows,
/// columns and notes), in one transaction.
fn swap(session: &Session, table: &QualifiedName, other: &ObjectName) -> SfResult<()> {
    let other = QualifiedName::resolve(session, other, "ALTER TABLE")?;
    if relation_kind(session, &other)? != Some(RelationKind::Table) {
        return Err(SfError::table_not_found("Table", &other.display()));
    }
    if other.database != table.database || other.schema != table.schema {
        return Err(SfError::unsupported("swapping tables of different schemas"));
    }
    let parked = QualifiedName {
        name: format!("__MOCKHAUS_SWAP__{}", uuid::Uuid::new_v4().simple()),
        ..table.clone()
    };
    let rename = |from: &QualifiedName, to: &QualifiedName| {
        session.run_internal(&format!(
            "ALTER TABLE {} RENAME TO {}",
            from.duckdb(),
            quote(&to.name)
        ))
    };
    super::dml::all_or_nothing(session, || {
        rename(table, &parked)?;
        rename(&other, table)?;
        rename(&parked, &other)
    })
}

pub fn drop(
    session: &mut Session,
    kind: ObjectType,
    if_exists: bool,
    names: &[ObjectName],
) -> SfResult<QueryResult> {
    implicit_commit(session)?;
    let (expected, word, label) = match kind {
        ObjectType::View => (RelationKind::View, "VIEW", "View"),
        _ => (RelationKind::Table, "TABLE", "Table"),
    };
    let mut last = String::new();
    for object in names {
        let name = QualifiedName::resolve(session, object, &format!("DROP {word}"))?;
        if relation_kind(session, &name)? != Some(expected) {
            if if_exists {
                return Ok(already_dropped(&name.name));
            }
            return Err(SfError::table_not_found(label, &name.display()));
        }
        session.run_internal(&format!("DROP {word} {}", name.duckdb()))?;
        last = name.name;
    }
    Ok(QueryResult::status(
        StatementKind::Ddl,
        format!("{last} successfully dropped."),
    ))
}

/// Before creating a table or view: its database and schema must exist, and an existing
/// object of that name is an error, unless IF NOT EXISTS (answered here) or OR REPLACE.
fn check_new_relation(
    session: &Session,
    name: &QualifiedName,
    if_not_exists: bool,
    or_replace: bool,
) -> SfResult<Option<QueryResult>> {
    ensure_namespace(session, name)?;
    if relation_kind(session, name)?.is_none() || or_replace {
        return Ok(None);
    }
    if if_not_exists {
        return Ok(Some(already_exists(&name.name)));
    }
    Err(SfError::already_exists("Object", &name.name))
}

fn create_keywords(kind: &str, or_replace: bool) -> String {
    if or_replace {
        format!("CREATE OR REPLACE {kind}")
    } else {
        format!("CREATE {kind}")
    }
}

/// The database and schema of a new object must exist.
pub(super) fn ensure_namespace(session: &Session, name: &QualifiedName) -> SfResult<()> {
    if !database_exists(session, &name.database)? {
        return Err(SfError::namespace_not_found("Database", &name.database));
    }
    if !schema_exists(session, &name.database, &name.schema)? {
        return Err(SfError::namespace_not_found(
            "Schema",
            &format!("{}.{}", name.database, name.schema),
        ));
    }
    Ok(())
}
