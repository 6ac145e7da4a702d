//! More of Snowflake's function library, by Snowflake's categories. Each entry is either a
//! DuckDB function with the same semantics or SQL that reproduces Snowflake's (NULL rules,
//! whole-string regex matching, 0-based sequences...). Anything not listed anywhere is 002140.

use super::Mapping::{self, Build, Rename, Template};

pub(super) fn mapping(name: &str) -> Option<Mapping> {
    strings(name)
        .or_else(|| conditional(name))
        .or_else(|| numeric(name))
        .or_else(|| aggregates(name))
        .or_else(|| dates(name))
        .or_else(|| conversion(name))
        .or_else(|| super::semi_structured::mapping(name))
}

pub(super) const fn one(sql: &'static str) -> Mapping {
    Template {
        min: 1,
        max: 1,
        sql,
    }
}

pub(super) const fn two(sql: &'static str) -> Mapping {
    Template {
        min: 2,
        max: 2,
        sql,
    }
}

fn strings(name: &str) -> Option<Mapping> {
    Some(match name {
        "TRANSLATE" | "UNICODE" => Rename(""),
        "EDITDISTANCE" => Rename("levenshtein"),
        "SHA1" | "SHA1_HEX" => one("sha1({0})"),
        "SHA2" | "SHA2_HEX" => Build {
            min: 1,
            max: 2,
            build: |a| match a.get(1).map(String::as_str) {
                None | Some("256") => format!("sha256({})", a[0]),
                Some(bits) => format!("error('SHA2 with {bits} bits is not supported')"),
            },
        },
        "MD5_HEX" => one("md5({0})"),
        "BASE64_ENCODE" => one("to_base64(CAST({0} AS BLOB))"),
        "BASE64_DECODE_STRING" => one("decode(from_base64({0}))"),
        "BASE64_DECODE_BINARY" => one("from_base64({0})"),
        "HEX_DECODE_STRING" => one("decode(unhex({0}))"),
        "HEX_DECODE_BINARY" => one("unhex({0})"),
        "SPACE" => one("repeat(' ', CAST({0} AS BIGINT))"),
        // CHARINDEX(needle, haystack[, from]) and POSITION(needle, haystack): 1-based, 0 if absent.
        "CHARINDEX" | "POSITION" => Build {
            min: 2,
            max: 3,
            build: |a| match a.get(2) {
                None => format!("instr({}, {})", a[1], a[0]),
                Some(from) => format!(
                    "(CASE WHEN instr(substr({h}, {from}), {n}) = 0 THEN 0 \
                     ELSE instr(substr({h}, {from}), {n}) + {from} - 1 END)",
                    h = a[1],
                    n = a[0]
                ),
            },
        },
        // Snowflake's CONCAT_WS is NULL when any argument is.
        "CONCAT_WS" => Build {
            min: 2,
            max: usize::MAX,
            build: |a| {
                let parts: Vec<String> = a[1..]
                    .iter()
                    .map(|p| format!("CAST({p} AS VARCHAR)"))
                    .collect();
                format!(
                    "CAST(({}) AS VARCHAR)",
                    parts.join(&format!(" || {} || ", a[0]))
                )
            },
        },
        "INSERT" => Template {
            min: 4,
            max: 4,
            sql: "(substr({0}, 1, {1} - 1) || {3} || substr({0}, {1} + {2}))",
        },
        "SOUNDEX" => one("mockhaus_soundex({0})"),
        "INITCAP" => Build {
            min: 1,
            max: 2,
            build: |a| match a.get(1) {
                Some(delimiters) => format!("mockhaus_initcap({}, {delimiters})", a[0]),
                None => format!(
                    "mockhaus_initcap({}, '{}')",
                    a[0],
                    super::INITCAP_DELIMITERS.replace('\'', "''")
                ),
            },
        },
        // STRTOK(text [, delimiters [, part]]): delimiters default to a space, part to 1.
        "STRTOK" => Build {
            min: 1,
            max: 3,
            build: |a| {
                format!(
                    "mockhaus_strtok({}, {}, CAST({} AS VARCHAR))",
                    a[0],
                    a.get(1).map_or("' '", String::as_str),
                    a.get(2).map_or("1", String::as_str)
                )
            },
        },
        "STRTOK_TO_ARRAY" => Build {
            min: 1,
            max: 2,
            build: |a| {
                format!(
                    "CAST(mockhaus_strtok_to_array({}, {}) AS JSON)",
                    a[0],
                    a.get(1).map_or("' '", String::as_str)
                )
            },
        },
        "SPLIT" => two("to_json(string_split({0}, {1}))"),
        "REGEXP_LIKE" => Build {
            min: 2,
            max: 3,
            build: |a| match a.get(2) {
                None => format!("regexp_full_match({}, {})", a[0], a[1]),
                Some(params) => format!(
                    "CAST(mockhaus_regexp_like({}, {}, {params}) AS BOOLEAN)",
                    a[0], a[1]
                ),
            },
        },
        "REGEXP_COUNT" => Build {
            min: 2,
            max: 4,
            build: |a| match a.len() {
                2 => format!("length(regexp_extract_all({}, {}))", a[0], a[1]),
                _ => format!(
                    "CAST(mockhaus_regexp_count({}, {}, {}, {}) AS BIGINT)",
                    a[0],
                    a[1],
                    text_arg(a, 2, "1"),
                    text_arg(a, 3, "'c'")
                ),
            },
        },
        // No match is NULL in Snowflake ('' in DuckDB).
        "REGEXP_SUBSTR" => Build {
            min: 2,
            max: 6,
            build: |a| match a.len() {
                2 => format!(
                    "(CASE WHEN regexp_matches({s}, {p}) THEN regexp_extract({s}, {p}) END)",
                    s = a[0],
                    p = a[1]
                ),
                _ => regexp_udf("mockhaus_regexp_substr", a, &["1", "1", "'c'", "0"]),
            },
        },
        "REGEXP_SUBSTR_ALL" | "REGEXP_EXTRACT_ALL" => Build {
            min: 2,
            max: 6,
            build: |a| {
                format!(
                    "CAST({} AS JSON)",
                    regexp_udf("mockhaus_regexp_substr_all", a, &["1", "1", "'c'", "0"])
                )
            },
        },
        // REGEXP_INSTR: the 1-based position of the match (option 0) or after it (1); 0 if none.
        "REGEXP_INSTR" => Build {
            min: 2,
            max: 7,
            build: |a| {
                format!(
                    "CAST({} AS BIGINT)",
                    regexp_udf("mockhaus_regexp_instr", a, &["1", "1", "0", "'c'", "0"])
                )
            },
        },
        // Every occurrence is replaced unless one is named; the replacement defaults to ''.
        "REGEXP_REPLACE" => Build {
            min: 2,
            max: 6,
            build: |a| match a.len() {
                2 | 3 => format!(
                    "regexp_replace({}, {}, {}, 'g')",
                    a[0],
                    a[1],
                    a.get(2).map_or("''", String::as_str)
                ),
                _ => regexp_udf("mockhaus_regexp_replace", a, &["''", "1", "0", "'c'"]),
            },
        },
        _ => return None,
    })
}

