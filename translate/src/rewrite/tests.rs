//! Translation rules: Snowflake in, DuckDB out.

use super::*;

fn translate(sql: &str) -> String {
    let ctx = FunctionContext::standalone("ACME", "U", Some("DB"), Some("PUBLIC"));
    let mut stmt = parse(sql).unwrap().remove(0);
    rewrite(&mut stmt, sql, &ctx).unwrap();
    stmt.to_string()
}

fn translate_err(sql: &str) -> SfError {
    let ctx = FunctionContext::standalone("ACME", "U", None, None);
    let mut stmt = parse(sql).unwrap().remove(0);
    rewrite(&mut stmt, sql, &ctx).unwrap_err()
}

#[test]
fn unaliased_expressions_are_named_by_their_text() {
    assert_eq!(
        translate("select count(*) from t"),
        "SELECT count(*) AS \"COUNT(*)\" FROM \"T\""
    );
    assert_eq!(
        translate("select sum(amount) from t"),
        "SELECT sum(\"AMOUNT\") AS \"SUM(AMOUNT)\" FROM \"T\""
    );
}

#[test]
fn iff_becomes_case() {
    assert_eq!(
        translate("select iff(a > 1, 'x', 'y') as r from t"),
        "SELECT (CASE WHEN \"A\" > 1 THEN 'x' ELSE 'y' END) AS \"R\" FROM \"T\""
    );
}

#[test]
fn unknown_functions_are_002140() {
    assert_eq!(
        translate_err("select read_csv('/etc/passwd')").code,
        "002140"
    );
    assert_eq!(
        translate_err("select * from read_csv('/etc/passwd')").code,
        "002140"
    );
}

#[test]
fn values_columns_are_column1_to_n() {
    assert_eq!(
        translate("values (1, 'a')"),
        "SELECT * FROM (VALUES (1, 'a')) AS \"_V\" (\"COLUMN1\", \"COLUMN2\")"
    );
}

#[test]
fn variant_paths_become_json_extract() {
    assert_eq!(
        translate("select v:name::string as n from t"),
        "SELECT CAST(json_extract_string(json_extract(\"V\", '$.name'), '$') AS VARCHAR) AS \"N\" FROM \"T\""
    );
}

#[test]
fn context_functions_are_inlined() {
    assert_eq!(
        translate("select current_database() as d"),
        "SELECT 'DB' AS \"D\""
    );
}

#[test]
fn casts_and_windows_are_named_by_their_whole_text() {
    assert_eq!(
        translate("select x::varchar, cast(x as double), row_number() over (order by x) from t"),
        "SELECT (CASE WHEN typeof(\"X\") = 'JSON' THEN CAST(json_extract_string(CAST(\"X\" AS VARCHAR), '$') AS VARCHAR) \
         ELSE CAST(\"X\" AS VARCHAR) END) AS \"X::VARCHAR\", \
         (CASE WHEN typeof(\"X\") = 'JSON' THEN CAST(json_extract_string(CAST(\"X\" AS VARCHAR), '$') AS DOUBLE) \
         ELSE CAST(\"X\" AS DOUBLE) END) AS \"CAST(X AS DOUBLE)\", \
         row_number() OVER (ORDER BY \"X\") AS \"ROW_NUMBER() OVER (ORDER BY X)\" FROM \"T\""
    );
    assert_eq!(
        translate("select distinct a || 'b', 2 from t")
            .matches(" AS \"")
            .count(),
        2
    );
}

#[test]
fn syntax_errors_say_where_in_snowflakes_words() {
    let err = parse("selec 1").unwrap_err();
    assert_eq!(
        err.message,
        "SQL compilation error:\nsyntax error line 1 at position 0 unexpected 'selec'."
    );
    let err = parse("select *\nfrom").unwrap_err();
    assert_eq!(
        err.message,
        "SQL compilation error:\nsyntax error line 2 at position 4 unexpected '<EOF>'."
    );
}

#[test]
fn identifiers_are_located_for_000904() {
    assert_eq!(
        locate_identifier("select x,\n  nope from t", "NOPE"),
        Some((2, 2))
    );
    assert_eq!(
        locate_identifier("select \"name\" from t", "\"name\""),
        Some((1, 7))
    );
}

#[test]
fn bind_variables_become_numbered_duckdb_parameters() {
    assert_eq!(
        translate("select ? / ?, ?"),
        "SELECT (CASE WHEN $2 = 0 THEN error('Division by zero') ELSE $1 / $2 END) AS \"? / ?\", $3 AS \"?\""
    );
    assert_eq!(
        translate("select :2, :1"),
        "SELECT $2 AS \":2\", $1 AS \":1\""
    );
}

/// Found by the fuzz target: the DISTINCT-prefix check sliced inside a multi-byte character.
#[test]
fn result_names_survive_multibyte_text_where_a_prefix_would_end() {
    let sql = translate("SELECT UPPER('h\u{e9}llo'), 1");
    assert!(sql.starts_with("SELECT UPPER('h\u{e9}llo') AS "), "{sql}");
}

#[test]
fn scripts_split_at_top_level_semicolons_keeping_the_text() {
    // A `;` inside a comment or a string separates nothing.
    let script = "select 'it''s; here' as x;\n-- a comment; still one\nselect $$a;b$$ ; select 'é'";
    assert_eq!(
        split_statements(script),
        vec![
            "select 'it''s; here' as x",
            "-- a comment; still one\nselect $$a;b$$",
            "select 'é'",
        ]
    );
    assert!(split_statements(" ; -- nothing\n").is_empty());
}

#[test]
fn two_variants_compare_by_their_sort_keys() {
    let sql = "select parse_json('9') < parse_json('10')";
    let out = translate(sql);
    assert!(out.contains("mockhaus_variant_sort_key"), "{out}");
}
