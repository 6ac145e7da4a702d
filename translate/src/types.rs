//! Snowflake's type system as Mockhaus models it, and its mapping onto DuckDB types.
//!
//! Each Snowflake type is stored in DuckDB as a base type; the Snowflake type is recovered
//! for results from DuckDB's type (and its alias, for types that share a base type).

use std::fmt;

use crate::error::{SfError, SfResult};

/// The longest VARCHAR Snowflake allows, and the length it reports for an undeclared one.
pub const MAX_TEXT_LENGTH: u32 = 16_777_216;
/// The length Snowflake reports for BINARY without a declared length.
pub const MAX_BINARY_LENGTH: u32 = 8_388_608;

/// A Snowflake data type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SfType {
    Fixed { precision: u8, scale: u8 },
    Real,
    Text { length: u32 },
    Boolean,
    Date,
    Time,
    TimestampNtz,
    TimestampLtz,
    TimestampTz,
    Binary { length: u32 },
    Variant,
    Object,
    Array,
}

impl SfType {
    pub const INTEGER: SfType = SfType::Fixed {
        precision: 38,
        scale: 0,
    };
    pub const TEXT: SfType = SfType::Text {
        length: MAX_TEXT_LENGTH,
    };

    /// Parses a Snowflake type name as written in SQL (`NUMBER(10,2)`, `string`, `TIMESTAMP_LTZ(9)`...).
    pub fn parse(written: &str) -> SfResult<SfType> {
        let cleaned = written.replace('"', "");
        let (name, args) = split_type_args(&cleaned);
        let name = name.trim().to_ascii_uppercase();
        let name = name.split_whitespace().collect::<Vec<_>>().join(" ");
        let arg = |i: usize| args.get(i).copied();
        let ty = match name.as_str() {
            "NUMBER" | "NUMERIC" | "DECIMAL" | "DEC" => SfType::Fixed {
                precision: arg(0).unwrap_or(38).clamp(1, 38) as u8,
                scale: arg(1).unwrap_or(0).min(37) as u8,
            },
            "INT" | "INTEGER" | "BIGINT" | "SMALLINT" | "TINYINT" | "BYTEINT" => SfType::INTEGER,
            "FLOAT" | "FLOAT4" | "FLOAT8" | "DOUBLE" | "DOUBLE PRECISION" | "REAL" => SfType::Real,
            "VARCHAR" | "STRING" | "TEXT" | "CHAR VARYING" | "CHARACTER VARYING" | "NVARCHAR"
            | "NVARCHAR2" | "NCHAR VARYING" => SfType::Text {
                length: arg(0)
                    .map(|n| n.clamp(1, MAX_TEXT_LENGTH as u64) as u32)
                    .unwrap_or(MAX_TEXT_LENGTH),
            },
            "CHAR" | "CHARACTER" | "NCHAR" => SfType::Text {
                length: arg(0)
                    .map(|n| n.clamp(1, MAX_TEXT_LENGTH as u64) as u32)
                    .unwrap_or(1),
            },
            "BOOLEAN" | "BOOL" => SfType::Boolean,
            "DATE" => SfType::Date,
            "TIME" => SfType::Time,
            "DATETIME"
            | "TIMESTAMP"
            | "TIMESTAMP_NTZ"
            | "TIMESTAMPNTZ"
            | "TIMESTAMP WITHOUT TIME ZONE" => SfType::TimestampNtz,
            "TIMESTAMP_LTZ" | "TIMESTAMPLTZ" | "TIMESTAMP WITH LOCAL TIME ZONE" => {
                SfType::TimestampLtz
            }
            "TIMESTAMP_TZ" | "TIMESTAMPTZ" | "TIMESTAMP WITH TIME ZONE" => SfType::TimestampTz,
            "BINARY" | "VARBINARY" => SfType::Binary {
                length: arg(0)
                    .map(|n| n.clamp(1, MAX_BINARY_LENGTH as u64) as u32)
                    .unwrap_or(MAX_BINARY_LENGTH),
            },
            "VARIANT" => SfType::Variant,
            "OBJECT" => SfType::Object,
            "ARRAY" => SfType::Array,
            _ => {
                return Err(SfError::syntax(format!(
                    "Unsupported data type '{written}'."
                )))
            }
        };
        Ok(ty)
    }

