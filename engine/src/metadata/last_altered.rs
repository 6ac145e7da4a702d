//! When each table's rows last changed (INSERT, UPDATE, DELETE, MERGE, TRUNCATE, INSERT
//! OVERWRITE), for INFORMATION_SCHEMA.TABLES' LAST_ALTERED: Snowflake moves it on DML as well
//! as DDL, and dbt's metadata-based source freshness reads it. Kept in memory for the
//! account's instance (a restarted server reports creation times until the next change).

use std::collections::HashMap;
use std::sync::Mutex;

use sqlparser::ast::{FromTable, ObjectName, Statement, TableFactor, TableObject};

use crate::session::Session;
use crate::statements::QualifiedName;

#[derive(Default)]
pub(crate) struct LastAltered {
    /// Milliseconds since the epoch by (database, schema, table).
    changed_ms: Mutex<HashMap<(String, String, String), i64>>,
}

impl LastAltered {
    pub fn record(&self, table: &QualifiedName) {
        let key = (
            table.database.clone(),
            table.schema.clone(),
            table.name.clone(),
        );
        let now = chrono::Utc::now().timestamp_millis();
        self.changed_ms
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .insert(key, now);
    }

    /// The last change recorded for a table, if any.
    pub fn of(&self, database: &str, schema: &str, name: &str) -> Option<i64> {
        let key = (database.to_string(), schema.to_string(), name.to_string());
        self.changed_ms
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .get(&key)
            .copied()
    }
}

/// The table an INSERT, UPDATE, DELETE or MERGE writes, resolved in the session's context;
/// None for other statements or a target that does not resolve (the statement then fails).
pub(crate) fn dml_target(session: &Session, statement: &Statement) -> Option<QualifiedName> {
    let name: &ObjectName = match statement {
        Statement::Insert(insert) => match &insert.table {
            TableObject::TableName(name) => name,
            _ => return None,
        },
        Statement::Update(update) => table_factor_name(&update.table.relation)?,
        Statement::Delete(delete) => {
            let from = match &delete.from {
                FromTable::WithFromKeyword(from) | FromTable::WithoutKeyword(from) => from,
            };
            table_factor_name(&from.first()?.relation)?
        }
        Statement::Merge(merge) => table_factor_name(&merge.table)?,
        _ => return None,
    };
    QualifiedName::resolve(session, name, "DML").ok()
}

fn table_factor_name(factor: &TableFactor) -> Option<&ObjectName> {
    match factor {
        TableFactor::Table { name, .. } => Some(name),
        _ => None,
    }
}
