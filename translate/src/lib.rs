//! Snowflake SQL → DuckDB SQL, with no DuckDB inside: parsing (sqlparser's Snowflake
//! dialect), the rewrite family by family, Snowflake's type system and error type.
//!
//! It is its own crate so that what reads tenant text first can be compiled and fuzzed
//! without DuckDB's C++ (`fuzz/`); the engine re-exports it.

pub mod error;
pub mod offsets;
pub mod query_history;
pub mod rewrite;
pub mod types;

/// The Snowflake version Mockhaus reports (CURRENT_VERSION(), login `serverVersion`).
pub const SNOWFLAKE_VERSION: &str = "9.0.0";

/// The region CURRENT_REGION() reports: where a Snowflake account whose locator names no
/// region lives (AWS US West, Oregon).
pub const SNOWFLAKE_REGION: &str = "AWS_US_WEST_2";
