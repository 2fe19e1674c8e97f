/// Why one CSV record could not be mapped. The reason names a column, never a value, because
/// it ends up in diagnostics that may be shared beyond the people allowed to see the data.
struct CSVRowError: Error {
    var reason: String

    static func number(_ column: String) -> CSVRowError { CSVRowError(reason: "unparseable number in \(column)") }
    static func date(_ column: String) -> CSVRowError { CSVRowError(reason: "impossible or unparseable date in \(column)") }
    static func missing(_ column: String) -> CSVRowError { CSVRowError(reason: "missing \(column)") }
}
