//! The session's TIMEZONE inside the engine. Snowflake reads a TIMESTAMP_LTZ's date parts,
//! truncations and DATE / TIMESTAMP_NTZ casts on its wall clock in the session's time zone,
//! and reads a wall clock (a TIMESTAMP_NTZ, a date, text without a UTC offset) made a
//! TIMESTAMP_LTZ in that zone. The rest of the rewrite is zone-free: it emits
//! `mockhaus_wall_clock` / `mockhaus_rezoned` (UTC when they get no zone) and DuckDB casts,
//! whose core forms are UTC. In a session whose zone is not UTC this pass, run last, gives
//! each of them the zone, the way ICU's `TimeZone` setting would:
//! - `mockhaus_wall_clock(x)` and `mockhaus_rezoned(r, x)` take the zone as a last argument
//!   (the zone `x` is fixed in when it is `mockhaus_in_zone(instant, zone)`, which the
//!   two-argument CONVERT_TIMEZONE to UTC gives: a TIMESTAMP_TZ at +00:00);
//! - a cast to TIMESTAMP of a value that may be a TIMESTAMPTZ reads its wall clock there;
//! - a cast to TIMESTAMPTZ becomes `mockhaus_zoned(x, zone)` (`mockhaus_try_zoned` for
//!   TRY_CAST), which reads wall clocks, dates and offset-free text in the zone — except the
//!   cast of `make_timestamp(microseconds)`, an epoch, which already names an instant;
//! - text, a DATE or a TIMESTAMP_NTZ compared with a TIMESTAMP_LTZ column names the instant
//!   its wall clock shows in the zone (see `compare_as_instants`);
//! - a cast of a TIMESTAMP_LTZ to text (`::VARCHAR`, TO_VARCHAR, the operands of `||` and
//!   CONCAT) shows its wall clock in the zone and the zone's offset (`zoned_text`).
//!
//! DuckDB's other implicit casts are not reached: text or a TIMESTAMP_NTZ compared with a
//! TIMESTAMP_LTZ expression, or inserted by INSERT ... SELECT, is still read as UTC.

use std::ops::ControlFlow;

use sqlparser::ast::{
    BinaryOperator, CastKind, DataType, Expr, Function, FunctionArg, FunctionArgExpr,
    FunctionArguments, Statement, TimezoneInfo, VisitMut, VisitorMut,
};

use super::functions::{function_name, wall_clock};
use super::text_arguments::is_text_type;
use super::{parse_expr, ColumnTypes};
use crate::error::{SfError, SfResult};
use crate::types::SfType;

/// Whether `zone` (a TIMEZONE value) leaves the rewrite's UTC forms as they are.
pub fn is_utc(zone: &str) -> bool {
    ["UTC", "Etc/UTC"]
        .iter()
        .any(|utc| zone.eq_ignore_ascii_case(utc))
}

/// Gives every zone-dependent expression of `statement` the session's `zone`; `columns` are
/// the column types of its tables (for comparisons with TIMESTAMP_LTZ columns).
pub(super) fn apply(statement: &mut Statement, zone: &str, columns: &ColumnTypes) -> SfResult<()> {
    let mut pass = ZonePass {
        zone: zone.to_string(),
        literal: format!("'{}'", zone.replace('\'', "''")),
        columns,
        error: None,
    };
    let _ = statement.visit(&mut pass);
    pass.error.map_or(Ok(()), Err)
}

struct ZonePass<'a> {
    zone: String,
    /// The zone as a SQL string literal.
    literal: String,
    columns: &'a ColumnTypes,
    error: Option<SfError>,
}

impl VisitorMut for ZonePass<'_> {
    type Break = ();

    fn post_visit_expr(&mut self, expr: &mut Expr) -> ControlFlow<()> {
        match self.zoned(expr) {
            Ok(Some(replacement)) => {
                *expr = replacement;
                ControlFlow::Continue(())
            }
            Ok(None) => ControlFlow::Continue(()),
            Err(err) => {
                self.error = Some(err);
                ControlFlow::Break(())
            }
        }
    }
}

