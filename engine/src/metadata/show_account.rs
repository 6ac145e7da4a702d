//! SHOW WAREHOUSES / ROLES / USERS / FUNCTIONS. Mockhaus has no warehouses, roles or users of
//! its own yet (the control plane will hold them): these list what the session knows (the
//! warehouse and user it logged in with, the system roles and its role) in Snowflake's column
//! sets, and the built-in functions the rewriter emulates.

use super::listing::{number, text, yes_no, Col, Listing, NameFilter};
use super::{created_on, OWNER};
use crate::result::{Cell, QueryResult, StatementKind};
use crate::session::Session;

/// The roles every Snowflake account has.
const SYSTEM_ROLES: &[&str] = &[
    "ACCOUNTADMIN",
    "PUBLIC",
    "SECURITYADMIN",
    "SYSADMIN",
    "USERADMIN",
];

pub(crate) fn warehouses(session: &Session, names: &NameFilter) -> QueryResult {
    let mut listing = Listing::new(&[
        ("name", Col::Text),
        ("state", Col::Text),
        ("type", Col::Text),
        ("size", Col::Text),
        ("min_cluster_count", Col::Number),
        ("max_cluster_count", Col::Number),
        ("started_clusters", Col::Number),
        ("running", Col::Number),
        ("queued", Col::Number),
        ("is_default", Col::Text),
        ("is_current", Col::Text),
        ("auto_suspend", Col::Number),
        ("auto_resume", Col::Text),
        ("available", Col::Text),
        ("provisioning", Col::Text),
        ("quiescing", Col::Text),
        ("other", Col::Text),
        ("created_on", Col::Timestamp),
        ("resumed_on", Col::Timestamp),
        ("updated_on", Col::Timestamp),
        ("owner", Col::Text),
        ("comment", Col::Text),
        ("enable_query_acceleration", Col::Text),
        ("query_acceleration_max_scale_factor", Col::Number),
        ("resource_monitor", Col::Text),
        ("scaling_policy", Col::Text),
        ("owner_role_type", Col::Text),
    ]);
    let current: Vec<String> = session.state().warehouse.iter().cloned().collect();
    for name in names.apply(current, |n| n) {
        listing.push(vec![
            text(&name),
            text("STARTED"),
            text("STANDARD"),
            text("X-Small"),
            number(1),
            number(1),
            number(1),
            number(0),
            number(0),
            yes_no(true),
            yes_no(true),
            number(600),
            text("true"),
            text(""),
            text(""),
            text(""),
            text(""),
            created_on(session, None),
            created_on(session, None),
            created_on(session, None),
            text(OWNER),
            text(""),
            text("false"),
            number(8),
            text("null"),
            text("STANDARD"),
            text("ROLE"),
        ]);
    }
    listing.finish(StatementKind::Show)
}

pub(crate) fn roles(session: &Session, names: &NameFilter) -> QueryResult {
    let mut listing = Listing::new(&[
        ("created_on", Col::Timestamp),
        ("name", Col::Text),
        ("is_default", Col::Text),
        ("is_current", Col::Text),
        ("is_inherited", Col::Text),
        ("assigned_to_users", Col::Number),
        ("granted_to_roles", Col::Number),
        ("granted_roles", Col::Number),
        ("owner", Col::Text),
        ("comment", Col::Text),
        ("owner_role_type", Col::Text),
    ]);
    let current = session.state().role.to_uppercase();
    let mut roles: Vec<String> = SYSTEM_ROLES.iter().map(|r| r.to_string()).collect();
    if !roles.contains(&current) {
        roles.push(current.clone());
        roles.sort();
    }
    for name in names.apply(roles, |n| n) {
        let is_current = name == current;
        listing.push(vec![
            created_on(session, None),
            text(&name),
            yes_no(is_current),
            yes_no(is_current),
            yes_no(false),
            number(i64::from(is_current)),
            number(0),
            number(0),
            text(if name == "ACCOUNTADMIN" { "" } else { OWNER }),
            text(""),
            text(if name == "ACCOUNTADMIN" { "" } else { "ROLE" }),
        ]);
    }
    listing.finish(StatementKind::Show)
}

pub(crate) fn users(session: &Session, names: &NameFilter) -> QueryResult {
    let mut listing = Listing::new(&[
        ("name", Col::Text),
        ("created_on", Col::Timestamp),
        ("login_name", Col::Text),
        ("display_name", Col::Text),
        ("first_name", Col::Text),
        ("last_name", Col::Text),
        ("email", Col::Text),
        ("mins_to_unlock", Col::Text),
        ("days_to_expiry", Col::Text),
        ("comment", Col::Text),
        ("disabled", Col::Text),
        ("must_change_password", Col::Text),
        ("snowflake_lock", Col::Text),
        ("default_warehouse", Col::Text),
        ("default_namespace", Col::Text),
        ("default_role", Col::Text),
        ("default_secondary_roles", Col::Text),
        ("ext_authn_duo", Col::Text),
        ("ext_authn_uid", Col::Text),
        ("mins_to_bypass_mfa", Col::Text),
        ("owner", Col::Text),
        ("last_success_login", Col::Timestamp),
        ("expires_at_time", Col::Timestamp),
        ("locked_until_time", Col::Timestamp),
        ("has_password", Col::Text),
        ("has_rsa_public_key", Col::Text),
        ("type", Col::Text),
        ("has_mfa", Col::Text),
    ]);
    let state = session.state();
    let user = state.user.to_uppercase();
    for name in names.apply(vec![user], |n| n) {
        listing.push(vec![
            text(&name),
            created_on(session, None),
            text(&name),
            text(&name),
            Cell::Null,
            Cell::Null,
            Cell::Null,
            Cell::Null,
            Cell::Null,
            Cell::Null,
            text("false"),
            text("false"),
            text("false"),
            text(state.warehouse.clone().unwrap_or_default()),
            text(state.database.clone().unwrap_or_default()),
            text(&state.role),
            Cell::Null,
            text("false"),
            text(""),
            Cell::Null,
            text(OWNER),
            created_on(session, None),
            Cell::Null,
            Cell::Null,
            text("true"),
            text("false"),
            Cell::Null,
            text("false"),
        ]);
    }
    listing.finish(StatementKind::Show)
}

