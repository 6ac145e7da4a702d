//! REGEXP_SUBSTR / INSTR / COUNT / REPLACE / LIKE / SUBSTR_ALL with Snowflake's optional
//! arguments: position (1-based), occurrence (1-based; 0 replaces every match), the
//! parameters string (`c` case-sensitive, `i` case-insensitive, `m` multi-line, `s` dot
//! matches newline, `e` extract a group) and the group number. Arguments arrive as text.

use std::cell::RefCell;

use regex::{Regex, RegexBuilder};

type Row = Result<Option<String>, String>;

thread_local! {
    /// The last compiled pattern: a column is nearly always matched against one pattern.
    static LAST: RefCell<Option<(String, String, Regex)>> = const { RefCell::new(None) };
}

fn compiled(pattern: &str, params: &str) -> Result<Regex, String> {
    LAST.with(|last| {
        if let Some((p, f, re)) = &*last.borrow() {
            if p == pattern && f == params {
                return Ok(re.clone());
            }
        }
        let mut builder = RegexBuilder::new(pattern);
        for flag in params.chars() {
            match flag {
                'c' => builder.case_insensitive(false),
                'i' => builder.case_insensitive(true),
                'm' => builder.multi_line(true),
                's' => builder.dot_matches_new_line(true),
                'e' => &mut builder,
                other => return Err(format!("Invalid regular expression parameter '{other}'")),
            };
        }
        let re = builder
            .build()
            .map_err(|e| format!("Invalid regular expression: '{pattern}', {e}"))?;
        *last.borrow_mut() = Some((pattern.into(), params.into(), re.clone()));
        Ok(re)
    })
}

fn number(text: &str, what: &str) -> Result<usize, String> {
    text.trim()
        .parse::<f64>()
        .ok()
        .filter(|n| *n >= 0.0)
        .map(|n| n as usize)
        .ok_or_else(|| format!("Invalid {what} '{text}'"))
}

/// The byte offset of the 1-based character `position`.
fn start_offset(subject: &str, position: &str) -> Result<usize, String> {
    let position = number(position, "position")?.max(1);
    Ok(subject
        .char_indices()
        .nth(position - 1)
        .map_or(subject.len(), |(i, _)| i))
}

fn char_position(subject: &str, byte: usize) -> usize {
    subject[..byte].chars().count() + 1
}

fn all_args<const N: usize>(args: &[Option<String>]) -> Option<[&str; N]> {
    let mut out = [""; N];
    for (slot, arg) in out.iter_mut().zip(args) {
        *slot = arg.as_deref()?;
    }
    Some(out)
}

/// The occurrence-th match (or its group) in `subject` from byte `start`, with offsets
/// relative to `start`.
fn nth_match<'s>(
    re: &Regex,
    subject: &'s str,
    start: usize,
    occurrence: usize,
    group: usize,
) -> Option<regex::Match<'s>> {
    re.captures_iter(&subject[start..])
        .nth(occurrence.max(1) - 1)
        .and_then(|c| c.get(group))
}

fn group_of(params: &str, group: &str) -> Result<usize, String> {
    let group = number(group, "group number")?;
    Ok(if group == 0 && params.contains('e') {
        1
    } else {
        group
    })
}

/// (subject, pattern, position, occurrence, parameters, group)
pub fn substr(args: &[Option<String>]) -> Row {
    let Some([subject, pattern, position, occurrence, params, group]) = all_args(args) else {
        return Ok(None);
    };
    let re = compiled(pattern, params)?;
    let start = start_offset(subject, position)?;
    let occurrence = number(occurrence, "occurrence")?;
    let group = group_of(params, group)?;
    Ok(nth_match(&re, subject, start, occurrence, group).map(|m| m.as_str().to_string()))
}

/// (subject, pattern, position, occurrence, option, parameters, group): the 1-based character
/// position of the match (option 0) or just after it (option 1); 0 when there is none.
pub fn instr(args: &[Option<String>]) -> Row {
    let Some([subject, pattern, position, occurrence, option, params, group]) = all_args(args)
    else {
        return Ok(None);
    };
    let re = compiled(pattern, params)?;
    let start = start_offset(subject, position)?;
    let occurrence = number(occurrence, "occurrence")?;
    let group = group_of(params, group)?;
    let after = number(option, "option")? == 1;
    let found = nth_match(&re, subject, start, occurrence, group).map(|m| {
        let byte = start + if after { m.end() } else { m.start() };
        char_position(subject, byte)
    });
    Ok(Some(found.unwrap_or(0).to_string()))
}