    /// The DuckDB type that stores this Snowflake type. VARIANT, OBJECT and ARRAY share
    /// DuckDB's JSON type and TIMESTAMP_TZ shares TIMESTAMPTZ, so results report them as
    /// VARIANT and TIMESTAMP_LTZ (DuckDB keeps no alias of a user type on result columns).
    pub fn duckdb_type(&self) -> String {
        match self {
            SfType::Fixed { precision, scale } => format!("DECIMAL({precision},{scale})"),
            SfType::Real => "DOUBLE".into(),
            SfType::Text { .. } => "VARCHAR".into(),
            SfType::Boolean => "BOOLEAN".into(),
            SfType::Date => "DATE".into(),
            SfType::Time => "TIME".into(),
            SfType::TimestampNtz => "TIMESTAMP".into(),
            SfType::TimestampLtz => "TIMESTAMPTZ".into(),
            SfType::TimestampTz => "TIMESTAMPTZ".into(),
            SfType::Binary { .. } => "BLOB".into(),
            SfType::Variant | SfType::Object | SfType::Array => "JSON".into(),
        }
    }

    /// The Snowflake type DuckDB's catalog name of a storage type reports (`DECIMAL(10,2)`,
    /// `VARCHAR`, `TIMESTAMP WITH TIME ZONE`...), before any declared type refines it.
    pub fn of_duckdb_name(name: &str) -> SfType {
        let upper = name.trim().to_ascii_uppercase();
        let (base, args) = split_type_args(&upper);
        match base.trim() {
            "DECIMAL" | "NUMERIC" => SfType::Fixed {
                precision: args.first().copied().unwrap_or(18).clamp(1, 38) as u8,
                scale: args.get(1).copied().unwrap_or(3).min(37) as u8,
            },
            "TINYINT" | "SMALLINT" | "INTEGER" | "BIGINT" | "HUGEINT" | "UTINYINT"
            | "USMALLINT" | "UINTEGER" | "UBIGINT" | "UHUGEINT" => SfType::INTEGER,
            "FLOAT" | "DOUBLE" | "REAL" => SfType::Real,
            "BOOLEAN" => SfType::Boolean,
            "DATE" => SfType::Date,
            "TIME" | "TIME WITH TIME ZONE" => SfType::Time,
            "TIMESTAMP" | "TIMESTAMP_S" | "TIMESTAMP_MS" | "TIMESTAMP_NS" => SfType::TimestampNtz,
            "TIMESTAMP WITH TIME ZONE" => SfType::TimestampLtz,
            "BLOB" => SfType::Binary {
                length: MAX_BINARY_LENGTH,
            },
            "JSON" => SfType::Variant,
            other if other.ends_with("[]") => SfType::Array,
            other if other.starts_with("STRUCT") || other.starts_with("MAP") => SfType::Object,
            _ => SfType::TEXT,
        }
    }

