//! Internal stages: named stages (`CREATE STAGE`), table stages (`@%t`) and the user stage
//! (`@~`), whose files live in the account's stage directory (`area.rs`). PUT and GET are
//! answered with where the files go (`transfer.rs`): the driver copies them itself, as it
//! does for Snowflake's `LOCAL_FS` stages. LIST and REMOVE read that directory, and COPY INTO
//! loads its CSV and Parquet files into tables (`copy.rs`).
//!
//! The directory is the server's, so PUT and GET work for clients on the server's machine,
//! which is how Mockhaus is used in tests and CI; a client elsewhere gets the path of a
//! directory it cannot reach.

mod area;
mod catalog;
mod copy;
mod file_format;
mod files;
pub(crate) mod infer_schema;
mod lexer;
mod parse;
mod reference;
mod transfer;

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use parking_lot::Mutex;
use sqlparser::ast::ObjectName;

pub(crate) use area::StageArea;
use catalog::{ObjectKey, Scoped};
use parse::{CreateStage, ObjectKind, OptionValue, Options, StageCommand};
use reference::{StageRef, StageTarget};
pub use transfer::{FileTransfer, TransferDirection};

use crate::binds::BindRow;
use crate::error::{SfError, SfResult};
use crate::result::{Cell, Column, QueryResult, StatementKind};
use crate::session::Session;
use crate::statements::catalog::{relation_kind, schema_exists, RelationKind};
use crate::statements::QualifiedName;
use crate::types::SfType;

/// The account's stages: the named ones, and which staged files were loaded into which table.
pub(crate) struct Stages {
    area: StageArea,
    named: Scoped<StageDefinition>,
    /// Named file formats (CREATE FILE FORMAT): their options.
    formats: Scoped<Options>,
    /// COPY INTO skips a file it already loaded into the same table, unless FORCE = TRUE.
    loaded: Mutex<HashSet<LoadedFile>>,
}

#[derive(Debug, Clone)]
struct StageDefinition {
    /// The stage's FILE_FORMAT options, the defaults for COPY INTO from it.
    file_format: Options,
}

/// A file as COPY INTO last saw it: a file put again under the same name is a new file.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct LoadedFile {
    table: TableIdentity,
    path: PathBuf,
    size: u64,
    modified: std::time::SystemTime,
}

/// A table as load history knows it: its name and DuckDB oid (`copy::table_identity`), so a
/// table created again under the same name has no load history, as in Snowflake.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct TableIdentity {
    name: QualifiedName,
    oid: String,
}

impl Stages {
    pub(crate) fn new(area: StageArea) -> Stages {
        Stages {
            area,
            named: Scoped::default(),
            formats: Scoped::default(),
            loaded: Mutex::default(),
        }
    }

    /// Drops the session's temporary stages (with their files) and file formats.
    pub(crate) fn end_session(&self, session: i64) {
        for key in self.named.end_session(session) {
            let _ = std::fs::remove_dir_all(stage_dir(self.root(), &key));
        }
        self.formats.end_session(session);
    }

    /// Forgets which files were loaded into `table` (TRUNCATE does, in Snowflake).
    pub(crate) fn forget_loads(&self, table: &QualifiedName) {
        self.loaded.lock().retain(|file| file.table.name != *table);
    }

    /// The directory DuckDB may read staged files from.
    pub(crate) fn root(&self) -> &Path {
        self.area.root()
    }
}

/// Whether a request may start with a file command (a cheap test before tokenizing).
pub(crate) fn starts_with_file_command(sql: &str) -> bool {
    let Some(word) = transfer::first_word(sql) else {
        return false;
    };
    let is = |command: &str| word.eq_ignore_ascii_case(command);
    ["PUT", "GET", "LIST", "LS", "REMOVE", "RM", "COPY"]
        .iter()
        .any(|command| is(command))
        || (is("CREATE") || is("DROP")) && crate::session::mentions(sql, b"file")
}