/// The optional argument `i` as text, or its default.
fn text_arg(args: &[String], i: usize, default: &str) -> String {
    format!(
        "CAST({} AS VARCHAR)",
        args.get(i).map_or(default, String::as_str)
    )
}

/// A call of a `mockhaus_regexp_*` function with every optional argument after the subject
/// and pattern filled in from `defaults`.
fn regexp_udf(function: &str, args: &[String], defaults: &[&str]) -> String {
    let mut all = vec![args[0].clone(), args[1].clone()];
    for (i, default) in defaults.iter().enumerate() {
        all.push(text_arg(args, i + 2, default));
    }
    format!("{function}({})", all.join(", "))
}

fn conditional(name: &str) -> Option<Mapping> {
    Some(match name {
        "EQUAL_NULL" => two("({0} IS NOT DISTINCT FROM {1})"),
        "DIV0NULL" => two("(CASE WHEN {1} = 0 OR {1} IS NULL THEN 0 ELSE {0} / {1} END)"),
        // Snowflake's GREATEST / LEAST are NULL when any argument is (DuckDB's skip NULLs).
        "GREATEST" | "LEAST" => Build {
            min: 1,
            max: usize::MAX,
            build: if name == "GREATEST" {
                |a| null_if_any_null(a, "greatest")
            } else {
                |a| null_if_any_null(a, "least")
            },
        },
        "BOOLAND" => two("(({0}) <> 0 AND ({1}) <> 0)"),
        "BOOLOR" => two("(({0}) <> 0 OR ({1}) <> 0)"),
        "BOOLXOR" => two("((({0}) <> 0) <> (({1}) <> 0))"),
        "BOOLNOT" => one("(NOT (({0}) <> 0))"),
        _ => return None,
    })
}