/// (subject, pattern, position, parameters)
pub fn count(args: &[Option<String>]) -> Row {
    let Some([subject, pattern, position, params]) = all_args(args) else {
        return Ok(None);
    };
    let re = compiled(pattern, params)?;
    let start = start_offset(subject, position)?;
    Ok(Some(re.find_iter(&subject[start..]).count().to_string()))
}

/// (subject, pattern, replacement, position, occurrence, parameters); `\1` in the
/// replacement is the first group, occurrence 0 replaces every match.
pub fn replace(args: &[Option<String>]) -> Row {
    let Some([subject, pattern, replacement, position, occurrence, params]) = all_args(args) else {
        return Ok(None);
    };
    let re = compiled(pattern, params)?;
    let start = start_offset(subject, position)?;
    let occurrence = number(occurrence, "occurrence")?;
    let replacement = backreferences(replacement);
    let (head, tail) = subject.split_at(start);
    let mut out = String::from(head);
    let mut last = 0;
    for (i, caps) in re.captures_iter(tail).enumerate() {
        if occurrence != 0 && i + 1 != occurrence {
            continue;
        }
        let m = caps.get(0).expect("group 0 is the match");
        out.push_str(&tail[last..m.start()]);
        caps.expand(&replacement, &mut out);
        last = m.end();
        if occurrence != 0 {
            break;
        }
    }
    out.push_str(&tail[last..]);
    Ok(Some(out))
}

/// Snowflake's `\N` group references as the regex crate's `${N}`; a literal `$` stays one.
fn backreferences(replacement: &str) -> String {
    let mut out = String::with_capacity(replacement.len());
    let mut chars = replacement.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' if chars.peek().is_some_and(char::is_ascii_digit) => {
                out.push_str("${");
                out.push(chars.next().expect("peeked"));
                out.push('}');
            }
            '$' => out.push_str("$$"),
            other => out.push(other),
        }
    }
    out
}

/// (subject, pattern, parameters): the whole subject must match.
pub fn like(args: &[Option<String>]) -> Row {
    let Some([subject, pattern, params]) = all_args(args) else {
        return Ok(None);
    };
    let re = compiled(&format!("^(?:{pattern})$"), params)?;
    Ok(Some(re.is_match(subject).to_string()))
}

/// (subject, pattern, position, occurrence, parameters, group): every match from the
/// occurrence-th on, as a JSON array.
pub fn substr_all(args: &[Option<String>]) -> Row {
    let Some([subject, pattern, position, occurrence, params, group]) = all_args(args) else {
        return Ok(None);
    };
    let re = compiled(pattern, params)?;
    let start = start_offset(subject, position)?;
    let skip = number(occurrence, "occurrence")?.max(1) - 1;
    let group = group_of(params, group)?;
    let found: Vec<&str> = re
        .captures_iter(&subject[start..])
        .skip(skip)
        .filter_map(|c| c.get(group).map(|m| m.as_str()))
        .collect();
    serde_json::to_string(&found)
        .map(Some)
        .map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn call(f: fn(&[Option<String>]) -> Row, args: &[&str]) -> Option<String> {
        let args: Vec<Option<String>> = args.iter().map(|a| Some(a.to_string())).collect();
        f(&args).unwrap()
    }

    #[test]
    fn occurrences_positions_and_groups() {
        let s = "It was the best of times, it was the worst of times";
        assert_eq!(
            call(substr, &[s, "the\\W+\\w+", "1", "2", "c", "0"]).as_deref(),
            Some("the worst")
        );
        assert_eq!(
            call(substr, &[s, "the\\W+(\\w+)", "1", "1", "e", "0"]).as_deref(),
            Some("best")
        );
        assert_eq!(
            call(instr, &[s, "the\\W+\\w+", "1", "2", "1", "c", "0"]).as_deref(),
            Some("43")
        );
        assert_eq!(call(count, &[s, "it", "1", "i"]).as_deref(), Some("2"));
        assert_eq!(
            call(
                replace,
                &[
                    "firstname middlename lastname",
                    "(\\w+) (\\w+) (\\w+)",
                    "\\3, \\1 \\2",
                    "1",
                    "0",
                    "c"
                ]
            )
            .as_deref(),
            Some("lastname, firstname middlename")
        );
        assert_eq!(
            call(replace, &["a1b1c1", "1", "X", "1", "2", "c"]).as_deref(),
            Some("a1bXc1")
        );
        assert_eq!(call(like, &["ABC", "abc", "i"]).as_deref(), Some("true"));
    }
}
