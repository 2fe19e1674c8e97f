/// The storage type of a column. Dates are whole days since 1970-01-01 (an INTEGER), datetimes
/// are seconds since 1970-01-01T00:00:00Z (an INTEGER): range predicates and day arithmetic are
/// integer comparisons that indexes serve directly.
public enum ColumnType: String, Sendable {
    case integer, real, text, date, datetime

    var sqlType: String {
        switch self {
        case .integer, .date, .datetime: return "INTEGER"
        case .real: return "REAL"
        case .text: return "TEXT"
        }
    }
}

/// One column of a store table.
public struct Column: Sendable {
    public var name: String
    public var type: ColumnType
    public var notNull: Bool

    public init(_ name: String, _ type: ColumnType, notNull: Bool = false) {
        self.name = name
        self.type = type
        self.notNull = notNull
    }
}

/// A secondary index.
public struct IndexSchema: Sendable {
    public var name: String
    public var columns: [String]
}

/// A table of the store: its columns, primary key and indexes.
public struct TableSchema: Sendable {
    public var name: String
    public var columns: [Column]
    public var primaryKey: [String]
    public var indexes: [IndexSchema]
    /// True for tables that hold events of a person (they carry `person_id` and `import_id`).
    public var isClinical: Bool
    /// The date a row happens on (an event's start), for windows, date ranges and periods.
    public var eventDate: String?

    public init(name: String, columns: [Column], primaryKey: [String], indexes: [IndexSchema] = [], isClinical: Bool = false,
                eventDate: String? = nil) {
        self.name = name
        self.columns = columns
        self.primaryKey = primaryKey
        self.indexes = indexes
        self.isClinical = isClinical
        self.eventDate = eventDate
    }

    public func index(of column: String) -> Int? {
        columns.firstIndex { $0.name == column }
    }

    public var createSQL: String {
        var parts = columns.map { column in
            "\(column.name) \(column.type.sqlType)\(column.notNull ? " NOT NULL" : "")"
        }
        if !primaryKey.isEmpty {
            parts.append("PRIMARY KEY (\(primaryKey.joined(separator: ", ")))")
        }
        return "CREATE TABLE IF NOT EXISTS \(name) (\n  \(parts.joined(separator: ",\n  "))\n)"
    }

    public var createIndexesSQL: [String] {
        indexes.map { "CREATE INDEX IF NOT EXISTS \($0.name) ON \(name) (\($0.columns.joined(separator: ", ")))" }
    }

    public var dropIndexesSQL: [String] {
        indexes.map { "DROP INDEX IF EXISTS \($0.name)" }
    }

    /// `INSERT OR IGNORE` of every column, in column order.
    public var insertSQL: String {
        let names = columns.map(\.name).joined(separator: ", ")
        let marks = Array(repeating: "?", count: columns.count).joined(separator: ", ")
        return "INSERT OR IGNORE INTO \(name) (\(names)) VALUES (\(marks))"
    }
}
