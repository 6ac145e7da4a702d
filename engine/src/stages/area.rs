//! Where an account's staged files live on the server's filesystem: one directory per
//! account instance, removed with it. Clients of a local server reach the same directory
//! (Snowflake's `LOCAL_FS` stage type): PUT and GET copy files in and out of it themselves.
//!
//! Names become directory names through [`path_component`], which keeps only characters
//! that cannot climb or split a path, so no stage, table or user name can reach outside the
//! account's directory.

use std::path::{Path, PathBuf};

use crate::error::{SfError, SfResult};

/// The account's stage directory; deleted when the account instance closes.
pub(crate) struct StageArea {
    root: PathBuf,
}

impl StageArea {
    /// A new, empty directory for one account instance under the system's temporary directory.
    pub(crate) fn create(account: &str) -> SfResult<StageArea> {
        let root = std::env::temp_dir().join(format!(
            "mockhaus-stages-{}-{}-{}",
            path_component(account),
            std::process::id(),
            uuid::Uuid::new_v4().simple()
        ));
        std::fs::create_dir_all(&root).map_err(|e| io_error(&root, &e))?;
        Ok(StageArea { root })
    }

    pub(crate) fn root(&self) -> &Path {
        &self.root
    }
}

impl Drop for StageArea {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.root);
    }
}

/// A name as one safe path component: ASCII letters, digits and `_` stay; every other byte
/// becomes `-XX` (hex), so distinct names stay distinct and none is `.`, `..` or holds `/`.
pub(crate) fn path_component(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for byte in name.bytes() {
        if byte.is_ascii_alphanumeric() || byte == b'_' {
            out.push(byte as char);
        } else {
            out.push_str(&format!("-{byte:02X}"));
        }
    }
    out
}

/// A path inside a stage (`@stage/a/b.csv` gives `a/b.csv`), checked to stay inside it.
pub(crate) fn relative_path(path: &str) -> SfResult<PathBuf> {
    let mut out = PathBuf::new();
    for part in path.split('/').filter(|p| !p.is_empty() && *p != ".") {
        if part == ".." || part.contains('\\') || part.contains('\0') {
            return Err(SfError::new(
                "001003",
                "42000",
                format!("SQL compilation error:\ninvalid stage path '{path}'"),
            ));
        }
        out.push(part);
    }
    Ok(out)
}

pub(crate) fn io_error(path: &Path, err: &std::io::Error) -> SfError {
    SfError::internal(format!("stage file {}: {err}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_become_single_safe_components() {
        assert_eq!(path_component("MY_STAGE1"), "MY_STAGE1");
        assert_eq!(path_component(".."), "-2E-2E");
        assert_eq!(path_component("a/b"), "a-2Fb");
        assert_ne!(path_component("a-2F"), path_component("a/"));
    }

    #[test]
    fn stage_paths_cannot_climb() {
        assert_eq!(relative_path("/a//b/").unwrap(), PathBuf::from("a/b"));
        assert_eq!(relative_path("").unwrap(), PathBuf::new());
        assert!(relative_path("a/../../x").is_err());
    }

    #[test]
    fn the_directory_goes_with_the_area() {
        let area = StageArea::create("ACME").unwrap();
        let root = area.root().to_path_buf();
        assert!(root.is_dir());
        drop(area);
        assert!(!root.exists());
    }
}
