//! Snowflake functions → DuckDB expressions.
//!
//! Every function call is resolved here: a Snowflake function Mockhaus emulates becomes the
//! equivalent DuckDB expression; any other name is Snowflake's "Unknown function" (002140),
//! which also keeps DuckDB-only functions (file readers, settings, extensions) out of reach.

use sqlparser::ast::{Expr, Function, FunctionArg, FunctionArgExpr, FunctionArguments};

use super::dates::{date_part, DatePart};
use super::parse_expr;
use crate::error::{SfError, SfResult};
use crate::query_history::{read_history, SharedQueryHistory, NO_QUERY_HISTORY};
pub use user::{UserFunction, UserFunctions};

/// What the session contributes to function results that depend on it.
pub struct FunctionContext<'a> {
    pub current_database: Option<&'a str>,
    pub current_schema: Option<&'a str>,
    pub current_warehouse: Option<&'a str>,
    pub current_role: &'a str,
    pub current_user: &'a str,
    pub account: &'a str,
    /// The session's variables, for `$name`.
    pub variables: &'a super::variables::Variables,
    /// Column types of the statement's tables (`super::NO_COLUMNS` when unknown).
    pub column_types: &'a super::ColumnTypes,
    /// CURRENT_SESSION().
    pub session_id: i64,
    /// The session's earlier queries, for LAST_QUERY_ID().
    pub query_history: &'a SharedQueryHistory,
    /// The session's TIMEZONE parameter (None: not set, UTC); see `session_zone`.
    pub time_zone: Option<&'a str>,
    /// The account's user-defined functions, for calls of names that are not built in.
    pub user_functions: &'a dyn UserFunctions,
}

/// No session variables.
static NO_VARIABLES: super::variables::Variables = super::variables::Variables::new();

impl FunctionContext<'static> {
    /// A context with no session behind it (tests, benchmarks, the fuzzer): no variables, no
    /// column types, no earlier queries, role ACCOUNTADMIN.
    pub fn standalone(
        account: &'static str,
        user: &'static str,
        database: Option<&'static str>,
        schema: Option<&'static str>,
    ) -> Self {
        Self {
            current_database: database,
            current_schema: schema,
            current_warehouse: None,
            current_role: "ACCOUNTADMIN",
            current_user: user,
            account,
            variables: &NO_VARIABLES,
            column_types: &super::NO_COLUMNS,
            session_id: 0,
            query_history: &NO_QUERY_HISTORY,
            time_zone: None,
            user_functions: &user::NoUserFunctions,
        }
    }
}

mod conversion;
mod higher_order;
mod library;
mod numeric_formats;

/// INITCAP's delimiters when none are given: whitespace and this punctuation.
pub const INITCAP_DELIMITERS: &str = " \t\n\r\x0b\x0c!?@\"^#$&~_,.:;+-*%/|\\[](){}<>";
mod semi_structured;
pub mod user;
pub(crate) mod wall_clock;
mod windows;

