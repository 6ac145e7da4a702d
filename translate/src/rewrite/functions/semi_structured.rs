//! Snowflake's semi-structured functions over Mockhaus's VARIANT, which is DuckDB JSON:
//! constructors, ARRAY_* and OBJECT_* manipulation, IS_* / AS_* / TYPEOF, GET / GET_PATH.
//!
//! Arrays are worked on as DuckDB `JSON[]` lists (a JSON null element becomes a NULL list
//! element and back). Positions are 0-based as in Snowflake; DuckDB lists are 1-based.
//! Functions needing VARIANT ordering or multiset counting call the `mockhaus_*` functions
//! of `crate::udf`.

use super::library::{object_pairs, one, two};
use super::Mapping::{self, Build, Template};

/// The argument as a DuckDB list of JSON values.
fn list(array: &str) -> String {
    format!("from_json({array}, '[\"JSON\"]')")
}

/// A 0-based Snowflake position (negative: from the end) as a 0-based offset into `array`.
fn offset(array: &str, position: &str) -> String {
    format!(
        "(CASE WHEN {position} < 0 THEN len({l}) + {position} ELSE {position} END)",
        l = list(array)
    )
}

pub(super) fn mapping(name: &str) -> Option<Mapping> {
    constructors(name)
        .or_else(|| arrays(name))
        .or_else(|| array_sets(name))
        .or_else(|| objects(name))
        .or_else(|| predicates(name))
        .or_else(|| casts(name))
}

fn constructors(name: &str) -> Option<Mapping> {
    Some(match name {
        // TO_JSON: the VARIANT's JSON text, as a string.
        "TO_JSON" => one("CAST(to_json({0}) AS VARCHAR)"),
        "TRY_PARSE_JSON" => one("(CASE WHEN json_valid({0}) THEN json(nullif({0}, '')) END)"),
        "CHECK_JSON" => one(
            "(CASE WHEN {0} IS NULL OR json_valid({0}) THEN CAST(NULL AS VARCHAR) \
             ELSE 'Invalid JSON text' END)",
        ),
        "ARRAY_CONSTRUCT" | "ARRAY_CONSTRUCT_COMPACT" => Build {
            min: 0,
            max: usize::MAX,
            build: if name == "ARRAY_CONSTRUCT" {
                |a| match a {
                    [] => "CAST('[]' AS JSON)".into(),
                    _ => format!("CAST(json_array({}) AS JSON)", json_values(a)),
                }
            } else {
                |a| match a {
                    [] => "CAST('[]' AS JSON)".into(),
                    _ => format!(
                        "to_json(list_filter([{}], lambda x: x IS NOT NULL AND json_type(x) <> 'NULL'))",
                        json_values(a)
                    ),
                }
            },
        },
        // OBJECT_CONSTRUCT drops keys whose value is NULL (a JSON merge patch removes them);
        // OBJECT_CONSTRUCT_KEEP_NULL keeps them.
        "OBJECT_CONSTRUCT" | "OBJECT_CONSTRUCT_KEEP_NULL" => Build {
            min: 0,
            max: usize::MAX,
            build: if name == "OBJECT_CONSTRUCT" {
                |a| format!("json_merge_patch('{{}}', {})", object_pairs(a))
            } else {
                object_pairs
            },
        },
        "ARRAY_GENERATE_RANGE" => Build {
            min: 2,
            max: 3,
            build: |a| {
                format!(
                    "to_json(range(CAST({} AS BIGINT), CAST({} AS BIGINT), CAST({} AS BIGINT)))",
                    a[0],
                    a[1],
                    a.get(2).map_or("1", String::as_str)
                )
            },
        },
        "TO_ARRAY" => one(
            "(CASE WHEN {0} IS NULL THEN NULL WHEN json_type(to_json({0})) = 'ARRAY' \
             THEN to_json({0}) ELSE CAST(json_array(to_json({0})) AS JSON) END)",
        ),
        "TO_OBJECT" => one(
            "(CASE WHEN {0} IS NULL THEN NULL WHEN json_type(to_json({0})) = 'OBJECT' \
             THEN to_json({0}) ELSE error('Invalid argument type for TO_OBJECT: not an OBJECT') END)",
        ),
        _ => return None,
    })
}