    /// The lower-case type name of the wire protocol's `rowtype`.
    pub fn wire_name(&self) -> &'static str {
        match self {
            SfType::Fixed { .. } => "fixed",
            SfType::Real => "real",
            SfType::Text { .. } => "text",
            SfType::Boolean => "boolean",
            SfType::Date => "date",
            SfType::Time => "time",
            SfType::TimestampNtz => "timestamp_ntz",
            SfType::TimestampLtz => "timestamp_ltz",
            SfType::TimestampTz => "timestamp_tz",
            SfType::Binary { .. } => "binary",
            SfType::Variant => "variant",
            SfType::Object => "object",
            SfType::Array => "array",
        }
    }

    /// (precision, scale, length, byteLength) as the wire protocol reports them.
    pub fn wire_dimensions(&self) -> (Option<u32>, Option<u32>, Option<u32>, Option<u32>) {
        match *self {
            SfType::Fixed { precision, scale } => {
                (Some(precision.into()), Some(scale.into()), None, None)
            }
            SfType::Text { length } => (
                None,
                None,
                Some(length),
                Some(length.saturating_mul(4).min(MAX_TEXT_LENGTH)),
            ),
            SfType::Binary { length } => (None, None, Some(length), Some(length)),
            SfType::Time | SfType::TimestampNtz | SfType::TimestampLtz | SfType::TimestampTz => {
                (Some(0), Some(9), None, None)
            }
            _ => (None, None, None, None),
        }
    }

    pub fn is_semi_structured(&self) -> bool {
        matches!(self, SfType::Variant | SfType::Object | SfType::Array)
    }
}

/// Snowflake's own spelling of the type, as DESCRIBE and SHOW print it.
impl fmt::Display for SfType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SfType::Fixed { precision, scale } => write!(f, "NUMBER({precision},{scale})"),
            SfType::Real => f.write_str("FLOAT"),
            SfType::Text { length } => write!(f, "VARCHAR({length})"),
            SfType::Boolean => f.write_str("BOOLEAN"),
            SfType::Date => f.write_str("DATE"),
            SfType::Time => f.write_str("TIME(9)"),
            SfType::TimestampNtz => f.write_str("TIMESTAMP_NTZ(9)"),
            SfType::TimestampLtz => f.write_str("TIMESTAMP_LTZ(9)"),
            SfType::TimestampTz => f.write_str("TIMESTAMP_TZ(9)"),
            SfType::Binary { length } => write!(f, "BINARY({length})"),
            SfType::Variant => f.write_str("VARIANT"),
            SfType::Object => f.write_str("OBJECT"),
            SfType::Array => f.write_str("ARRAY"),
        }
    }
}

/// Splits `NAME(a, b)` into the name and its numeric arguments; non-numeric arguments are ignored.
fn split_type_args(written: &str) -> (&str, Vec<u64>) {
    match written.find('(') {
        None => (written, Vec::new()),
        Some(open) => {
            let inner = written[open + 1..].trim_end().trim_end_matches(')');
            let args = inner
                .split(',')
                .filter_map(|a| a.trim().parse::<u64>().ok())
                .collect();
            (&written[..open], args)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_aliases_the_way_snowflake_does() {
        assert_eq!(SfType::parse("int").unwrap(), SfType::INTEGER);
        assert_eq!(
            SfType::parse("NUMBER(10, 2)").unwrap(),
            SfType::Fixed {
                precision: 10,
                scale: 2
            }
        );
        assert_eq!(SfType::parse("number").unwrap(), SfType::INTEGER);
        assert_eq!(SfType::parse("string").unwrap(), SfType::TEXT);
        assert_eq!(
            SfType::parse("varchar(20)").unwrap(),
            SfType::Text { length: 20 }
        );
        assert_eq!(SfType::parse("double precision").unwrap(), SfType::Real);
        assert_eq!(SfType::parse("timestamp").unwrap(), SfType::TimestampNtz);
        assert_eq!(
            SfType::parse("\"TIMESTAMP_TZ\"(9)").unwrap(),
            SfType::TimestampTz
        );
        assert_eq!(SfType::parse("variant").unwrap(), SfType::Variant);
        assert!(SfType::parse("geography_x").is_err());
    }

    #[test]
    fn prints_snowflake_names() {
        assert_eq!(SfType::INTEGER.to_string(), "NUMBER(38,0)");
        assert_eq!(SfType::TEXT.to_string(), "VARCHAR(16777216)");
        assert_eq!(SfType::TimestampNtz.to_string(), "TIMESTAMP_NTZ(9)");
    }
}
