//! The files of one stage directory: listed, filtered by path prefix and PATTERN, removed.

use std::path::{Path, PathBuf};
use std::time::SystemTime;

use super::area::io_error;
use crate::error::{SfError, SfResult};

/// One staged file.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct StagedFile {
    /// The path inside the stage, `/`-separated.
    pub relative: String,
    pub absolute: PathBuf,
    pub size: u64,
    pub modified: SystemTime,
}

/// Which files of a stage a command means: those whose path starts with `prefix` (the
/// `/path` after the stage name) and that match PATTERN (a regular expression over the whole
/// path, as Snowflake applies it), in path order.
pub(crate) fn matching(
    stage_dir: &Path,
    prefix: &str,
    pattern: Option<&str>,
) -> SfResult<Vec<StagedFile>> {
    let pattern = pattern.map(anchored).transpose()?;
    let mut files = Vec::new();
    collect(stage_dir, stage_dir, &mut files)?;
    files.retain(|f| {
        f.relative.starts_with(prefix) && pattern.as_ref().is_none_or(|p| p.is_match(&f.relative))
    });
    files.sort_by(|a, b| a.relative.cmp(&b.relative));
    Ok(files)
}

fn anchored(pattern: &str) -> SfResult<regex::Regex> {
    regex::Regex::new(&format!("^(?:{pattern})$")).map_err(|e| {
        SfError::new(
            "100048",
            "2201B",
            format!("Invalid regular expression: '{pattern}', {e}"),
        )
    })
}

fn collect(root: &Path, dir: &Path, out: &mut Vec<StagedFile>) -> SfResult<()> {
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(io_error(dir, &e)),
    };
    for entry in entries {
        let entry = entry.map_err(|e| io_error(dir, &e))?;
        let path = entry.path();
        let meta = entry.metadata().map_err(|e| io_error(&path, &e))?;
        if meta.is_dir() {
            collect(root, &path, out)?;
        } else if meta.is_file() {
            let relative = path
                .strip_prefix(root)
                .expect("walked from the root")
                .components()
                .map(|c| c.as_os_str().to_string_lossy())
                .collect::<Vec<_>>()
                .join("/");
            out.push(StagedFile {
                relative,
                size: meta.len(),
                modified: meta.modified().unwrap_or(SystemTime::UNIX_EPOCH),
                absolute: path,
            });
        }
    }
    Ok(())
}

pub(crate) fn remove(file: &StagedFile) -> SfResult<()> {
    match std::fs::remove_file(&file.absolute) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(io_error(&file.absolute, &e)),
    }
}

/// LIST's `last_modified`: `Sat, 28 Nov 2026 22:40:05 GMT`.
pub(crate) fn http_date(time: SystemTime) -> String {
    let utc: chrono::DateTime<chrono::Utc> = time.into();
    utc.format("%a, %-d %b %Y %H:%M:%S GMT").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefix_and_pattern_select_files() {
        let area = super::super::area::StageArea::create("FILES").unwrap();
        let dir = area.root();
        std::fs::create_dir_all(dir.join("d")).unwrap();
        for name in ["a.csv", "b.parquet", "d/c.csv"] {
            std::fs::write(dir.join(name), b"x").unwrap();
        }
        let names = |prefix: &str, pattern: Option<&str>| -> Vec<String> {
            matching(dir, prefix, pattern)
                .unwrap()
                .into_iter()
                .map(|f| f.relative)
                .collect()
        };
        assert_eq!(names("", None), ["a.csv", "b.parquet", "d/c.csv"]);
        assert_eq!(names("d/", None), ["d/c.csv"]);
        assert_eq!(names("", Some(".*[.]csv")), ["a.csv", "d/c.csv"]);
        assert_eq!(names("", Some("csv")), Vec::<String>::new());
        assert_eq!(matching(dir, "", Some("(")).unwrap_err().code, "100048");
    }
}