fn json_values(args: &[String]) -> String {
    args.iter()
        .map(|v| format!("to_json({v})"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn arrays(name: &str) -> Option<Mapping> {
    Some(match name {
        "ARRAY_SIZE" => one("CAST(json_array_length({0}) AS BIGINT)"),
        "ARRAY_APPEND" => two("to_json(list_append(from_json({0}, '[\"JSON\"]'), to_json({1})))"),
        "ARRAY_PREPEND" => two("to_json(list_prepend(to_json({1}), from_json({0}, '[\"JSON\"]')))"),
        "ARRAY_CAT" => two("to_json(list_concat(from_json({0}, '[\"JSON\"]'), from_json({1}, '[\"JSON\"]')))"),
        "ARRAY_COMPACT" => {
            one("to_json(list_filter(from_json({0}, '[\"JSON\"]'), lambda x: x IS NOT NULL))")
        }
        "ARRAY_REVERSE" => one("to_json(list_reverse(from_json({0}, '[\"JSON\"]')))"),
        "ARRAY_FLATTEN" => one(
            "to_json(flatten(list_transform(from_json({0}, '[\"JSON\"]'), lambda x: from_json(x, '[\"JSON\"]'))))",
        ),
        // ARRAY_CONTAINS(value, array) and ARRAY_POSITION(value, array): the value first.
        "ARRAY_CONTAINS" => two("list_contains(from_json({1}, '[\"JSON\"]'), to_json({0}))"),
        "ARRAY_POSITION" => {
            two("CAST(nullif(coalesce(list_position(from_json({1}, '[\"JSON\"]'), to_json({0})), 0), 0) - 1 AS BIGINT)")
        }
        "ARRAYS_OVERLAP" => two("list_has_any(from_json({0}, '[\"JSON\"]'), from_json({1}, '[\"JSON\"]'))"),
        "ARRAY_REMOVE" => two(
            "(CASE WHEN {1} IS NOT NULL THEN to_json(list_filter(from_json({0}, '[\"JSON\"]'), \
             lambda x: x IS DISTINCT FROM to_json({1}))) END)",
        ),
        // ARRAY_SLICE(array, from, to): 0-based, `to` excluded, negatives count from the end.
        "ARRAY_SLICE" => Build {
            min: 3,
            max: 3,
            build: |a| {
                // GREATEST skips NULLs in DuckDB; a NULL bound makes the slice NULL.
                format!(
                    "(CASE WHEN {from} IS NOT NULL AND {to} IS NOT NULL THEN \
                     to_json(list_slice({}, greatest({} + 1, 1), greatest({}, 0))) END)",
                    list(&a[0]),
                    offset(&a[0], &a[1]),
                    offset(&a[0], &a[2]),
                    from = a[1],
                    to = a[2]
                )
            },
        },
        "ARRAY_REMOVE_AT" => Build {
            min: 2,
            max: 2,
            build: |a| {
                let (l, at) = (list(&a[0]), offset(&a[0], &a[1]));
                format!("to_json(list_concat(list_slice({l}, 1, {at}), list_slice({l}, {at} + 2, len({l}))))")
            },
        },
        "ARRAY_INSERT" => Build {
            min: 3,
            max: 3,
            build: |a| {
                let (l, at) = (list(&a[0]), offset(&a[0], &a[1]));
                format!(
                    "to_json(list_concat(list_slice({l}, 1, {at}), [to_json({v})], \
                     list_slice({l}, {at} + 1, len({l}))))",
                    v = a[2]
                )
            },
        },
        // Elements as text (strings without quotes), NULLs as empty strings.
        "ARRAY_TO_STRING" => two(
            "array_to_string(list_transform(from_json({0}, '[\"JSON\"]'), \
             lambda x: coalesce(json_extract_string(x, '$'), '')), {1})",
        ),
        "ARRAY_SORT" => Build {
            min: 1,
            max: 3,
            build: |a| {
                format!(
                    "CAST(mockhaus_array_sort({}, CAST({} AS VARCHAR), CAST({} AS VARCHAR)) AS JSON)",
                    a[0],
                    a.get(1).map_or("TRUE", String::as_str),
                    // DuckDB gives NULL for a NULL argument, as Snowflake does, so the
                    // direction's default is asked for by name.
                    a.get(2).map_or("'default'", String::as_str)
                )
            },
        },
        "ARRAY_MIN" => one("CAST(mockhaus_array_extreme({0}, 'min') AS JSON)"),
        "ARRAY_MAX" => one("CAST(mockhaus_array_extreme({0}, 'max') AS JSON)"),
        _ => return None,
    })
}

fn array_sets(name: &str) -> Option<Mapping> {
    Some(match name {
        "ARRAY_DISTINCT" => one("CAST(mockhaus_array_set_op({0}, '[]', 'distinct') AS JSON)"),
        "ARRAY_INTERSECTION" => {
            two("CAST(mockhaus_array_set_op({0}, {1}, 'intersection') AS JSON)")
        }
        "ARRAY_EXCEPT" => two("CAST(mockhaus_array_set_op({0}, {1}, 'except') AS JSON)"),
        _ => return None,
    })
}

/// A JSON path to one key of an object, whatever characters the key holds.
fn key_path(key: &str) -> String {
    format!("('$.\"' || replace({key}, '\"', '\\\"') || '\"')")
}

fn objects(name: &str) -> Option<Mapping> {
    Some(match name {
        "OBJECT_KEYS" => one("to_json(json_keys({0}))"),
        // GET(array, index) / GET(object, key): DuckDB reads an integer as an index and text
        // as a key.
        "GET" => two("json_extract({0}, {1})"),
        "GET_PATH" => two(
            "json_extract({0}, CASE WHEN starts_with({1}, '[') THEN '$' || {1} ELSE '$.' || {1} END)",
        ),
        "JSON_EXTRACT_PATH_TEXT" => two("json_extract_string(json({0}), '$.' || {1})"),
        // OBJECT_INSERT(object, key, value [, update]): an existing key is an error unless
        // `update` is TRUE.
        "OBJECT_INSERT" => Build {
            min: 3,
            max: 4,
            build: |a| {
                format!(
                    "(CASE WHEN json_exists({o}, {path}) AND NOT coalesce({update}, FALSE) \
                     THEN error('Invalid argument for function OBJECT_INSERT: key ' || {k} || ' already exists') \
                     ELSE json_merge_patch({o}, json_object({k}, to_json({v}))) END)",
                    o = a[0],
                    k = a[1],
                    v = a[2],
                    path = key_path(&a[1]),
                    update = a.get(3).map_or("FALSE", String::as_str)
                )
            },
        },
        // A merge patch with a key set to null removes it.
        "OBJECT_DELETE" => Build {
            min: 1,
            max: usize::MAX,
            build: |a| {
                let nulls: Vec<String> = a[1..].iter().map(|k| format!("{k}, NULL")).collect();
                if nulls.is_empty() {
                    return a[0].clone();
                }
                format!("json_merge_patch({}, json_object({}))", a[0], nulls.join(", "))
            },
        },
        "OBJECT_PICK" => Build {
            min: 1,
            max: usize::MAX,
            build: |a| {
                let picks: Vec<String> = a[1..]
                    .iter()
                    .map(|k| format!("{k}, json_extract({}, {})", a[0], key_path(k)))
                    .collect();
                if picks.is_empty() {
                    return "CAST('{}' AS JSON)".into();
                }
                format!("json_merge_patch('{{}}', json_object({}))", picks.join(", "))
            },
        },
        "STRIP_NULL_VALUE" => {
            one("(CASE WHEN json_type(to_json({0})) = 'NULL' THEN NULL ELSE to_json({0}) END)")
        }
        _ => return None,
    })
}

/// `json_type` of the value as a VARIANT.
const TYPE: &str = "json_type(to_json({0}))";

fn predicates(name: &str) -> Option<Mapping> {
    let types: &[&str] = match name {
        "IS_ARRAY" => &["'ARRAY'"],
        "IS_OBJECT" => &["'OBJECT'"],
        "IS_BOOLEAN" => &["'BOOLEAN'"],
        "IS_INTEGER" => &["'BIGINT'", "'UBIGINT'"],
        "IS_DECIMAL" | "IS_DOUBLE" | "IS_REAL" => &["'BIGINT'", "'UBIGINT'", "'DOUBLE'"],
        "IS_VARCHAR" | "IS_CHAR" => &["'VARCHAR'"],
        "IS_NULL_VALUE" => &["'NULL'"],
        _ => return typeof_mapping(name),
    };
    let sql = format!("({TYPE} IN ({}))", types.join(", "));
    // An exponent makes a JSON number a DOUBLE rather than a DECIMAL in Snowflake.
    let sql = if name == "IS_DECIMAL" {
        format!("({sql} AND NOT regexp_matches(CAST(to_json({{0}}) AS VARCHAR), '[eE]'))")
    } else {
        sql
    };
    Some(Mapping::Owned {
        min: 1,
        max: 1,
        sql,
    })
}

/// TYPEOF names the VARIANT's type as Snowflake does.
fn typeof_mapping(name: &str) -> Option<Mapping> {
    (name == "TYPEOF").then_some(Template {
        min: 1,
        max: 1,
        sql: "(CASE json_type(to_json({0})) WHEN 'BIGINT' THEN 'INTEGER' WHEN 'UBIGINT' THEN 'INTEGER' \
              WHEN 'DOUBLE' THEN (CASE WHEN regexp_matches(CAST(to_json({0}) AS VARCHAR), '[eE]') \
              THEN 'DOUBLE' ELSE 'DECIMAL' END) WHEN 'NULL' THEN 'NULL_VALUE' \
              ELSE json_type(to_json({0})) END)",
    })
}

fn casts(name: &str) -> Option<Mapping> {
    let (types, value): (&[&str], &str) = match name {
        "AS_VARCHAR" | "AS_CHAR" => (&["'VARCHAR'"], "json_extract_string({0}, '$')"),
        "AS_INTEGER" => (
            &["'BIGINT'", "'UBIGINT'"],
            "CAST(json_extract_string({0}, '$') AS DECIMAL(38,0))",
        ),
        "AS_DOUBLE" | "AS_REAL" | "AS_FLOAT" => (
            &["'BIGINT'", "'UBIGINT'", "'DOUBLE'"],
            "CAST(json_extract_string({0}, '$') AS DOUBLE)",
        ),
        "AS_BOOLEAN" => (
            &["'BOOLEAN'"],
            "CAST(json_extract_string({0}, '$') AS BOOLEAN)",
        ),
        "AS_ARRAY" => (&["'ARRAY'"], "to_json({0})"),
        "AS_OBJECT" => (&["'OBJECT'"], "to_json({0})"),
        _ => return None,
    };
    Some(Mapping::Owned {
        min: 1,
        max: 1,
        sql: format!(
            "(CASE WHEN {TYPE} IN ({}) THEN {value} END)",
            types.join(", ")
        ),
    })
}