impl ZonePass<'_> {
    /// The expression in the session's zone, if it depends on one.
    fn zoned(&self, expr: &mut Expr) -> SfResult<Option<Expr>> {
        match expr {
            Expr::BinaryOp { left, op, right } if is_comparison(op) => {
                self.compare_as_instants(left, right)?;
                self.compare_as_instants(right, left)?;
                Ok(None)
            }
            Expr::Between {
                expr: value,
                low,
                high,
                ..
            } => {
                self.compare_as_instants(value, low)?;
                self.compare_as_instants(value, high)?;
                Ok(None)
            }
            Expr::Function(func) => {
                self.add_zone_argument(func);
                Ok(None)
            }
            Expr::Cast {
                kind,
                expr: inner,
                data_type,
                format: None,
            } => match timestamp_kind(data_type) {
                Some(Timestamp::ZoneFree)
                    if wall_clock::may_be_zoned(inner)
                        && !wall_clock::is_call(inner, wall_clock::WALL_CLOCK) =>
                {
                    let wall = format!(
                        "{}({inner}, {})",
                        wall_clock::WALL_CLOCK,
                        self.zone_of(inner)
                    );
                    **inner = parse_expr(&wall)?;
                    Ok(None)
                }
                Some(Timestamp::Zoned) if !is_epoch(inner) => {
                    let function = match kind {
                        CastKind::TryCast | CastKind::SafeCast => "mockhaus_try_zoned",
                        _ => "mockhaus_zoned",
                    };
                    parse_expr(&format!("{function}({inner}, {})", self.literal)).map(Some)
                }
                None if is_text_type(data_type) && wall_clock::may_be_zoned(inner) => {
                    self.zoned_text(inner, data_type).map(Some)
                }
                _ => Ok(None),
            },
            _ => Ok(None),
        }
    }

    /// DuckDB compares a TIMESTAMPTZ with text, a DATE or a TIMESTAMP by casting the other
    /// side as UTC; Snowflake reads it in the session's zone. When `zoned` is a TIMESTAMP_LTZ
    /// / TZ column and `other` a string literal or a cast to DATE or TIMESTAMP (CURRENT_DATE
    /// among them), `other` becomes the instant it names in the zone. Other expressions'
    /// types are not known here.
    fn compare_as_instants(&self, zoned: &Expr, other: &mut Expr) -> SfResult<()> {
        let zoned_column = matches!(
            super::column_type(zoned, self.columns),
            Some(SfType::TimestampLtz | SfType::TimestampTz)
        );
        let wall_clock = super::is_string_literal(other)
            || matches!(other, Expr::Cast { data_type, .. }
                if timestamp_kind(data_type) == Some(Timestamp::ZoneFree)
                    || matches!(data_type, DataType::Date));
        if zoned_column && wall_clock {
            *other = parse_expr(&format!("mockhaus_zoned({other}, {})", self.literal))?;
        }
        Ok(())
    }

    /// The zone (a SQL literal) `value`'s wall clock is read in: the one it is fixed in
    /// (`mockhaus_in_zone`), if any, else the session's.
    fn zone_of(&self, value: &Expr) -> String {
        fixed_zone(value).map_or_else(|| self.literal.clone(), |z| z.to_string())
    }

    /// A TIMESTAMP_LTZ made text shows its wall clock in the zone and the zone's offset
    /// (`2024-01-01 16:00:00.000 -0800`); DuckDB's cast would write UTC. Whether the value is
    /// one is known when DuckDB plans the query, which drops the branch that does not apply
    /// (`mockhaus_as_instant` binds for every type).
    fn zoned_text(&self, inner: &Expr, data_type: &DataType) -> SfResult<Expr> {
        let zone = self.zone_of(inner);
        parse_expr(&format!(
            "(CASE WHEN typeof({inner}) = 'TIMESTAMP WITH TIME ZONE' \
             THEN CAST(mockhaus_zoned_text(mockhaus_as_instant({inner}), {zone}) AS {data_type}) \
             ELSE CAST({inner} AS {data_type}) END)"
        ))
    }

    /// `mockhaus_wall_clock(x)` → `(x, zone)`, `mockhaus_rezoned(r, x)` → `(r, x, zone)`; the
    /// zone is the one `x` is fixed in (`mockhaus_in_zone`), if any, else the session's.
    fn add_zone_argument(&self, func: &mut Function) {
        let zone_free_arity = match function_name(func).to_ascii_lowercase().as_str() {
            wall_clock::WALL_CLOCK => 1,
            wall_clock::REZONED => 2,
            _ => return,
        };
        let FunctionArguments::List(list) = &mut func.args else {
            return;
        };
        if list.args.len() != zone_free_arity {
            return;
        }
        let fixed = match list.args.last() {
            Some(FunctionArg::Unnamed(FunctionArgExpr::Expr(value))) => fixed_zone(value),
            _ => None,
        };
        let zone = fixed.unwrap_or_else(|| {
            Expr::Value(sqlparser::ast::Value::SingleQuotedString(self.zone.clone()).into())
        });
        list.args
            .push(FunctionArg::Unnamed(FunctionArgExpr::Expr(zone)));
    }
}