fn null_if_any_null(args: &[String], function: &str) -> String {
    let any_null: Vec<String> = args.iter().map(|a| format!("{a} IS NULL")).collect();
    format!(
        "(CASE WHEN {} THEN NULL ELSE {function}({}) END)",
        any_null.join(" OR "),
        args.join(", ")
    )
}

fn numeric(name: &str) -> Option<Mapping> {
    Some(match name {
        "FACTORIAL" => one("factorial(CAST({0} AS INTEGER))"),
        "BITAND" => two("(CAST({0} AS BIGINT) & CAST({1} AS BIGINT))"),
        "BITOR" => two("(CAST({0} AS BIGINT) | CAST({1} AS BIGINT))"),
        "BITXOR" => two("xor(CAST({0} AS BIGINT), CAST({1} AS BIGINT))"),
        "BITNOT" => one("(~CAST({0} AS BIGINT))"),
        // sqlparser's Snowflake dialect has no `<<` operator: multiply or divide by 2^n.
        "BITSHIFTLEFT" => two("(CAST({0} AS BIGINT) * CAST(power(2, {1}) AS BIGINT))"),
        "BITSHIFTRIGHT" => two("floor(CAST({0} AS BIGINT) / power(2, {1}))::BIGINT"),
        // Great-circle distance in kilometres on a sphere of Snowflake's radius (6371 km).
        "HAVERSINE" => Template {
            min: 4,
            max: 4,
            sql: "(2 * 6371 * asin(sqrt(power(sin(radians({2} - {0}) / 2), 2) \
                  + cos(radians({0})) * cos(radians({2})) * power(sin(radians({3} - {1}) / 2), 2))))",
        },
        "SINH" => one("((exp({0}) - exp(-({0}))) / 2)"),
        "COSH" => one("((exp({0}) + exp(-({0}))) / 2)"),
        "TANH" => one("((exp(2 * ({0})) - 1) / (exp(2 * ({0})) + 1))"),
        "COT" => one("(1 / tan({0}))"),
        _ => return None,
    })
}

fn aggregates(name: &str) -> Option<Mapping> {
    Some(match name {
        "GROUPING" | "GROUPING_ID" => Rename(""),
        "MIN_BY" => Rename("arg_min"),
        "MAX_BY" => Rename("arg_max"),
        "APPROX_COUNT_DISTINCT" | "HLL" => Rename("approx_count_distinct"),
        "APPROX_PERCENTILE" => two("approx_quantile({0}, {1})"),
        "PERCENTILE_CONT" | "PERCENTILE_DISC" => Rename(""),
        "KURTOSIS" => Rename("kurtosis"),
        "SKEW" => Rename("skewness"),
        "BITAND_AGG" => one("bit_and(CAST({0} AS BIGINT))"),
        "BITOR_AGG" => one("bit_or(CAST({0} AS BIGINT))"),
        "BITXOR_AGG" => one("bit_xor(CAST({0} AS BIGINT))"),
        "BOOLXOR_AGG" => one("(count_if(({0}) <> 0) = 1)"),
        _ => return None,
    })
}

