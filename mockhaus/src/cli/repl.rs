//! `mockhaus repl`: an interactive shell with history; a statement runs once a line ends
//! with `;`, so statements may span lines.

use rustyline::error::ReadlineError;
use rustyline::DefaultEditor;

use super::table;

pub fn run(server: Option<String>) -> anyhow::Result<()> {
    let target = server.clone().unwrap_or_else(|| "memory".into());
    let mut conn = super::connect(server)?;
    let mut editor = DefaultEditor::new()?;
    let history = std::env::var_os("HOME")
        .map(|home| std::path::PathBuf::from(home).join(".mockhaus_history"));
    if let Some(path) = &history {
        let _ = editor.load_history(path);
    }
    println!("Mockhaus shell on {target}. End statements with ';'. Type 'exit' or press Ctrl-D to leave.");
    let mut buffer = String::new();
    loop {
        let prompt = if buffer.is_empty() {
            "mockhaus> "
        } else {
            "      ..> "
        };
        match editor.readline(prompt) {
            Ok(line) => {
                if buffer.is_empty()
                    && matches!(line.trim().to_lowercase().as_str(), "exit" | "quit" | "\\q")
                {
                    break;
                }
                buffer.push_str(&line);
                buffer.push('\n');
                if line.trim_end().ends_with(';') {
                    let _ = editor.add_history_entry(buffer.trim());
                    run_buffer(&mut conn, &buffer);
                    buffer.clear();
                }
            }
            Err(ReadlineError::Interrupted) => buffer.clear(),
            Err(ReadlineError::Eof) => break,
            Err(e) => return Err(e.into()),
        }
    }
    if let Some(path) = &history {
        let _ = editor.save_history(path);
    }
    Ok(())
}

fn run_buffer(conn: &mut mockhaus::Connection, buffer: &str) {
    for statement in engine::rewrite::split_statements(buffer) {
        match conn.execute(&statement) {
            Ok(rows) => println!("{}", table::render(&rows)),
            Err(e) => println!("{e}"),
        }
    }
}
