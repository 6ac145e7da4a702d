//! Results as a text table, the way a SQL shell prints them.

use comfy_table::presets::UTF8_FULL_CONDENSED;
use comfy_table::{Cell as TableCell, Table};

pub fn render(rows: &mockhaus::Rows) -> String {
    let mut table = Table::new();
    table.load_preset(UTF8_FULL_CONDENSED);
    table.set_header(rows.columns().iter().map(|c| TableCell::new(&c.name)));
    for row in rows {
        table.add_row(
            row.cells()
                .iter()
                .map(|cell| TableCell::new(rows.display(cell))),
        );
    }
    let count = rows.len();
    format!("{table}\n{count} row{}", if count == 1 { "" } else { "s" })
}