/// How a Snowflake function maps onto DuckDB.
enum Mapping {
    /// Same name and semantics in DuckDB (possibly under another name).
    Rename(&'static str),
    /// A SQL template over the arguments `{0}`, `{1}`...; `{*}` is all arguments.
    Template {
        min: usize,
        max: usize,
        sql: &'static str,
    },
    /// SQL built by a function of the (already rewritten) argument texts, for optional
    /// arguments and variadic forms a template cannot spell.
    Build {
        min: usize,
        max: usize,
        build: fn(&[String]) -> String,
    },
    /// A template composed when the name is looked up (several names sharing one shape).
    Owned { min: usize, max: usize, sql: String },
    /// Needs code.
    Special,
}

fn mapping(name: &str) -> Option<Mapping> {
    use Mapping::*;
    let m = match name {
        // Aggregates and windows with DuckDB twins.
        "COUNT" | "SUM" | "AVG" | "MIN" | "MAX" | "STDDEV" | "STDDEV_SAMP" | "STDDEV_POP"
        | "VARIANCE" | "VAR_SAMP" | "VAR_POP" | "MODE" | "ANY_VALUE" | "ROW_NUMBER" | "RANK"
        | "DENSE_RANK" | "PERCENT_RANK" | "CUME_DIST" | "NTILE" | "LAG" | "LEAD"
        | "FIRST_VALUE" | "LAST_VALUE" | "NTH_VALUE" | "CORR" | "COVAR_POP" | "COVAR_SAMP" => {
            Rename("")
        }
        "LISTAGG" => Rename("string_agg"),
        // DuckDB interpolates at the input's scale (the median of 1 and 2 as NUMBER(38,0)
        // would be 1); in DOUBLE the value is right, reported as FLOAT rather than NUMBER.
        "MEDIAN" => Template {
            min: 1,
            max: 1,
            sql: "median(CAST({0} AS DOUBLE))",
        },
        // TABLE(GENERATOR(...)) is replaced whole after the rewrite (see `clauses.rs`).
        "GENERATOR" => Rename(""),
        // Row numbers of a generated (or any) row set, from 0.
        "SEQ1" | "SEQ2" | "SEQ4" | "SEQ8" => Template {
            min: 0,
            max: 1,
            sql: "(row_number() OVER () - 1)",
        },
        "COUNT_IF" => Rename("count_if"),
        "BOOLAND_AGG" => Rename("bool_and"),
        "BOOLOR_AGG" => Rename("bool_or"),
        // Numeric.
        "ABS" | "CEIL" | "CEILING" | "FLOOR" | "ROUND" | "SIGN" | "SQRT" | "EXP" | "LN"
        | "POWER" | "POW" | "SIN" | "COS" | "TAN" | "ASIN" | "ACOS" | "ATAN" | "ATAN2"
        | "DEGREES" | "RADIANS" | "PI" | "CBRT" => Rename(""),
        "RANDOM" | "UNIFORM" => Special,
        "MOD" => Template {
            min: 2,
            max: 2,
            sql: "({0} % {1})",
        },
        "SQUARE" => Template {
            min: 1,
            max: 1,
            sql: "({0} * {0})",
        },
        "LOG" => Template {
            min: 2,
            max: 2,
            sql: "(ln({1}) / ln({0}))",
        },
        "TRUNC" | "TRUNCATE" => Special,
        // Strings.
        "UPPER" | "LOWER" | "LTRIM" | "RTRIM" | "TRIM" | "REVERSE" | "REPEAT" | "LEFT"
        | "RIGHT" | "LPAD" | "RPAD" | "SUBSTR" | "SUBSTRING" | "ASCII" | "CHR" | "SPLIT_PART"
        | "MD5" | "CONTAINS" => Rename(""),
        // REPLACE(subject, pattern [, replacement]): the replacement defaults to ''.
        "REPLACE" => Build {
            min: 2,
            max: 3,
            build: |a| {
                let replacement = a.get(2).map_or("''", String::as_str);
                format!("replace({}, {}, {replacement})", a[0], a[1])
            },
        },
        "LENGTH" | "LEN" | "CHAR_LENGTH" | "CHARACTER_LENGTH" => Rename("length"),
        "STARTSWITH" => Rename("starts_with"),
        "ENDSWITH" => Rename("ends_with"),
        "CONCAT" => Special,
        // Rewritten before the lookup (`semi_structured_aggregate`, `windows.rs`).
        "ARRAY_AGG"
        | "OBJECT_AGG"
        | "RATIO_TO_REPORT"
        | "CONDITIONAL_TRUE_EVENT"
        | "CONDITIONAL_CHANGE_EVENT" => Special,
        // Conditional.
        "COALESCE" | "NULLIF" => Rename(""),
        "IFF" => Template {
            min: 3,
            max: 3,
            sql: "(CASE WHEN {0} THEN {1} ELSE {2} END)",
        },
        "NVL" | "IFNULL" => Template {
            min: 2,
            max: 2,
            sql: "coalesce({0}, {1})",
        },
        "NVL2" => Template {
            min: 3,
            max: 3,
            sql: "(CASE WHEN {0} IS NOT NULL THEN {1} ELSE {2} END)",
        },
        "ZEROIFNULL" => Template {
            min: 1,
            max: 1,
            sql: "coalesce({0}, 0)",
        },
        "NULLIFZERO" => Template {
            min: 1,
            max: 1,
            sql: "nullif({0}, 0)",
        },
        "DIV0" => Template {
            min: 2,
            max: 2,
            sql: "(CASE WHEN {1} = 0 THEN 0 ELSE {0} / {1} END)",
        },
        "DECODE" => Special,
        // Higher-order functions over arrays, with a lambda argument.
        "FILTER" | "TRANSFORM" | "REDUCE" => Special,
        // Context.
        // The engine replaces GET_DDL calls with constant arguments by the DDL text before
        // the rewrite; any call left is one it could not evaluate.
        "GET_DDL" | "CONVERT_TIMEZONE" => Special,
        "CURRENT_DATABASE"
        | "CURRENT_SCHEMA"
        | "CURRENT_WAREHOUSE"
        | "CURRENT_ROLE"
        | "CURRENT_USER"
        | "CURRENT_ACCOUNT"
        | "CURRENT_ACCOUNT_NAME"
        | "CURRENT_VERSION"
        | "CURRENT_SESSION"
        | "CURRENT_REGION"
        | "LAST_QUERY_ID" => Special,
        // Date and time.
        "CURRENT_DATE" => Template {
            min: 0,
            max: 0,
            sql: "CAST(CAST(now() AS TIMESTAMP) AS DATE)",
        },
        "CURRENT_TIMESTAMP" | "GETDATE" | "LOCALTIMESTAMP" => Template {
            min: 0,
            max: 1,
            sql: "CAST(now() AS TIMESTAMPTZ)",
        },
        // The current time as a TIMESTAMP_NTZ in UTC, whatever the session's zone.
        "SYSDATE" => Template {
            min: 0,
            max: 0,
            sql: "mockhaus_wall_clock(now(), 'UTC')",
        },
        "CURRENT_TIME" | "LOCALTIME" => Template {
            min: 0,
            max: 1,
            sql: "CAST(CAST(now() AS TIMESTAMP) AS TIME)",
        },
        "DATEADD" | "TIMESTAMPADD" | "TIMEADD" | "DATEDIFF" | "TIMESTAMPDIFF" | "TIMEDIFF"
        | "DATE_TRUNC" | "DATE_PART" | "ADD_MONTHS" => Special,
        "YEAR" | "MONTH" | "DAY" | "HOUR" | "MINUTE" | "SECOND" | "QUARTER" => Rename(""),
        "DAYOFMONTH" => Rename("day"),
        "DAYOFYEAR" => Rename("dayofyear"),
        "WEEK" | "WEEKOFYEAR" => Rename("week"),
        // LAST_DAY(date [, part]): the last day of its month, or of its year, quarter or week
        // (weeks end on Sunday with Snowflake's default WEEK_START).
        "LAST_DAY" => Build {
            min: 1,
            max: 2,
            build: last_day,
        },
        // Conversion.
        "TO_DATE" | "DATE" | "TO_TIMESTAMP" | "TO_TIMESTAMP_NTZ" | "TO_TIME" | "TIME" => Special,
        "TO_TIMESTAMP_LTZ" | "TO_TIMESTAMP_TZ" => Special,
        // A random (version 4) UUID; the two-argument (version 5) form is not emulated.
        "UUID_STRING" => Template {
            min: 0,
            max: 0,
            sql: "CAST(uuid() AS VARCHAR)",
        },
        "TO_CHAR" | "TO_VARCHAR" => Special,
        "TO_NUMBER" | "TO_DECIMAL" | "TO_NUMERIC" => Special,
        "TRY_TO_NUMBER" | "TRY_TO_DECIMAL" | "TRY_TO_NUMERIC" => Special,
        "TO_DOUBLE" => Template {
            min: 1,
            max: 1,
            sql: "CAST({0} AS DOUBLE)",
        },
        "TO_BINARY" => Template {
            min: 1,
            max: 2,
            sql: "unhex({0})",
        },
        "HEX_ENCODE" => Template {
            min: 1,
            max: 1,
            sql: "upper(hex({0}))",
        },
        "TO_BOOLEAN" => Template {
            min: 1,
            max: 1,
            sql: "CAST({0} AS BOOLEAN)",
        },
        // Semi-structured.
        "PARSE_JSON" => Template {
            min: 1,
            max: 1,
            sql: "json(nullif({0}, ''))",
        },
        "TO_VARIANT" => Template {
            min: 1,
            max: 1,
            sql: "to_json({0})",
        },
        _ => return library::mapping(name),
    };
    Some(m)
}

/// Rewrites one function call; `Ok(None)` leaves it as it is.
pub fn rewrite(func: &mut Function, ctx: &FunctionContext<'_>) -> SfResult<Option<Expr>> {
    let name = function_name(func);
    if name == "PERCENTILE_CONT" {
        interpolate_in_double(func);
    }
    if name == "LISTAGG" {
        // Snowflake's LISTAGG of no non-NULL values is '', DuckDB's string_agg is NULL.
        order_inside(func);
        func.name =
            sqlparser::ast::ObjectName::from(vec![sqlparser::ast::Ident::new("string_agg")]);
        return Ok(Some(parse_expr(&format!("coalesce({func}, '')"))?));
    }
    if name == "ARRAY_AGG" || name == "OBJECT_AGG" {
        return semi_structured_aggregate(&name, func).map(Some);
    }
    if windows::is_emulated_window(&name) {
        return windows::rewrite(&name, func).map(Some);
    }
    // A qualified name is never a built-in function.
    let mapping = match func.name.0.len() {
        1 => mapping(&name),
        _ => None,
    };
    let Some(mapping) = mapping else {
        user::call_scalar(func, ctx)?;
        return Ok(None);
    };
    let zone_source = wall_clock::wrap_arguments(&name, func, ctx.column_types)?;
    let rewritten = rewrite_mapped(&name, mapping, func, ctx)?;
    match (zone_source, rewritten) {
        (Some(source), Some(result)) => Ok(Some(wall_clock::rezoned(&result, &source)?)),
        (Some(source), None) => Ok(Some(wall_clock::rezoned(
            &Expr::Function(func.clone()),
            &source,
        )?)),
        (None, rewritten) => Ok(rewritten),
    }
}

fn rewrite_mapped(
    name: &str,
    mapping: Mapping,
    func: &mut Function,
    ctx: &FunctionContext<'_>,
) -> SfResult<Option<Expr>> {
    match mapping {
        Mapping::Rename(target) => {
            if !target.is_empty() {
                func.name =
                    sqlparser::ast::ObjectName::from(vec![sqlparser::ast::Ident::new(target)]);
            }
            Ok(None)
        }
        Mapping::Template { min, max, sql } => {
            let args = plain_args(func, name)?;
            check_arity(name, args.len(), min, max)?;
            Ok(Some(parse_expr(&fill(sql, &args))?))
        }
        Mapping::Owned { min, max, sql } => {
            let args = plain_args(func, name)?;
            check_arity(name, args.len(), min, max)?;
            Ok(Some(parse_expr(&fill(&sql, &args))?))
        }
        Mapping::Build { min, max, build } => {
            let args = plain_args(func, name)?;
            check_arity(name, args.len(), min, max)?;
            Ok(Some(parse_expr(&build(&args))?))
        }
        Mapping::Special => special(name, func, ctx).map(Some),
    }
}

fn special(name: &str, func: &Function, ctx: &FunctionContext<'_>) -> SfResult<Expr> {
    let args = plain_args(func, name)?;
    let sql = match name {
        "CONCAT" => {
            check_arity(name, args.len(), 1, usize::MAX)?;
            // Snowflake's CONCAT is NULL when any argument is; DuckDB's skips NULLs, `||` does not.
            format!(
                "CAST(({}) AS VARCHAR)",
                args.iter()
                    .map(|a| format!("CAST({a} AS VARCHAR)"))
                    .collect::<Vec<_>>()
                    .join(" || ")
            )
        }
        "DECODE" => decode(&args)?,
        "FILTER" | "TRANSFORM" | "REDUCE" => {
            return higher_order::higher_order(name, func, &args);
        }
        "GET_DDL" => {
            return Err(SfError::unsupported(
                "GET_DDL with arguments other than constant strings",
            ))
        }
        "CONVERT_TIMEZONE" => {
            check_arity(name, args.len(), 2, 3)?;
            if args.len() == 2 {
                // The answer is the same instant as a TIMESTAMP_TZ in the target zone. Mockhaus
                // keeps no offsets on TIMESTAMP_TZ values yet, so it can only give the answer
                // for a UTC target (dbt's `convert_timezone('UTC', current_timestamp())`);
                // for other zones it refuses rather than show UTC.
                if !first_arg_expr(func, 0).is_some_and(is_utc_literal) {
                    return Err(SfError::unsupported(
                        "CONVERT_TIMEZONE with two arguments and a target zone other than UTC \
                         (a TIMESTAMP_TZ result)",
                    ));
                }
                // Its wall clock is UTC's whatever the session's zone (`session_zone`).
                let instant = zoned(first_arg_expr(func, 1), &args[1])?;
                return parse_expr(&format!("{}({instant}, 'UTC')", wall_clock::IN_ZONE));
            }
            // A wall-clock time in one zone → the same instant's wall clock in another, by the
            // time zone database (`engine/src/udf/zones.rs`).
            format!(
                "CAST(mockhaus_convert_timezone(CAST({} AS VARCHAR), CAST({} AS VARCHAR), \
                 strftime(CAST({} AS TIMESTAMP), {})) AS TIMESTAMP)",
                args[0],
                args[1],
                args[2],
                conversion::MICROSECONDS
            )
        }
        "CURRENT_DATABASE" => string_or_null(ctx.current_database),
        "CURRENT_SCHEMA" => string_or_null(ctx.current_schema),
        "CURRENT_WAREHOUSE" => string_or_null(ctx.current_warehouse),
        "CURRENT_ROLE" => string_or_null(Some(ctx.current_role)),
        "CURRENT_USER" => string_or_null(Some(ctx.current_user)),
        "CURRENT_ACCOUNT" | "CURRENT_ACCOUNT_NAME" => string_or_null(Some(ctx.account)),
        "CURRENT_VERSION" => string_or_null(Some(crate::SNOWFLAKE_VERSION)),
        "CURRENT_SESSION" => string_or_null(Some(&ctx.session_id.to_string())),
        "CURRENT_REGION" => string_or_null(Some(crate::SNOWFLAKE_REGION)),
        "LAST_QUERY_ID" => {
            check_arity(name, args.len(), 0, 1)?;
            let position = match args.first() {
                None => -1,
                Some(text) => integer_constant(name, text)?,
            };
            let id = read_history(ctx.query_history, |history| {
                history.nth(position).map(str::to_owned)
            });
            string_or_null(id.as_deref())
        }
        "DATEADD" | "TIMESTAMPADD" | "TIMEADD" => {
            check_arity(name, args.len(), 3, 3)?;
            super::dates::dateadd(
                date_part(&args[0])?,
                &args[1],
                &args[2],
                first_arg_expr(func, 2),
                ctx.column_types,
            )?
        }
        "DATEDIFF" | "TIMESTAMPDIFF" | "TIMEDIFF" => {
            check_arity(name, args.len(), 3, 3)?;
            let part = date_part(&args[0])?;
            format!(
                "date_diff('{}', {}, {})",
                part.duckdb_name(),
                args[1],
                args[2]
            )
        }
        // Snowflake's RANDOM() is a 64-bit integer (DuckDB's a DOUBLE in [0, 1)). With a
        // seed Snowflake gives a repeatable sequence of values, which has no DuckDB form.
        "RANDOM" => {
            check_arity(name, args.len(), 0, 1)?;
            if !args.is_empty() {
                return Err(SfError::unsupported("RANDOM with a seed"));
            }
            "CAST(floor((random() - 0.5) * 18446744073709551616.0) AS BIGINT)".to_string()
        }
        // UNIFORM(min, max, gen): `gen` (a 64-bit integer, usually RANDOM()) mapped onto the
        // range; integers when both bounds are integer literals, FLOAT otherwise. A constant
        // `gen` gives a constant result, as in Snowflake (its exact values are not reproduced).
        "UNIFORM" => {
            check_arity(name, args.len(), 3, 3)?;
            let (low, high) = (&args[0], &args[1]);
            let unit = format!(
                "((CAST({} AS HUGEINT) + 9223372036854775808) / 18446744073709551616.0)",
                args[2]
            );
            let integral = (0..2).all(|i| first_arg_expr(func, i).is_some_and(is_integer_literal));
            if integral {
                format!("CAST(floor({low} + ({high} - {low} + 1) * {unit}) AS BIGINT)")
            } else {
                format!("CAST(({low} + ({high} - {low}) * {unit}) AS DOUBLE)")
            }
        }
        "TRUNC" | "TRUNCATE" => {
            check_arity(name, args.len(), 1, 2)?;
            if is_date_truncation(func) {
                let part = date_part(&args[1])?;
                super::dates::date_trunc(part, &args[0], first_arg_expr(func, 0), ctx.column_types)
            } else {
                format!("trunc({})", args.join(", "))
            }
        }
        "TO_TIMESTAMP_LTZ" | "TO_TIMESTAMP_TZ" => {
            check_arity(name, args.len(), 1, 2)?;
            // A literal is read as `'...'::TIMESTAMP_LTZ` is (offsets included); anything else
            // as TO_TIMESTAMP reads it (epochs, format models), then given a zone.
            if args.len() == 1 && first_arg_expr(func, 0).is_some_and(super::is_string_literal) {
                return zoned(first_arg_expr(func, 0), &args[0]);
            }
            conversion::to_datetime(name, &args, first_arg_expr(func, 0))?
        }
        "DATE_TRUNC" => {
            check_arity(name, args.len(), 2, 2)?;
            let part = date_part(&args[0])?;
            super::dates::date_trunc(part, &args[1], first_arg_expr(func, 1), ctx.column_types)
        }
        "DATE_PART" => {
            check_arity(name, args.len(), 2, 2)?;
            let value = match first_arg_expr(func, 1) {
                Some(value) if super::dates::is_epoch_part(&args[0]) => {
                    wall_clock::instant_source(value)
                }
                _ => args[1].clone(),
            };
            if let Some(sql) = super::dates::extraction_only_part(&args[0], &value) {
                return parse_expr(&sql);
            }
            let part: DatePart = date_part(&args[0])?;
            format!("date_part('{}', {})", part.duckdb_name(), args[1])
        }
        "TO_DATE" | "DATE" | "TO_TIMESTAMP" | "TO_TIMESTAMP_NTZ" | "TO_TIME" | "TIME" => {
            check_arity(name, args.len(), 1, 2)?;
            conversion::to_datetime(name, &args, first_arg_expr(func, 0))?
        }
        "ADD_MONTHS" => {
            check_arity(name, args.len(), 2, 2)?;
            super::dates::add_months(
                &args[0],
                &args[1],
                first_arg_expr(func, 0),
                ctx.column_types,
            )?
        }
        "TO_CHAR" | "TO_VARCHAR" => {
            check_arity(name, args.len(), 1, 2)?;
            match args.get(1) {
                None => format!("CAST({} AS VARCHAR)", args[0]),
                Some(format) if numeric_formats::is_numeric_model(format) => {
                    numeric_formats::to_char(&args[0], format)
                }
                // A TIMESTAMP_LTZ is formatted on its wall clock (see `wall_clock`).
                Some(format) => format!(
                    "strftime({}, {})",
                    first_arg_expr(func, 0)
                        .map_or_else(|| args[0].clone(), wall_clock::cast_source),
                    super::dates::format_model(format)?
                ),
            }
        }
        "TO_NUMBER" | "TO_DECIMAL" | "TO_NUMERIC" => {
            numeric_formats::to_number(name, &args, false)?
        }
        "TRY_TO_NUMBER" | "TRY_TO_DECIMAL" | "TRY_TO_NUMERIC" => {
            numeric_formats::to_number(name, &args, true)?
        }
        _ => return Err(SfError::unknown_function(name)),
    };
    parse_expr(&sql)
}

/// LAST_DAY(date [, part]).
fn last_day(a: &[String]) -> String {
    let part = a.get(1).map(|p| p.trim_matches('\'').to_ascii_lowercase());
    let d = &a[0];
    match part.as_deref() {
        None | Some("month" | "mm" | "mon") => format!("last_day({d})"),
        Some("year" | "y" | "yy" | "yyyy") => format!("make_date(year({d}), 12, 31)"),
        Some("quarter" | "q") => {
            format!("last_day(CAST(date_trunc('quarter', {d}) + INTERVAL 2 MONTH AS DATE))")
        }
        Some("week" | "w" | "wk") => format!("(CAST(date_trunc('week', {d}) AS DATE) + 6)"),
        Some(other) => format!(
            "error('invalid value [{}] for parameter date or time part')",
            other.replace('\'', "")
        ),
    }
}

/// DECODE(expr, search1, result1, ..., [default]): NULL matches NULL, unlike `=`.
fn decode(args: &[String]) -> SfResult<String> {
    if args.len() < 3 {
        return Err(wrong_arity("DECODE", args.len(), 3));
    }
    let (subject, rest) = (&args[0], &args[1..]);
    let mut sql = String::from("(CASE");
    for pair in rest.chunks(2) {
        if let [search, result] = pair {
            sql.push_str(&format!(
                " WHEN {subject} IS NOT DISTINCT FROM {search} THEN {result}"
            ));
        }
    }
    if rest.len() % 2 == 1 {
        sql.push_str(&format!(" ELSE {}", rest[rest.len() - 1]));
    }
    sql.push_str(" END)");
    Ok(sql)
}

pub fn function_name(func: &Function) -> String {
    func.name
        .0
        .last()
        .map(|p| p.to_string().trim_matches('"').to_uppercase())
        .unwrap_or_default()
}

/// The arguments as SQL text; named arguments, wildcards and clauses are only for `Rename`.
fn plain_args(func: &Function, name: &str) -> SfResult<Vec<String>> {
    match &func.args {
        FunctionArguments::None => Ok(Vec::new()),
        FunctionArguments::Subquery(q) => Ok(vec![format!("({q})")]),
        FunctionArguments::List(list) => list
            .args
            .iter()
            .map(|arg| match arg {
                FunctionArg::Unnamed(FunctionArgExpr::Expr(e)) => Ok(e.to_string()),
                _ => Err(SfError::syntax(format!(
                    "invalid argument for function {name}"
                ))),
            })
            .collect(),
    }
}

/// `value` (written `written`) as a TIMESTAMP_LTZ: a string literal as `'...'::TIMESTAMP_LTZ`
/// reads it (offsets included), anything else by a cast.
fn zoned(written: Option<&Expr>, value: &str) -> SfResult<Expr> {
    match written {
        Some(literal) if super::is_string_literal(literal) => {
            let zoned = sqlparser::ast::DataType::Custom(
                sqlparser::ast::ObjectName::from(vec![sqlparser::ast::Ident::new("TIMESTAMP_LTZ")]),
                vec![],
            );
            super::cast(&sqlparser::ast::CastKind::Cast, literal, &zoned)
        }
        _ => parse_expr(&format!("CAST({value} AS TIMESTAMPTZ)")),
    }
}

/// A string literal naming UTC (or one of its aliases in the time zone database).
fn is_utc_literal(expr: &Expr) -> bool {
    const UTC_NAMES: [&str; 10] = [
        "UTC",
        "ETC/UTC",
        "GMT",
        "ETC/GMT",
        "UCT",
        "ETC/UCT",
        "UNIVERSAL",
        "ETC/UNIVERSAL",
        "ZULU",
        "ETC/ZULU",
    ];
    matches!(expr, Expr::Value(v) if matches!(&v.value,
        sqlparser::ast::Value::SingleQuotedString(zone)
            if UTC_NAMES.contains(&zone.to_ascii_uppercase().as_str())))
}

/// `12`, `-3`: an integer written as a literal.
fn is_integer_literal(expr: &Expr) -> bool {
    match expr {
        Expr::UnaryOp { expr, .. } => is_integer_literal(expr),
        Expr::Nested(inner) => is_integer_literal(inner),
        Expr::Value(v) => matches!(
            &v.value,
            sqlparser::ast::Value::Number(n, _) if n.bytes().all(|b| b.is_ascii_digit())
        ),
        _ => false,
    }
}

/// TRUNC(value, 'part'): a date part as a string truncates a date or timestamp.
fn is_date_truncation(func: &Function) -> bool {
    first_arg_expr(func, 1).is_some_and(super::is_string_literal)
}

/// The argument at `index` as written (before `wall_clock` wrapped it).
fn first_arg_expr(func: &Function, index: usize) -> Option<&Expr> {
    match &func.args {
        FunctionArguments::List(list) => match list.args.get(index) {
            Some(FunctionArg::Unnamed(FunctionArgExpr::Expr(e))) => Some(wall_clock::unwrapped(e)),
            _ => None,
        },
        _ => None,
    }
}

fn check_arity(name: &str, got: usize, min: usize, max: usize) -> SfResult<()> {
    if got < min || got > max {
        return Err(wrong_arity(name, got, min));
    }
    Ok(())
}

fn wrong_arity(name: &str, got: usize, expected: usize) -> SfError {
    SfError::new(
        "000938",
        "22023",
        format!(
            "SQL compilation error:\nerror line 1 at position 0\n\
             not enough or too many arguments for function [{name}], expected {expected}, got {got}"
        ),
    )
}

fn fill(template: &str, args: &[String]) -> String {
    let mut out = template.replace("{*}", &args.join(", "));
    for (i, arg) in args.iter().enumerate() {
        out = out.replace(&format!("{{{i}}}"), arg);
    }
    out
}

/// LAST_QUERY_ID's position: Snowflake takes an integer constant (its text after the rewrite).
fn integer_constant(name: &str, text: &str) -> SfResult<i64> {
    let compact: String = text
        .chars()
        .filter(|c| !c.is_whitespace() && !matches!(c, '(' | ')'))
        .collect();
    compact.parse().map_err(|_| {
        SfError::unsupported(format!(
            "{name} with an argument other than an integer constant ({text})"
        ))
    })
}

fn string_or_null(value: Option<&str>) -> String {
    match value {
        Some(v) => format!("'{}'", v.replace('\'', "''")),
        None => "CAST(NULL AS VARCHAR)".into(),
    }
}

/// Every Snowflake function name Mockhaus emulates (for docs and SHOW FUNCTIONS).
pub fn is_known(name: &str) -> bool {
    mapping(&name.to_uppercase()).is_some()
}

/// Every function name the rewriter emulates (aliases included), sorted: the names of its
/// sources' match arms (found by `build.rs`) that `is_known` accepts.
pub fn names() -> Vec<&'static str> {
    const CANDIDATES: &[&str] = include!(concat!(env!("OUT_DIR"), "/function_candidates.rs"));
    CANDIDATES.iter().copied().filter(|n| is_known(n)).collect()
}

