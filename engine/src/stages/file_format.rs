//! FILE_FORMAT options (`TYPE = CSV | PARQUET` and the CSV options loads commonly set) and
//! how DuckDB reads one staged file with them. An option Mockhaus cannot honour is refused
//! by name rather than ignored, so a load never silently reads a file differently.

use std::path::Path;

use super::parse::{OptionValue, Options};
use crate::error::{SfError, SfResult};

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum FormatType {
    Csv,
    Parquet,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct FileFormat {
    pub kind: FormatType,
    pub field_delimiter: String,
    pub skip_header: u64,
    pub enclosed_by: Option<String>,
    pub null_if: Vec<String>,
    pub empty_field_as_null: bool,
    /// DuckDB's name of the compression (`auto`, `gzip`, `zstd`, `none`).
    pub compression: &'static str,
    pub error_on_column_count_mismatch: bool,
}

impl Default for FileFormat {
    /// Snowflake's defaults: CSV, comma-separated, `\N` read as NULL.
    fn default() -> Self {
        FileFormat {
            kind: FormatType::Csv,
            field_delimiter: ",".into(),
            skip_header: 0,
            enclosed_by: None,
            null_if: vec!["\\N".into()],
            empty_field_as_null: true,
            compression: "auto",
            error_on_column_count_mismatch: true,
        }
    }
}

impl FileFormat {
    /// The format a COPY uses: the stage's options, then the statement's over them.
    pub(crate) fn from_layers(stage: &Options, statement: &Options) -> SfResult<FileFormat> {
        let mut merged = stage.clone();
        merged.extend(statement.iter().cloned());
        Self::from_options(&merged)
    }

    pub(crate) fn from_options(options: &Options) -> SfResult<FileFormat> {
        let mut format = FileFormat::default();
        // TYPE first: a later TYPE resets what the earlier options meant.
        if let Some((_, value)) = options.iter().rev().find(|(k, _)| k == "TYPE") {
            format.kind = match value.text().as_deref() {
                Some("CSV") => FormatType::Csv,
                Some("PARQUET") => FormatType::Parquet,
                Some(other) => {
                    return Err(SfError::unsupported(format!("FILE_FORMAT TYPE = {other}")))
                }
                None => return Err(invalid_value("TYPE")),
            };
            if format.kind == FormatType::Parquet {
                format.null_if.clear();
            }
        }
        for (option, value) in options {
            format.apply(option, value)?;
        }
        Ok(format)
    }

    fn apply(&mut self, option: &str, value: &OptionValue) -> SfResult<()> {
        let text = value.text();
        let upper = text.as_deref().map(str::to_uppercase);
        match (option, upper.as_deref()) {
            ("TYPE", _) => {}
            ("FORMAT_NAME", _) => {
                return Err(SfError::unsupported("named file formats (FORMAT_NAME)"))
            }
            ("FIELD_DELIMITER", Some("NONE")) => {
                return Err(SfError::unsupported("FIELD_DELIMITER = NONE"))
            }
            ("FIELD_DELIMITER", Some(_)) => self.field_delimiter = text.unwrap_or_default(),
            ("SKIP_HEADER", Some(n)) => {
                self.skip_header = n.parse().map_err(|_| invalid_value(option))?
            }
            ("FIELD_OPTIONALLY_ENCLOSED_BY", Some("NONE")) => self.enclosed_by = None,
            ("FIELD_OPTIONALLY_ENCLOSED_BY", Some(_)) => self.enclosed_by = text,
            ("NULL_IF", _) => self.null_if = texts(value).ok_or_else(|| invalid_value(option))?,
            ("EMPTY_FIELD_AS_NULL", Some(b)) => self.empty_field_as_null = boolean(option, b)?,
            ("ERROR_ON_COLUMN_COUNT_MISMATCH", Some(b)) => {
                self.error_on_column_count_mismatch = boolean(option, b)?
            }
            ("COMPRESSION", Some(c)) => self.compression = self.compression_for(c)?,
            // Options whose stated value is what Mockhaus does anyway.
            ("ENCODING", Some("UTF8" | "UTF-8"))
            | ("RECORD_DELIMITER", Some("\n" | "\r\n" | "AUTO"))
            | ("DATE_FORMAT" | "TIME_FORMAT" | "TIMESTAMP_FORMAT", Some("AUTO"))
            | ("TRIM_SPACE" | "REPLACE_INVALID_CHARACTERS" | "PARSE_HEADER", Some("FALSE"))
            | ("SKIP_BLANK_LINES", Some("TRUE" | "FALSE"))
            | ("ESCAPE", Some("NONE"))
            | ("ESCAPE_UNENCLOSED_FIELD", Some("\\" | "NONE"))
            | ("BINARY_AS_TEXT" | "USE_LOGICAL_TYPE" | "USE_VECTORIZED_SCANNER", Some(_))
            | ("SNAPPY_COMPRESSION", Some(_)) => {}
            ("ESCAPE", Some(e)) if Some(e) == self.enclosed_by.as_deref() => {}
            _ => return Err(unknown_option(option)),
        }
        Ok(())
    }

    /// Parquet files name their own codec; CSV compression maps onto DuckDB's readers.
    fn compression_for(&self, written: &str) -> SfResult<&'static str> {
        if self.kind == FormatType::Parquet {
            return Ok("auto");
        }
        match written {
            "AUTO" => Ok("auto"),
            "GZIP" => Ok("gzip"),
            "ZSTD" => Ok("zstd"),
            "NONE" => Ok("none"),
            other => Err(SfError::unsupported(format!("COMPRESSION = {other}"))),
        }
    }

    /// DuckDB's reader of one file in this format, every CSV field read as text (COPY casts
    /// each to its column's type, as Snowflake converts text fields). CSV fields are named
    /// `column0`, `column1`...
    pub(crate) fn reader(&self, file: &Path) -> String {
        let path = sql_text(&file.to_string_lossy());
        match self.kind {
            FormatType::Parquet => format!("read_parquet({path})"),
            FormatType::Csv => {
                let mut nulls: Vec<String> = self.null_if.iter().map(|n| sql_text(n)).collect();
                if self.empty_field_as_null {
                    nulls.push("''".into());
                }
                let quote = self.enclosed_by.as_deref().unwrap_or("");
                format!(
                    "read_csv({path}, header = false, skip = {}, delim = {}, quote = {}, \
                     escape = {}, all_varchar = true, nullstr = [{}], allow_quoted_nulls = false, \
                     null_padding = {}, compression = '{}', auto_detect = true)",
                    self.skip_header,
                    sql_text(&self.field_delimiter),
                    sql_text(quote),
                    sql_text(quote),
                    nulls.join(", "),
                    !self.error_on_column_count_mismatch,
                    self.compression,
                )
            }
        }
    }
}