/// Whether a statement's first words make it a file command (upper-case, unquoted words).
pub(crate) fn is_stage_command(words: &[String]) -> bool {
    let word = |i: usize| words.get(i).map(String::as_str).unwrap_or_default();
    match word(0) {
        "PUT" | "GET" | "LIST" | "LS" | "REMOVE" | "RM" | "COPY" => true,
        "DROP" => word(1) == "STAGE" || (word(1) == "FILE" && word(2) == "FORMAT"),
        "CREATE" => {
            let kind = words
                .iter()
                .skip(1)
                .position(|w| {
                    !["OR", "REPLACE", "SCOPED", "TEMP", "TEMPORARY"].contains(&w.as_str())
                })
                .map_or(0, |i| i + 1);
            word(kind) == "STAGE" || (word(kind) == "FILE" && word(kind + 1) == "FORMAT")
        }
        _ => false,
    }
}

/// Runs a file command other than PUT and GET (which a driver carries out, see
/// [`Session::file_transfer`]).
pub(crate) fn run(session: &mut Session, text: &str, binds: &[BindRow]) -> SfResult<QueryResult> {
    let row = single_row(binds)?;
    match parse::parse(text, lexer::lex(text, row)?)? {
        StageCommand::Put { .. } | StageCommand::Get { .. } => Err(SfError::unsupported(
            "PUT and GET outside a Snowflake driver (the driver moves the files)",
        )),
        StageCommand::List { stage, options } => list(session, &stage, &options),
        StageCommand::Remove { stage, options } => remove(session, &stage, &options),
        StageCommand::Create(statement) => create_object(session, &statement),
        StageCommand::Drop {
            kind,
            if_exists,
            name,
        } => drop_object(session, kind, if_exists, &name),
        StageCommand::Copy(copy) => copy::run(session, &copy),
    }
}

pub(crate) fn single_row(binds: &[BindRow]) -> SfResult<&[Cell]> {
    match binds {
        [] => Ok(&[]),
        [row] => Ok(row),
        _ => Err(SfError::unsupported("array binding of a file command")),
    }
}

/// A stage as a command named it, found.
pub(crate) struct ResolvedStage {
    /// The stage's own directory.
    pub dir: PathBuf,
    /// The path after the stage name: a prefix of the files meant.
    pub prefix: String,
    /// What LIST shows before each file's path (a named stage's name, lower-case, and `/`).
    pub listed_prefix: String,
    pub file_format: Options,
}

fn resolve(session: &Session, stage: &StageRef, action: &str) -> SfResult<ResolvedStage> {
    let stages = &session.shared.stages;
    let root = stages.root();
    area::relative_path(&stage.path)?;
    let (dir, listed_prefix, file_format) = match &stage.target {
        StageTarget::User => {
            let dir = root
                .join("users")
                .join(area::path_component(&session.state.user));
            (dir, String::new(), Vec::new())
        }
        StageTarget::Table(name) => {
            let table = QualifiedName::resolve(session, name, action)?;
            if relation_kind(session, &table)? != Some(RelationKind::Table) {
                return Err(SfError::table_not_found("Table", &table.display()));
            }
            (
                namespace_dir(root, &table, "tables"),
                String::new(),
                Vec::new(),
            )
        }
        StageTarget::Named(name) => {
            let qualified = QualifiedName::resolve(session, name, action)?;
            let (key, definition) = stages
                .named
                .visible(&qualified, session.id())
                .ok_or_else(|| stage_not_found(&qualified))?;
            let listed = format!("{}/", qualified.name.to_lowercase());
            (stage_dir(root, &key), listed, definition.file_format)
        }
    };
    Ok(ResolvedStage {
        dir,
        prefix: stage.path.clone(),
        listed_prefix,
        file_format,
    })
}

fn namespace_dir(root: &Path, name: &QualifiedName, kind: &str) -> PathBuf {
    root.join(area::path_component(&name.database))
        .join(area::path_component(&name.schema))
        .join(kind)
        .join(area::path_component(&name.name))
}