/// Snowflake's aggregate functions among those emulated.
const AGGREGATES: &[&str] = &[
    "ANY_VALUE",
    "APPROX_COUNT_DISTINCT",
    "APPROX_PERCENTILE",
    "ARRAY_AGG",
    "ARRAY_UNIQUE_AGG",
    "AVG",
    "BITAND_AGG",
    "BITOR_AGG",
    "BITXOR_AGG",
    "BOOLAND_AGG",
    "BOOLOR_AGG",
    "BOOLXOR_AGG",
    "CORR",
    "COUNT",
    "COUNT_IF",
    "COVAR_POP",
    "COVAR_SAMP",
    "GROUPING",
    "GROUPING_ID",
    "HASH_AGG",
    "HLL",
    "KURTOSIS",
    "LISTAGG",
    "MAX",
    "MAX_BY",
    "MEDIAN",
    "MIN",
    "MIN_BY",
    "MODE",
    "OBJECT_AGG",
    "PERCENTILE_CONT",
    "PERCENTILE_DISC",
    "REGR_AVGX",
    "REGR_AVGY",
    "REGR_COUNT",
    "REGR_INTERCEPT",
    "REGR_R2",
    "REGR_SLOPE",
    "REGR_SXX",
    "REGR_SXY",
    "REGR_SYY",
    "SKEW",
    "STDDEV",
    "STDDEV_POP",
    "STDDEV_SAMP",
    "SUM",
    "VARIANCE",
    "VARIANCE_POP",
    "VARIANCE_SAMP",
    "VAR_POP",
    "VAR_SAMP",
];

const TABLE_FUNCTIONS: &[&str] = &["FLATTEN", "GENERATOR", "RESULT_SCAN"];

/// SHOW FUNCTIONS: the built-in functions Mockhaus emulates. Their argument signatures are
/// not recorded: `arguments` is the bare name with `()`, the counts 0.
/// SHOW FUNCTIONS' and SHOW USER FUNCTIONS' columns.
pub(crate) const FUNCTION_COLUMNS: &[(&str, Col)] = &[
    ("created_on", Col::Timestamp),
    ("name", Col::Text),
    ("schema_name", Col::Text),
    ("is_builtin", Col::Text),
    ("is_aggregate", Col::Text),
    ("is_ansi", Col::Text),
    ("min_num_arguments", Col::Number),
    ("max_num_arguments", Col::Number),
    ("arguments", Col::Text),
    ("description", Col::Text),
    ("catalog_name", Col::Text),
    ("is_table_function", Col::Text),
    ("valid_for_clustering", Col::Text),
    ("is_secure", Col::Text),
    ("secrets", Col::Text),
    ("external_access_integrations", Col::Text),
    ("is_external_function", Col::Text),
    ("language", Col::Text),
    ("is_memoizable", Col::Text),
    ("is_data_metric", Col::Text),
];

/// A SHOW FUNCTIONS row for each built-in function, with its name.
pub(crate) fn builtin_function_rows(session: &Session) -> Vec<(String, Vec<Cell>)> {
    let mut rows = Vec::new();
    for name in crate::rewrite::functions::names() {
        let row = function_row(
            session,
            FunctionRow {
                name,
                schema: "",
                catalog: "",
                builtin: true,
                aggregate: AGGREGATES.contains(&name),
                table: TABLE_FUNCTIONS.contains(&name),
                secure: false,
                arguments: 0,
                signature: format!("{name}()"),
                description: "",
            },
        );
        rows.push((name.to_string(), row));
    }
    rows
}

/// What a SHOW FUNCTIONS / SHOW USER FUNCTIONS row says of one function.
pub(crate) struct FunctionRow<'a> {
    pub name: &'a str,
    pub schema: &'a str,
    pub catalog: &'a str,
    pub builtin: bool,
    pub aggregate: bool,
    pub table: bool,
    pub secure: bool,
    /// Its number of arguments (min and max: overloads are not listed apart).
    pub arguments: i64,
    /// `NAME(TYPES) RETURN TYPE`.
    pub signature: String,
    pub description: &'a str,
}

pub(crate) fn function_row(session: &Session, f: FunctionRow<'_>) -> Vec<Cell> {
    vec![
        created_on(session, None),
        text(f.name),
        text(f.schema),
        yes_no(f.builtin),
        yes_no(f.aggregate),
        yes_no(false),
        number(f.arguments),
        number(f.arguments),
        text(f.signature),
        text(f.description),
        text(f.catalog),
        yes_no(f.table),
        yes_no(false),
        yes_no(f.secure),
        Cell::Null,
        Cell::Null,
        yes_no(false),
        text("SQL"),
        yes_no(false),
        yes_no(false),
    ]
}