/// The columns DuckDB reads from `reader` (a `reader()` call): name and DuckDB type.
pub(crate) fn described_columns(
    session: &crate::session::Session,
    reader: &str,
) -> SfResult<Vec<(String, String)>> {
    let rows = session.catalog_rows(&format!("DESCRIBE SELECT * FROM {reader}"), &[], 2)?;
    Ok(rows
        .into_iter()
        .map(|mut row| (row.remove(0), row.remove(0)))
        .collect())
}

fn texts(value: &OptionValue) -> Option<Vec<String>> {
    match value {
        OptionValue::List(values) => values.iter().map(OptionValue::text).collect(),
        OptionValue::Text(t) => Some(vec![t.clone()]),
        _ => None,
    }
}

fn boolean(option: &str, value: &str) -> SfResult<bool> {
    match value {
        "TRUE" => Ok(true),
        "FALSE" => Ok(false),
        _ => Err(invalid_value(option)),
    }
}

/// A string literal for DuckDB.
pub(crate) fn sql_text(text: &str) -> String {
    format!("'{}'", text.replace('\'', "''"))
}

pub(crate) fn unknown_option(option: &str) -> SfError {
    SfError::unsupported(format!("the option {option} (or this value of it)"))
}

fn invalid_value(option: &str) -> SfError {
    SfError::new(
        "001003",
        "42000",
        format!("SQL compilation error:\ninvalid value for {option}"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn word(w: &str) -> OptionValue {
        OptionValue::Word(w.into())
    }

    #[test]
    fn csv_options_reach_the_reader() {
        let options = vec![
            ("TYPE".to_string(), word("csv")),
            ("SKIP_HEADER".to_string(), word("1")),
            (
                "FIELD_OPTIONALLY_ENCLOSED_BY".to_string(),
                OptionValue::Text("\"".into()),
            ),
            (
                "NULL_IF".to_string(),
                OptionValue::List(vec![OptionValue::Text("NULL".into())]),
            ),
        ];
        let format = FileFormat::from_options(&options).unwrap();
        let reader = format.reader(Path::new("/s/it's.csv"));
        assert!(reader.starts_with("read_csv('/s/it''s.csv', header = false, skip = 1"));
        assert!(reader.contains("quote = '\"'"));
        assert!(reader.contains("nullstr = ['NULL', '']"));
    }

    #[test]
    fn statement_options_override_the_stage_and_unknown_ones_are_refused() {
        let stage = vec![("TYPE".to_string(), word("PARQUET"))];
        let statement = vec![("TYPE".to_string(), word("CSV"))];
        let format = FileFormat::from_layers(&stage, &statement).unwrap();
        assert_eq!(format.kind, FormatType::Csv);
        let odd = vec![("TRIM_SPACE".to_string(), word("TRUE"))];
        assert_eq!(FileFormat::from_options(&odd).unwrap_err().code, "000002");
        let json = vec![("TYPE".to_string(), word("JSON"))];
        assert_eq!(FileFormat::from_options(&json).unwrap_err().code, "000002");
    }
}