fn is_comparison(op: &BinaryOperator) -> bool {
    matches!(
        op,
        BinaryOperator::Eq
            | BinaryOperator::NotEq
            | BinaryOperator::Lt
            | BinaryOperator::LtEq
            | BinaryOperator::Gt
            | BinaryOperator::GtEq
    )
}

/// DuckDB's two timestamp types.
#[derive(PartialEq)]
enum Timestamp {
    /// TIMESTAMPTZ: an instant.
    Zoned,
    /// TIMESTAMP: a wall clock.
    ZoneFree,
}

/// The timestamp type a cast makes, if it makes one.
fn timestamp_kind(data_type: &DataType) -> Option<Timestamp> {
    match data_type {
        DataType::Timestamp(_, TimezoneInfo::Tz | TimezoneInfo::WithTimeZone) => {
            Some(Timestamp::Zoned)
        }
        DataType::Timestamp(_, TimezoneInfo::None | TimezoneInfo::WithoutTimeZone)
        | DataType::TimestampNtz(_)
        | DataType::Datetime(_) => Some(Timestamp::ZoneFree),
        DataType::Custom(name, _) if name.to_string().eq_ignore_ascii_case("TIMESTAMPTZ") => {
            Some(Timestamp::Zoned)
        }
        _ => None,
    }
}

/// The zone (a string literal) `mockhaus_in_zone(instant, zone)` fixes.
fn fixed_zone(expr: &Expr) -> Option<Expr> {
    let Expr::Function(f) = expr else {
        return None;
    };
    if !function_name(f).eq_ignore_ascii_case(wall_clock::IN_ZONE) {
        return None;
    }
    match &f.args {
        FunctionArguments::List(list) => match list.args.as_slice() {
            [_, FunctionArg::Unnamed(FunctionArgExpr::Expr(zone @ Expr::Value(_)))] => {
                Some(zone.clone())
            }
            _ => None,
        },
        _ => None,
    }
}

