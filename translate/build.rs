//! Lists the candidate function names of the rewriter's sources (`src/rewrite/functions/*.rs`):
//! the upper-case string literals standing alone, like `"NAME" =>` or `| "NAME"`. At run time
//! `rewrite::functions::names` keeps those `is_known` accepts, so SHOW FUNCTIONS and the
//! function list of docs/compatibility.md come from the one place the mapping is written.

use std::collections::BTreeSet;
use std::path::Path;

fn main() {
    let dir = Path::new("src/rewrite/functions");
    println!("cargo:rerun-if-changed={}", dir.display());
    let mut names = BTreeSet::new();
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .expect("the functions directory")
        .map(|e| e.expect("a directory entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "rs"))
        .collect();
    entries.sort();
    for path in entries {
        println!("cargo:rerun-if-changed={}", path.display());
        let text = std::fs::read_to_string(&path).expect("a readable source");
        names.extend(candidates(&text));
    }
    let list: Vec<String> = names.iter().map(|n| format!("{n:?}")).collect();
    let out = Path::new(&std::env::var("OUT_DIR").expect("OUT_DIR")).join("function_candidates.rs");
    std::fs::write(out, format!("&[{}]\n", list.join(", "))).expect("writable OUT_DIR");
}

fn candidates(text: &str) -> Vec<String> {
    let bytes = text.as_bytes();
    let mut found = Vec::new();
    for (open, _) in text.match_indices('"') {
        let before = open.checked_sub(1).map(|i| bytes[i]);
        if !matches!(before, Some(b' ' | b'|' | b'(' | b'\t' | b'\n')) {
            continue;
        }
        let rest = &text[open + 1..];
        let Some(close) = rest.find('"') else {
            continue;
        };
        let literal = &rest[..close];
        let after = rest.as_bytes().get(close + 1);
        let is_name = matches!(after, Some(b' ' | b',' | b')' | b'\n'))
            && literal.starts_with(|c: char| c.is_ascii_uppercase())
            && literal
                .chars()
                .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_');
        if is_name {
            found.push(literal.to_string());
        }
    }
    found
}
