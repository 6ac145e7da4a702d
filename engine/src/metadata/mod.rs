//! Snowflake's metadata surfaces over the DuckDB catalog: SHOW, DESCRIBE TABLE / VIEW and
//! INFORMATION_SCHEMA. `catalog` reads what exists; `notes` keeps what DuckDB cannot (keys,
//! table kinds, creation times); `show`, `describe` and `information_schema` shape it the
//! way Snowflake prints it.

pub(crate) mod catalog;
pub(crate) mod ddl;
mod describe;
pub(crate) mod information_schema;
pub(crate) mod last_altered;
mod listing;
pub(crate) mod notes;
mod show;
mod show_account;

use crate::commands::Command;
use crate::error::SfResult;
use crate::result::QueryResult;
use crate::session::Session;
use crate::types::SfType;

/// The owner SHOW and INFORMATION_SCHEMA report: every object belongs to the role that runs
/// everything here.
const OWNER: &str = "ACCOUNTADMIN";

/// An object's creation time, or the account's when the object's own is not recorded
/// (databases, schemas).
fn created_on(session: &Session, notes_ms: Option<i64>) -> crate::result::Cell {
    listing::timestamp_ms(notes_ms.unwrap_or(session.shared.created_on_ms))
}

/// Hidden sequences behind AUTOINCREMENT / IDENTITY columns start with this.
pub(crate) const IDENTITY_SEQUENCE_PREFIX: &str = "__MOCKHAUS_IDENTITY__";

/// Runs a SHOW or DESCRIBE command.
pub(crate) fn run(session: &Session, command: &Command) -> SfResult<QueryResult> {
    match command {
        Command::Show(show) => show::run(session, show),
        Command::Describe(describe) => describe::run(session, describe),
        Command::DescribeFunction {
            name,
            argument_types,
        } => describe::function(session, name, argument_types),
        Command::Unset(_)
        | Command::CreateSequence(_)
        | Command::CreateFunction(_)
        | Command::AlterTable(_)
        | Command::Stage(_) => Err(crate::error::SfError::internal("not a metadata command")),
    }
}

/// SHOW COLUMNS' `data_type`: the type as a JSON object, keys in Snowflake's order.
fn data_type_json(sf_type: SfType, nullable: bool) -> String {
    let body = match sf_type {
        SfType::Fixed { precision, scale } => {
            format!(r#""type":"FIXED","precision":{precision},"scale":{scale}"#)
        }
        SfType::Text { length } => {
            let bytes = length.saturating_mul(4).min(crate::types::MAX_TEXT_LENGTH);
            return format!(
                r#"{{"type":"TEXT","length":{length},"byteLength":{bytes},"nullable":{nullable},"fixed":false}}"#
            );
        }
        SfType::Binary { length } => {
            return format!(
                r#"{{"type":"BINARY","length":{length},"byteLength":{length},"nullable":{nullable},"fixed":true}}"#
            );
        }
        SfType::Time | SfType::TimestampNtz | SfType::TimestampLtz | SfType::TimestampTz => {
            format!(
                r#""type":"{}","precision":0,"scale":9"#,
                sf_type.wire_name().to_uppercase()
            )
        }
        other => format!(r#""type":"{}""#, other.wire_name().to_uppercase()),
    };
    format!(r#"{{{body},"nullable":{nullable}}}"#)
}