fn dates(name: &str) -> Option<Mapping> {
    Some(match name {
        "DAYNAME" => one("strftime({0}, '%a')"),
        "MONTHNAME" => one("strftime({0}, '%b')"),
        // Snowflake's default WEEK_START (0) counts Sunday as 0, as DuckDB does.
        "DAYOFWEEK" => Rename("dayofweek"),
        "DAYOFWEEKISO" => Rename("isodow"),
        "WEEKISO" => Rename("week"),
        "YEAROFWEEKISO" | "YEAROFWEEK" => Rename("isoyear"),
        // NEXT_DAY / PREVIOUS_DAY(date, 'dow'): the first two letters name the day.
        "NEXT_DAY" => two(
            "(CAST({0} AS DATE) + CAST((((position(lower(left(trim({1}), 2)) IN 'sumotuwethfrsa') - 1) / 2) \
             - dayofweek({0}) + 6) % 7 + 1 AS INTEGER))",
        ),
        "PREVIOUS_DAY" => two(
            "(CAST({0} AS DATE) - CAST((dayofweek({0}) \
             - ((position(lower(left(trim({1}), 2)) IN 'sumotuwethfrsa') - 1) / 2) + 6) % 7 + 1 AS INTEGER))",
        ),
        // Whole months when both days are the same day of the month or both month ends;
        // otherwise the day difference counts in 31-day months.
        "MONTHS_BETWEEN" => two(
            "CAST(((year({0}) - year({1})) * 12 + month({0}) - month({1})) \
             + CASE WHEN day({0}) = day({1}) OR (CAST({0} AS DATE) = last_day({0}) \
             AND CAST({1} AS DATE) = last_day({1})) THEN 0 \
             ELSE (day({0}) - day({1})) / 31.0 END AS DECIMAL(38,6))",
        ),
        // The *_FROM_PARTS functions roll over out-of-range parts as Snowflake does (month
        // 13 is January of the next year, hour 25 one o'clock the next day, day 0 the last day
        // of the previous month).
        "DATE_FROM_PARTS" | "DATEFROMPARTS" => Template {
            min: 3,
            max: 3,
            sql: "CAST(make_date(CAST({0} AS BIGINT), 1, 1) + to_months(CAST({1} AS BIGINT) - 1) \
                  + to_days(CAST({2} AS BIGINT) - 1) AS DATE)",
        },
        "TIME_FROM_PARTS" | "TIMEFROMPARTS" => Template {
            min: 3,
            max: 3,
            sql: "CAST(TIME '00:00:00' + to_hours(CAST({0} AS BIGINT)) + to_minutes(CAST({1} AS BIGINT)) \
                  + to_microseconds(CAST(CAST({2} AS DOUBLE) * 1000000 AS BIGINT)) AS TIME)",
        },
        "TIMESTAMP_FROM_PARTS" | "TIMESTAMPFROMPARTS" | "TIMESTAMP_NTZ_FROM_PARTS" => Template {
            min: 6,
            max: 6,
            sql: "(make_timestamp(CAST({0} AS BIGINT), 1, 1, 0, 0, 0) + to_months(CAST({1} AS BIGINT) - 1) \
                  + to_days(CAST({2} AS BIGINT) - 1) + to_hours(CAST({3} AS BIGINT)) \
                  + to_minutes(CAST({4} AS BIGINT)) \
                  + to_microseconds(CAST(CAST({5} AS DOUBLE) * 1000000 AS BIGINT)))",
        },
        _ => return None,
    })
}

fn conversion(name: &str) -> Option<Mapping> {
    Some(match name {
        "TRY_TO_DOUBLE" => one("TRY_CAST({0} AS DOUBLE)"),
        "TRY_TO_DATE" => one("TRY_CAST({0} AS DATE)"),
        "TRY_TO_TIME" => one("TRY_CAST({0} AS TIME)"),
        "TRY_TO_TIMESTAMP" | "TRY_TO_TIMESTAMP_NTZ" => one("TRY_CAST({0} AS TIMESTAMP)"),
        "TRY_TO_BOOLEAN" => one("TRY_CAST({0} AS BOOLEAN)"),
        "TRY_TO_BINARY" => one("TRY_CAST(unhex({0}) AS BLOB)"),
        _ => return None,
    })
}

pub(super) fn object_pairs(args: &[String]) -> String {
    if args.is_empty() || !args.len().is_multiple_of(2) {
        return "error('OBJECT_CONSTRUCT takes key-value pairs')".into();
    }
    let pairs: Vec<String> = args
        .chunks(2)
        .map(|kv| format!("{}, to_json({})", kv[0], kv[1]))
        .collect();
    format!("json_object({})", pairs.join(", "))
}
