//! FLATTEN, as `LATERAL FLATTEN(...)` or `TABLE(FLATTEN(...))`: one row per element of an
//! ARRAY or OBJECT (recursively with RECURSIVE => TRUE), with Snowflake's columns SEQ, KEY,
//! PATH, INDEX, VALUE and THIS. It becomes a lateral subquery over DuckDB's `json_each` /
//! `json_tree`, whose `path` column (the element's container) gives KEY vs INDEX and THIS.
//!
//! SEQ is derived from the input value, so two input rows with equal values share a SEQ
//! (Snowflake numbers input rows); everything else follows Snowflake.

use sqlparser::ast::{
    Expr, FunctionArg, FunctionArgExpr, FunctionArguments, ObjectName, Statement, TableAlias,
    TableFactor, Value,
};

use crate::error::{SfError, SfResult};

/// Whether a table factor is a FLATTEN call, which `replace` turns into a subquery.
pub(crate) fn is_flatten(factor: &TableFactor) -> bool {
    match factor {
        TableFactor::Function { name, .. } => is_flatten_name(name),
        TableFactor::TableFunction {
            expr: Expr::Function(f),
            ..
        } => is_flatten_name(&f.name),
        _ => false,
    }
}

fn is_flatten_name(name: &ObjectName) -> bool {
    name.0.len() == 1
        && name
            .to_string()
            .trim_matches('"')
            .eq_ignore_ascii_case("FLATTEN")
}

/// The statement's FLATTEN calls, whose VALUE and THIS columns hold VARIANT values.
#[derive(Default)]
pub(crate) struct FlattenOutputs {
    /// The aliases given to FLATTEN calls (already folded): `alias.VALUE` is a VARIANT.
    pub aliases: Vec<String>,
    /// Whether the statement calls FLATTEN at all: a bare `VALUE` may then be its column.
    pub any: bool,
}

pub(crate) fn outputs(statement: &Statement) -> FlattenOutputs {
    let mut found = FlattenOutputs::default();
    struct Finder<'a>(&'a mut FlattenOutputs);
    impl sqlparser::ast::Visitor for Finder<'_> {
        type Break = ();
        fn pre_visit_table_factor(&mut self, factor: &TableFactor) -> std::ops::ControlFlow<()> {
            if !is_flatten(factor) {
                return std::ops::ControlFlow::Continue(());
            }
            self.0.any = true;
            if let TableFactor::Function {
                alias: Some(alias), ..
            }
            | TableFactor::TableFunction {
                alias: Some(alias), ..
            } = factor
            {
                self.0.aliases.push(alias.name.value.clone());
            }
            std::ops::ControlFlow::Continue(())
        }
    }
    let _ = sqlparser::ast::Visit::visit(statement, &mut Finder(&mut found));
    found
}

/// Puts `TABLE(FLATTEN(...))` in the `FLATTEN(...)` form, so that the rewriter visits its
/// arguments but does not take FLATTEN itself for a scalar function.
pub(crate) fn as_table_function(factor: &mut TableFactor) {
    let TableFactor::TableFunction {
        expr: Expr::Function(f),
        alias,
    } = factor
    else {
        return;
    };
    let args = match &f.args {
        FunctionArguments::List(list) => list.args.clone(),
        _ => Vec::new(),
    };
    *factor = TableFactor::Function {
        lateral: false,
        name: f.name.clone(),
        args,
        with_ordinality: false,
        alias: alias.take(),
    };
}

/// Replaces every FLATTEN in the (already rewritten) statement.
pub(crate) fn replace(statement: &mut Statement) -> SfResult<()> {
    super::replace_table_factors(statement, |factor| {
        if is_flatten(factor) {
            flatten_factor(factor).map(Some)
        } else {
            Ok(None)
        }
    })
}

/// FLATTEN's arguments, by name or in Snowflake's positional order.
#[derive(Default)]
struct Options {
    input: Option<String>,
    path: Option<String>,
    outer: bool,
    recursive: bool,
    mode: Mode,
}

#[derive(Default, PartialEq)]
enum Mode {
    #[default]
    Both,
    Object,
    Array,
}

const POSITIONS: [&str; 5] = ["INPUT", "PATH", "OUTER", "RECURSIVE", "MODE"];

fn flatten_factor(factor: &TableFactor) -> SfResult<TableFactor> {
    let TableFactor::Function { args, alias, .. } = factor else {
        return Err(SfError::internal("not a FLATTEN call"));
    };
    let options = options(args)?;
    let sql = format!(
        "SELECT * FROM LATERAL ({}) {}",
        subquery(&options)?,
        alias_sql(alias.as_ref())
    );
    super::parse_table_factor(&sql)
}

