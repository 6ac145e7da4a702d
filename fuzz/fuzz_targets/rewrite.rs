//! Any text a tenant sends goes through the statement splitter, the parser and the rewrite
//! without a panic: it either becomes DuckDB SQL or a Snowflake error.
#![no_main]

use libfuzzer_sys::fuzz_target;
use translate::rewrite::{self, FunctionContext};

fuzz_target!(|data: &[u8]| {
    let Ok(sql) = std::str::from_utf8(data) else {
        return;
    };
    let ctx = FunctionContext::standalone("FUZZ", "FUZZ", Some("DB"), Some("PUBLIC"));
    for piece in rewrite::split_statements(sql) {
        let Ok(statements) = rewrite::parse(&piece) else {
            continue;
        };
        for mut statement in statements {
            let _ = rewrite::rewrite(&mut statement, &piece, &ctx);
            // The rewritten statement is printed for DuckDB.
            let _ = statement.to_string();
        }
    }
    let _ = rewrite::locate_identifier(sql, "X");
});