/// A named stage's directory; a temporary stage's is under its session's.
fn stage_dir(root: &Path, key: &ObjectKey) -> PathBuf {
    let schema = root
        .join(area::path_component(&key.database))
        .join(area::path_component(&key.schema));
    let stages = match key.owner {
        None => schema.join("stages"),
        Some(session) => schema.join("temporary").join(session.to_string()),
    };
    stages.join(area::path_component(&key.name))
}

fn stage_not_found(name: &QualifiedName) -> SfError {
    SfError::namespace_not_found("Stage", &name.display())
}

/// A FORMAT_NAME option replaced by the named file format's own options.
fn expand_format_name(session: &Session, options: &Options) -> SfResult<Options> {
    let mut expanded = Vec::with_capacity(options.len());
    for (option, value) in options {
        if option != "FORMAT_NAME" {
            expanded.push((option.clone(), value.clone()));
            continue;
        }
        let written = value
            .text()
            .ok_or_else(|| file_format::unknown_option(option))?;
        let name =
            QualifiedName::resolve(session, &parse::object_name(&written)?, "use a file format")?;
        let (_, named) = session
            .shared
            .stages
            .formats
            .visible(&name, session.id())
            .ok_or_else(|| file_format_not_found(&name))?;
        expanded.extend(named);
    }
    Ok(expanded)
}

fn file_format_not_found(name: &QualifiedName) -> SfError {
    SfError::namespace_not_found("File format", &name.display())
}

fn create_object(session: &mut Session, create: &CreateStage) -> SfResult<QueryResult> {
    crate::statements::transactions::implicit_commit(session)?;
    let name = QualifiedName::resolve(session, &create.name, "create an object")?;
    if !schema_exists(session, &name.database, &name.schema)? {
        return Err(SfError::namespace_not_found(
            "Schema",
            &format!("{}.{}", name.database, name.schema),
        ));
    }
    let stages = &session.shared.stages;
    let key = ObjectKey::new(&name, create.temporary.then(|| session.id()));
    let existing = match create.kind {
        ObjectKind::Stage => stages.named.contains(&key),
        ObjectKind::FileFormat => stages.formats.contains(&key),
    };
    if existing && create.if_not_exists {
        return Ok(status(format!(
            "{} already exists, statement succeeded.",
            name.name
        )));
    }
    if existing && !create.or_replace {
        return Err(SfError::already_exists("Object", &name.name));
    }
    match create.kind {
        ObjectKind::Stage => create_stage(session, key, &create.options),
        ObjectKind::FileFormat => create_file_format(session, key, &create.options),
    }
}

fn create_stage(session: &Session, key: ObjectKey, options: &Options) -> SfResult<QueryResult> {
    let mut file_format = Vec::new();
    for (option, value) in options {
        match (option.as_str(), value) {
            ("FILE_FORMAT", OptionValue::Nested(options)) => {
                file_format = expand_format_name(session, options)?;
                file_format::FileFormat::from_options(&file_format)?;
            }
            ("URL" | "STORAGE_INTEGRATION" | "CREDENTIALS", _) => {
                return Err(SfError::unsupported("external stages"))
            }
            ("COMMENT" | "COPY_OPTIONS" | "DIRECTORY" | "ENCRYPTION" | "TAG", _) => {}
            _ => return Err(file_format::unknown_option(option)),
        }
    }
    let dir = stage_dir(session.shared.stages.root(), &key);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).map_err(|e| area::io_error(&dir, &e))?;
    let message = format!("Stage area {} successfully created.", key.name);
    let definition = StageDefinition { file_format };
    session.shared.stages.named.insert(key, definition);
    Ok(status(message))
}

fn create_file_format(
    session: &Session,
    key: ObjectKey,
    options: &Options,
) -> SfResult<QueryResult> {
    let format: Options = options
        .iter()
        .filter(|(option, _)| option != "COMMENT")
        .cloned()
        .collect();
    file_format::FileFormat::from_options(&format)?;
    let message = format!("File format {} successfully created.", key.name);
    session.shared.stages.formats.insert(key, format);
    Ok(status(message))
}

