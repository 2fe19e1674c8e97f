import StratumStore

/// What a query hands back to whoever shows it: a title, column names in order, and rows of
/// SQLite values.
///
/// It is deliberately a plain value (no statement, no store) so that the session can run a query,
/// close its statement, and give the result to the REPL, the notebook kernel or a report writer,
/// each of which renders it its own way (`ResultRenderer`). Column names are a list, not a set:
/// SQL allows two columns with the same name (`SELECT a.id, b.id`) and the order is what the
/// user asked for.
///
/// Rows should have one value per column. Renderers do not trap on ragged rows (a bug upstream
/// should not take the REPL down): a short row is padded with `NULL` and the extra values of a long
/// row are ignored.
public struct ResultTable: Sendable, Equatable {
    /// A caption shown above a text table (for example the cohort or measure name); not part of
    /// CSV, and `"title"` in JSON.
    public var title: String?
    public var columns: [String]
    public var rows: [[SQLValue]]

    public init(title: String? = nil, columns: [String], rows: [[SQLValue]]) {
        self.title = title
        self.columns = columns
        self.rows = rows
    }

    /// The value at `row`, `column`, or `NULL` when the row is shorter than the column list.
    @inlinable
    public func value(row: Int, column: Int) -> SQLValue {
        let values = rows[row]
        return column < values.count ? values[column] : .null
    }
}

/// How a result is written out: `table` for people at a terminal, `csv` and `json` for programs.
///
/// The raw values are the names a user types (`.format csv`, `--format json`).
public enum ResultFormat: String, CaseIterable, Sendable {
    case table, csv, json
}