/// `make_timestamp(microseconds)`: microseconds since the epoch, in UTC by definition.
fn is_epoch(expr: &Expr) -> bool {
    match expr {
        Expr::Function(f) => {
            function_name(f).eq_ignore_ascii_case("make_timestamp")
                && matches!(&f.args, FunctionArguments::List(list) if list.args.len() == 1)
        }
        Expr::Nested(inner) => is_epoch(inner),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use crate::rewrite::{parse, rewrite, FunctionContext};

    fn translate_in(zone: Option<&'static str>, sql: &str) -> String {
        let ctx = FunctionContext {
            time_zone: zone,
            ..FunctionContext::standalone("ACME", "U", Some("DB"), Some("PUBLIC"))
        };
        let mut statement = parse(sql).unwrap().remove(0);
        rewrite(&mut statement, sql, &ctx).unwrap();
        statement.to_string()
    }

    #[test]
    fn utc_sessions_keep_the_zone_free_forms() {
        let sql = "select hour(ts), ts::timestamp_ntz, '2024-01-01 10:00'::timestamp_ltz from t";
        let unset = translate_in(None, sql);
        assert_eq!(translate_in(Some("utc"), sql), unset);
        assert_eq!(translate_in(Some("Etc/UTC"), sql), unset);
        assert!(unset.contains("mockhaus_wall_clock(\"TS\")"), "{unset}");
        assert!(!unset.contains("zoned"), "{unset}");
    }

    #[test]
    fn other_zones_reach_every_zone_dependent_expression() {
        let zone = Some("America/Los_Angeles");
        let sql = translate_in(zone, "select hour(ts), date_trunc('day', ts) from t");
        assert!(
            sql.contains("mockhaus_wall_clock(\"TS\", 'America/Los_Angeles')"),
            "{sql}"
        );
        assert!(
            sql.contains(", \"TS\", 'America/Los_Angeles')"),
            "the truncation is given its zone back in the session's zone: {sql}"
        );
        let sql = translate_in(zone, "select ts::timestamp_ntz, d::timestamp_ltz from t");
        assert!(
            sql.contains("CAST(mockhaus_wall_clock(\"TS\", 'America/Los_Angeles') AS TIMESTAMP)"),
            "{sql}"
        );
        assert!(
            sql.contains("mockhaus_zoned(\"D\", 'America/Los_Angeles')"),
            "{sql}"
        );
        let sql = translate_in(zone, "select try_cast(s as timestamp_ltz) from t");
        assert!(sql.contains("mockhaus_try_zoned("), "{sql}");
    }

    #[test]
    fn epochs_and_literals_of_zone_free_types_are_not_read_in_the_zone() {
        let zone = Some("Asia/Kolkata");
        let sql = translate_in(zone, "select to_timestamp_ltz(0), '2024-01-01'::date");
        assert!(!sql.contains("zoned"), "{sql}");
        assert!(!sql.contains("wall_clock"), "{sql}");
    }

    #[test]
    fn text_compared_with_a_zoned_column_is_read_in_the_zone() {
        let mut columns = crate::rewrite::ColumnTypes::new();
        columns.insert("TS".into(), crate::types::SfType::TimestampLtz);
        columns.insert("N".into(), crate::types::SfType::TEXT);
        let ctx = FunctionContext {
            time_zone: Some("Asia/Kolkata"),
            column_types: &columns,
            ..FunctionContext::standalone("ACME", "U", Some("DB"), Some("PUBLIC"))
        };
        let sql = "select * from t where ts >= '2024-01-01' and '2024-02-01' > ts and n = 'x'";
        let mut statement = parse(sql).unwrap().remove(0);
        rewrite(&mut statement, sql, &ctx).unwrap();
        let sql = statement.to_string();
        assert!(
            sql.contains("\"TS\" >= mockhaus_zoned('2024-01-01', 'Asia/Kolkata')"),
            "{sql}"
        );
        assert!(
            sql.contains("mockhaus_zoned('2024-02-01', 'Asia/Kolkata') > \"TS\""),
            "{sql}"
        );
        assert!(sql.contains("\"N\" = 'x'"), "{sql}");
    }

    #[test]
    fn a_quote_in_the_zone_name_stays_inside_its_literal() {
        let sql = translate_in(Some("x'y"), "select hour(ts) from t");
        assert!(sql.contains("'x''y'"), "{sql}");
    }
}
