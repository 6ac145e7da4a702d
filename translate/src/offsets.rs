//! Snowflake reads `'2024-01-15 12:34:56 +05:00'` (a space before the UTC offset, or
//! `+0500`) as a timestamp with an offset; DuckDB only reads `...56+05:00`.

/// DuckDB's spelling of a timestamp literal with an offset, if `text` is one in Snowflake's.
pub fn duckdb_offset_literal(text: &str) -> Option<String> {
    let (stamp, offset) = text.trim().rsplit_once(char::is_whitespace)?;
    let stamp = stamp.trim_end();
    let looks_like_date = stamp.len() >= 10
        && stamp.as_bytes()[4] == b'-'
        && stamp[..4].bytes().all(|b| b.is_ascii_digit());
    let sign = offset.chars().next().filter(|c| *c == '+' || *c == '-')?;
    let digits: String = offset[1..].chars().filter(|c| *c != ':').collect();
    if !looks_like_date
        || !stamp.contains(':')
        || digits.len() != 4
        || !digits.bytes().all(|b| b.is_ascii_digit())
    {
        return None;
    }
    Some(format!("{stamp}{sign}{}:{}", &digits[..2], &digits[2..]))
}
