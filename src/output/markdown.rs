//! Markdown tables: the blocks of the docs generated from a declared table (parameters,
//! mechanisms) or from a result (the validation matrix).

/// A Markdown table: the header row, its rule, then one line per row, each cell as given.
pub fn table(header: &[&str], rows: impl IntoIterator<Item = Vec<String>>) -> String {
    let mut out = line(header);
    out.push('|');
    out.push_str(&"---|".repeat(header.len()));
    out.push('\n');
    for row in rows {
        out.push_str(&line(&row));
    }
    out
}

/// `| a | b |` and a newline.
fn line<S: AsRef<str>>(cells: &[S]) -> String {
    let mut s = String::from("|");
    for c in cells {
        s.push(' ');
        s.push_str(c.as_ref());
        s.push_str(" |");
    }
    s.push('\n');
    s
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_table_has_its_header_its_rule_and_one_line_per_row() {
        let rows = vec![
            vec!["1".to_string(), "x".to_string()],
            vec!["2".into(), "".into()],
        ];
        assert_eq!(
            super::table(&["n", "name"], rows),
            "| n | name |\n|---|---|\n| 1 | x |\n| 2 |  |\n"
        );
    }
}