fn options(args: &[FunctionArg]) -> SfResult<Options> {
    let mut options = Options::default();
    for (position, arg) in args.iter().enumerate() {
        let (name, value) = match arg {
            FunctionArg::Named {
                name,
                arg: FunctionArgExpr::Expr(e),
                ..
            } => (name.value.to_uppercase(), e),
            FunctionArg::Unnamed(FunctionArgExpr::Expr(e)) => match POSITIONS.get(position) {
                Some(name) => (name.to_string(), e),
                None => return Err(invalid("too many arguments")),
            },
            _ => return Err(invalid("unexpected argument")),
        };
        match name.as_str() {
            "INPUT" => options.input = Some(value.to_string()),
            "PATH" => options.path = Some(string_literal(value, "PATH")?),
            "OUTER" => options.outer = bool_literal(value, "OUTER")?,
            "RECURSIVE" => options.recursive = bool_literal(value, "RECURSIVE")?,
            "MODE" => {
                options.mode = match string_literal(value, "MODE")?.to_uppercase().as_str() {
                    "BOTH" => Mode::Both,
                    "OBJECT" => Mode::Object,
                    "ARRAY" => Mode::Array,
                    other => return Err(invalid(&format!("invalid MODE '{other}'"))),
                }
            }
            other => return Err(invalid(&format!("unknown argument {other}"))),
        }
    }
    if options.input.is_none() {
        return Err(invalid("INPUT is required"));
    }
    Ok(options)
}

fn invalid(detail: &str) -> SfError {
    SfError::new(
        "002141",
        "42601",
        format!("SQL compilation error:\ninvalid argument for table function FLATTEN: {detail}"),
    )
}

fn string_literal(expr: &Expr, name: &str) -> SfResult<String> {
    match expr {
        Expr::Value(v) => match &v.value {
            Value::SingleQuotedString(s) => Ok(s.clone()),
            _ => Err(invalid(&format!("{name} must be a string constant"))),
        },
        _ => Err(invalid(&format!("{name} must be a string constant"))),
    }
}

fn bool_literal(expr: &Expr, name: &str) -> SfResult<bool> {
    match expr {
        Expr::Value(v) => match &v.value {
            Value::Boolean(b) => Ok(*b),
            _ => Err(invalid(&format!("{name} must be TRUE or FALSE"))),
        },
        _ => Err(invalid(&format!("{name} must be TRUE or FALSE"))),
    }
}

/// A Snowflake path (`a.b[0]`) as a JSON path (`$.a.b[0]`).
fn json_path(path: Option<&str>) -> String {
    match path {
        None | Some("") => "$".into(),
        Some(p) if p.starts_with('[') => format!("${p}"),
        Some(p) => format!("$.{p}"),
    }
}

fn subquery(options: &Options) -> SfResult<String> {
    let input = options.input.as_deref().unwrap_or("NULL");
    let path = options.path.as_deref().unwrap_or("");
    let root = json_path(Some(path)).replace('\'', "''");
    // The value at PATH. It is repeated rather than computed in an inner subquery: a
    // lateral join there would not keep the elements in order.
    let value = format!("json_extract(CAST({input} AS JSON), '{root}')");
    let walker = if options.recursive {
        "json_tree"
    } else {
        "json_each"
    };
    let modes = match options.mode {
        Mode::Both => "('ARRAY', 'OBJECT')",
        Mode::Object => "('OBJECT')",
        Mode::Array => "('ARRAY')",
    };
    // Whether the value has elements to flatten. OUTER walks a one-element stand-in for a
    // value without any and reports that row with NULLs.
    let has = if options.outer {
        format!(
            "coalesce(json_type({value}) IN {modes} AND (CASE json_type({value}) WHEN 'ARRAY' \
             THEN json_array_length({value}) > 0 ELSE len(json_keys({value})) > 0 END), FALSE)"
        )
    } else {
        "TRUE".into()
    };
    let walked = if options.outer {
        format!("CASE WHEN {has} THEN {value} ELSE CAST('[null]' AS JSON) END")
    } else {
        value.clone()
    };
    let container = format!("json_type(json_extract({value}, j.path))");
    let when_has = |sql: &str| format!("CASE WHEN {has} THEN {sql} END");
    let columns = [
        format!("CAST(hash(CAST({input} AS VARCHAR)) % 1000000007 AS BIGINT) AS \"SEQ\""),
        format!(
            "{} AS \"KEY\"",
            when_has(&format!("CASE WHEN {container} = 'OBJECT' THEN j.key END"))
        ),
        // json_each's full key is `$` then `.key` / `[n]` steps; Snowflake's PATH is the
        // same steps after the PATH argument, without the `$` and a leading dot.
        format!(
            "{} AS \"PATH\"",
            when_has(&format!(
                "regexp_replace('{}' || substr(j.fullkey, 2), '^[.]', '')",
                path.replace('\'', "''")
            ))
        ),
        format!(
            "{} AS \"INDEX\"",
            when_has(&format!(
                "CASE WHEN {container} = 'ARRAY' THEN CAST(j.key AS BIGINT) END"
            ))
        ),
        format!("{} AS \"VALUE\"", when_has("j.value")),
        format!("CASE WHEN {has} THEN json_extract({value}, j.path) ELSE {value} END AS \"THIS\""),
    ];
    // json_tree also yields the root; Snowflake's elements are strictly below it.
    Ok(format!(
        "SELECT {} FROM {walker}({walked}) AS j \
         WHERE NOT ({has}) OR (j.fullkey <> '$' AND {container} IN {modes})",
        columns.join(", ")
    ))
}

fn alias_sql(alias: Option<&TableAlias>) -> String {
    alias.map(|a| format!("AS {a}")).unwrap_or_default()
}