/// PERCENTILE_CONT interpolates: like MEDIAN, it orders by the value as DOUBLE.
fn interpolate_in_double(func: &mut Function) {
    for order in &mut func.within_group {
        let value = std::mem::replace(&mut order.expr, Expr::value(sqlparser::ast::Value::Null));
        order.expr = Expr::Cast {
            kind: sqlparser::ast::CastKind::Cast,
            expr: Box::new(value),
            data_type: sqlparser::ast::DataType::Double(sqlparser::ast::ExactNumberInfo::None),
            format: None,
        };
    }
}

/// `LISTAGG(x, sep) WITHIN GROUP (ORDER BY y)` is DuckDB's `string_agg(x, sep ORDER BY y)`.
fn order_inside(func: &mut Function) {
    if func.within_group.is_empty() {
        return;
    }
    if let FunctionArguments::List(list) = &mut func.args {
        let order = std::mem::take(&mut func.within_group);
        list.clauses
            .push(sqlparser::ast::FunctionArgumentClause::OrderBy(order));
    }
}

/// ARRAY_AGG(x) [WITHIN GROUP (ORDER BY ...)] and OBJECT_AGG(k, v): DuckDB lists (a map for
/// objects) turned into JSON, leaving out NULL values as Snowflake does (and `[]` / `{}` for
/// a group with none).
fn semi_structured_aggregate(name: &str, func: &Function) -> SfResult<Expr> {
    if func.over.is_some() {
        return Err(SfError::unsupported(format!("{name} as a window function")));
    }
    let args = plain_args(func, name)?;
    let distinct = match &func.args {
        FunctionArguments::List(list) => matches!(
            list.duplicate_treatment,
            Some(sqlparser::ast::DuplicateTreatment::Distinct)
        ),
        _ => false,
    };
    let order = if func.within_group.is_empty() {
        String::new()
    } else {
        let items: Vec<String> = func.within_group.iter().map(|o| o.to_string()).collect();
        format!(" ORDER BY {}", items.join(", "))
    };
    let distinct = if distinct { "DISTINCT " } else { "" };
    // sqlparser's Snowflake dialect cannot parse FILTER (WHERE ...), so the filter is set on
    // the parsed aggregate and the aggregate put into its wrapper by hand.
    let filtered_list = |value: &str, keep: &str| -> SfResult<Expr> {
        let mut list = parse_expr(&format!("list({distinct}{value}{order})"))?;
        if let Expr::Function(f) = &mut list {
            f.filter = Some(Box::new(parse_expr(keep)?));
        }
        Ok(list)
    };
    let (wrapper, lists) = if name == "ARRAY_AGG" {
        check_arity(name, args.len(), 1, 1)?;
        let keep = format!("{} IS NOT NULL", args[0]);
        (
            "coalesce(to_json(MOCKHAUS_LIST_0), CAST('[]' AS JSON))",
            vec![filtered_list(&args[0], &keep)?],
        )
    } else {
        check_arity(name, args.len(), 2, 2)?;
        let keep = format!("{} IS NOT NULL AND {} IS NOT NULL", args[0], args[1]);
        (
            "coalesce(to_json(map(MOCKHAUS_LIST_0, MOCKHAUS_LIST_1)), CAST('{}' AS JSON))",
            vec![
                filtered_list(&args[0], &keep)?,
                filtered_list(&args[1], &keep)?,
            ],
        )
    };
    let mut expr = parse_expr(wrapper)?;
    let _ = sqlparser::ast::visit_expressions_mut(&mut expr, |e| {
        if let Expr::Identifier(ident) = e {
            if let Some(n) = ident.value.strip_prefix("MOCKHAUS_LIST_") {
                if let Some(list) = n.parse::<usize>().ok().and_then(|n| lists.get(n)) {
                    *e = list.clone();
                }
            }
        }
        std::ops::ControlFlow::<()>::Continue(())
    });
    Ok(expr)
}
