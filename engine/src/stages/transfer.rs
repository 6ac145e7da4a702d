//! PUT and GET. A Snowflake driver carries these out itself: the server answers with where
//! the files go (a `LOCAL_FS` stage location here) and the driver copies them, compressing
//! on PUT when asked. So the engine's part is to find the stage directory and say what to
//! move.

use std::path::Path;

use super::parse::{Options, StageCommand};
use super::{files, lexer, parse, resolve, single_row};
use crate::binds::BindRow;
use crate::error::{SfError, SfResult};
use crate::session::Session;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TransferDirection {
    Upload,
    Download,
}

/// What a driver needs to carry out a PUT or GET.
#[derive(Debug, Clone, PartialEq)]
pub struct FileTransfer {
    pub direction: TransferDirection,
    /// PUT: the client's files as the statement names them (the driver expands wildcards).
    /// GET: the staged files, relative to `stage_location`.
    pub source_locations: Vec<String>,
    /// The directory the driver copies into (PUT) or from (GET), ending in `/`.
    pub stage_location: String,
    /// GET: the client's directory to copy into.
    pub local_location: Option<String>,
    pub auto_compress: bool,
    pub source_compression: String,
    pub overwrite: bool,
    pub parallel: u32,
}

impl Session {
    /// For a PUT or GET statement, what the driver must move; `None` for any other statement.
    pub fn file_transfer(
        &mut self,
        sql: &str,
        binds: &[BindRow],
    ) -> Option<SfResult<FileTransfer>> {
        let first = first_word(sql)?;
        if !first.eq_ignore_ascii_case("PUT") && !first.eq_ignore_ascii_case("GET") {
            return None;
        }
        Some(self.plan_transfer(sql, binds))
    }

    fn plan_transfer(&mut self, sql: &str, binds: &[BindRow]) -> SfResult<FileTransfer> {
        let tokens = lexer::lex(sql, single_row(binds)?)?;
        match parse::parse(sql, tokens)? {
            StageCommand::Put {
                local,
                stage,
                options,
            } => {
                let resolved = resolve(self, &stage, "put files")?;
                let dir = resolved.dir.join(super::area::relative_path(&stage.path)?);
                std::fs::create_dir_all(&dir).map_err(|e| super::area::io_error(&dir, &e))?;
                upload(&local, &dir, &options)
            }
            StageCommand::Get {
                stage,
                local,
                options,
            } => {
                let resolved = resolve(self, &stage, "get files")?;
                let pattern = super::pattern_option(&options)?;
                let staged = files::matching(&resolved.dir, &resolved.prefix, pattern.as_deref())?;
                Ok(FileTransfer {
                    direction: TransferDirection::Download,
                    source_locations: staged.into_iter().map(|f| f.relative).collect(),
                    stage_location: directory(&resolved.dir),
                    local_location: Some(local_path(&local)?),
                    auto_compress: false,
                    source_compression: "none".into(),
                    overwrite: true,
                    parallel: 10,
                })
            }
            _ => Err(SfError::internal("not a PUT or GET")),
        }
    }
}

fn upload(local: &str, dir: &Path, options: &Options) -> SfResult<FileTransfer> {
    let mut transfer = FileTransfer {
        direction: TransferDirection::Upload,
        source_locations: vec![local_path(local)?],
        stage_location: directory(dir),
        local_location: None,
        auto_compress: true,
        // Lower case, as Snowflake sends it: Node compares it with `auto_detect` exactly.
        source_compression: "auto_detect".into(),
        overwrite: false,
        parallel: 4,
    };
    for (option, value) in options {
        let text = value.text().unwrap_or_default().to_uppercase();
        match option.as_str() {
            "AUTO_COMPRESS" => transfer.auto_compress = text == "TRUE",
            "OVERWRITE" => transfer.overwrite = text == "TRUE",
            "SOURCE_COMPRESSION" => transfer.source_compression = text.to_lowercase(),
            "PARALLEL" => {
                transfer.parallel = text
                    .parse()
                    .map_err(|_| super::file_format::unknown_option(option))?
            }
            _ => return Err(super::file_format::unknown_option(option)),
        }
    }
    Ok(transfer)
}

/// `file:///tmp/a.csv` → `/tmp/a.csv` (the driver reads `file://` paths only).
fn local_path(written: &str) -> SfResult<String> {
    let lower = written.to_ascii_lowercase();
    if !lower.starts_with("file://") {
        return Err(SfError::new(
            "001003",
            "42000",
            format!("SQL compilation error:\nsyntax error: the local file '{written}' must start with file://"),
        ));
    }
    Ok(written["file://".len()..].to_string())
}

fn directory(dir: &Path) -> String {
    let mut text = dir.to_string_lossy().into_owned();
    if !text.ends_with('/') {
        text.push('/');
    }
    text
}

/// The statement's first word, past whitespace and comments.
pub(super) fn first_word(sql: &str) -> Option<&str> {
    let mut rest = sql;
    loop {
        rest = rest.trim_start();
        if let Some(after) = rest.strip_prefix("--") {
            rest = after.split_once('\n').map_or("", |(_, r)| r);
        } else if let Some(after) = rest.strip_prefix("/*") {
            rest = after.split_once("*/").map_or("", |(_, r)| r);
        } else {
            break;
        }
    }
    let end = rest
        .find(|c: char| !c.is_ascii_alphanumeric() && c != '_')
        .unwrap_or(rest.len());
    (end > 0).then(|| &rest[..end])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first_words_and_local_paths() {
        assert_eq!(first_word(" /* x */ -- y\n put 'a' @s"), Some("put"));
        assert_eq!(first_word("?"), None);
        assert_eq!(first_word("get_ddl('table', 't')"), Some("get_ddl"));
        assert_eq!(local_path("file:///tmp/a b.csv").unwrap(), "/tmp/a b.csv");
        assert_eq!(local_path("/tmp/a").unwrap_err().code, "001003");
    }
}
