//! The config file: TOML, every key optional. Precedence, first wins:
//! command-line flag > `MOCKHAUS_*` environment variable > config file > built-in default.

use std::path::Path;

use anyhow::Context;
use serde::Deserialize;

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileConfig {
    pub host: Option<String>,
    pub port: Option<u16>,
    /// `memory` (the only mode until persistence lands).
    pub mode: Option<String>,
    /// A tracing filter, e.g. `info` or `data_node=debug`.
    pub log: Option<String>,
}

impl FileConfig {
    pub fn load(path: Option<&Path>) -> anyhow::Result<FileConfig> {
        let Some(path) = path else {
            return Ok(FileConfig::default());
        };
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("read config file {}", path.display()))?;
        toml::from_str(&text).with_context(|| format!("parse config file {}", path.display()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_example_config_parses() {
        let example = include_str!("../../../deploy/mockhaus.example.toml");
        let config: FileConfig = toml::from_str(example).unwrap();
        assert_eq!(config.port, Some(8080));
        assert_eq!(config.mode.as_deref(), Some("memory"));
    }

    #[test]
    fn unknown_keys_are_rejected() {
        assert!(toml::from_str::<FileConfig>("prot = 1").is_err());
    }
}