fn drop_object(
    session: &mut Session,
    kind: ObjectKind,
    if_exists: bool,
    name: &ObjectName,
) -> SfResult<QueryResult> {
    crate::statements::transactions::implicit_commit(session)?;
    let name = QualifiedName::resolve(session, name, "drop an object")?;
    let stages = &session.shared.stages;
    let removed = match kind {
        ObjectKind::Stage => stages.named.remove_visible(&name, session.id()),
        ObjectKind::FileFormat => stages.formats.remove_visible(&name, session.id()),
    };
    let Some(key) = removed else {
        if if_exists {
            return Ok(status(format!(
                "Drop statement executed successfully ({} already dropped).",
                name.name
            )));
        }
        return Err(match kind {
            ObjectKind::Stage => stage_not_found(&name),
            ObjectKind::FileFormat => file_format_not_found(&name),
        });
    };
    if kind == ObjectKind::Stage {
        let _ = std::fs::remove_dir_all(stage_dir(stages.root(), &key));
    }
    Ok(status(format!("{} successfully dropped.", name.name)))
}

fn list(session: &Session, stage: &StageRef, options: &Options) -> SfResult<QueryResult> {
    let resolved = resolve(session, stage, "list files")?;
    let pattern = pattern_option(options)?;
    let files = files::matching(&resolved.dir, &resolved.prefix, pattern.as_deref())?;
    let mut rows = Vec::with_capacity(files.len());
    for file in files {
        rows.push(vec![
            Cell::Text(format!("{}{}", resolved.listed_prefix, file.relative)),
            Cell::Decimal {
                value: file.size as i128,
                scale: 0,
            },
            Cell::Text(md5_of(session, &file.absolute)?),
            Cell::Text(files::http_date(file.modified)),
        ]);
    }
    Ok(QueryResult {
        kind: StatementKind::Show,
        columns: vec![
            Column::new("name", SfType::TEXT),
            Column::new("size", SfType::INTEGER),
            Column::new("md5", SfType::TEXT),
            Column::new("last_modified", SfType::TEXT),
        ],
        rows,
    })
}

fn remove(session: &Session, stage: &StageRef, options: &Options) -> SfResult<QueryResult> {
    let resolved = resolve(session, stage, "remove files")?;
    let pattern = pattern_option(options)?;
    let files = files::matching(&resolved.dir, &resolved.prefix, pattern.as_deref())?;
    let mut rows = Vec::with_capacity(files.len());
    for file in files {
        files::remove(&file)?;
        rows.push(vec![
            Cell::Text(format!("{}{}", resolved.listed_prefix, file.relative)),
            Cell::Text("removed".into()),
        ]);
    }
    Ok(QueryResult {
        kind: StatementKind::Other,
        columns: vec![
            Column::new("name", SfType::TEXT),
            Column::new("result", SfType::TEXT),
        ],
        rows,
    })
}

fn pattern_option(options: &Options) -> SfResult<Option<String>> {
    let mut pattern = None;
    for (option, value) in options {
        match option.as_str() {
            "PATTERN" => pattern = value.text(),
            _ => return Err(file_format::unknown_option(option)),
        }
    }
    Ok(pattern)
}

/// A staged file's MD5, hex (DuckDB's md5 over the bytes, so no digest crate is needed).
fn md5_of(session: &Session, path: &Path) -> SfResult<String> {
    let bytes = std::fs::read(path).map_err(|e| area::io_error(path, &e))?;
    session
        .conn
        .query_row(
            "SELECT md5(?)",
            [duckdb::types::Value::Blob(bytes)],
            |row| row.get::<_, String>(0),
        )
        .map_err(|e| crate::duckdb_errors::translate(&e))
}

fn status(message: String) -> QueryResult {
    QueryResult::status(StatementKind::Ddl, message)
}
