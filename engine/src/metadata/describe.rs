//! DESCRIBE TABLE / DESCRIBE VIEW (interchangeable in Snowflake): one row per column.
//! DESCRIBE FUNCTION: one row per property of a user-defined function.

use super::catalog::{self, Filter};
use super::listing::{text, text_or_null, yes_no, Col, Listing};
use crate::commands::Describe;
use crate::error::{SfError, SfResult};
use crate::result::{Cell, QueryResult, StatementKind};
use crate::session::Session;
use crate::statements::QualifiedName;

pub(crate) fn run(session: &Session, describe: &Describe) -> SfResult<QueryResult> {
    let name = QualifiedName::resolve(session, &describe.name, "DESCRIBE")?;
    let filter = Filter::table(&name);
    let Some(relation) = catalog::relations(session, &filter)?.into_iter().next() else {
        return Err(SfError::table_not_found("Table", &name.display()));
    };
    let primary: &[String] = relation
        .notes
        .primary_key
        .as_ref()
        .map_or(&[], |k| &k.columns);
    let unique = |column: &str| {
        relation
            .notes
            .unique_keys
            .iter()
            .any(|k| k.columns.iter().any(|c| c == column))
    };
    let mut listing = Listing::new(&[
        ("name", Col::Text),
        ("type", Col::Text),
        ("kind", Col::Text),
        ("null?", Col::Text),
        ("default", Col::Text),
        ("primary key", Col::Text),
        ("unique key", Col::Text),
        ("check", Col::Text),
        ("expression", Col::Text),
        ("comment", Col::Text),
        ("policy name", Col::Text),
        ("privacy domain", Col::Text),
    ]);
    for column in catalog::columns(session, &filter)? {
        let in_primary_key = primary.contains(&column.name);
        listing.push(vec![
            text(&column.name),
            text(column.sf_type.to_string()),
            text("COLUMN"),
            yes_no(column.nullable && !in_primary_key),
            text_or_null(column.default.clone()),
            yes_no(in_primary_key),
            yes_no(unique(&column.name)),
            Cell::Null,
            Cell::Null,
            text_or_null(column.comment.clone()),
            Cell::Null,
            Cell::Null,
        ]);
    }
    Ok(listing.finish(StatementKind::Describe))
}

/// `DESC FUNCTION name(types)`: the signature, return type, language, null handling,
/// volatility and body of a SQL user-defined function.
pub(crate) fn function(
    session: &Session,
    name: &sqlparser::ast::ObjectName,
    argument_types: &[crate::types::SfType],
) -> SfResult<QueryResult> {
    let name = QualifiedName::resolve(session, name, "DESCRIBE")?;
    let types: Vec<String> = argument_types.iter().map(ToString::to_string).collect();
    let signature = crate::statements::user_functions::signature_of(session, &name, &types)?;
    let mut listing = Listing::new(&[("property", Col::Text), ("value", Col::Text)]);
    let returns = match signature.is_table() {
        true => signature.returns_display(),
        false => signature.returns.clone(),
    };
    let null_handling = match signature.strict {
        true => "RETURNS NULL ON NULL INPUT",
        false => "CALLED ON NULL INPUT",
    };
    let volatility = match signature.immutable {
        true => "IMMUTABLE",
        false => "VOLATILE",
    };
    for (property, value) in [
        ("signature", signature.argument_signature()),
        ("returns", returns),
        ("language", "SQL".to_string()),
        ("null handling", null_handling.to_string()),
        ("volatility", volatility.to_string()),
        ("body", signature.body.clone()),
    ] {
        listing.push(vec![text(property), text(value)]);
    }
    Ok(listing.finish(StatementKind::Describe))
}
