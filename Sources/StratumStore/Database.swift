import CSQLite
import Foundation

/// A connection to a SQLite database file. Not thread-safe: one connection per thread.
public final class Database {
    public let path: String
    let handle: OpaquePointer
    private var statementCache: [String: Statement] = [:]

    /// Opens (creating if needed) the database at `path`.
    public init(path: String, readOnly: Bool = false) throws {
        var db: OpaquePointer?
        let flags = readOnly ? SQLITE_OPEN_READONLY : (SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE)
        let rc = sqlite3_open_v2(path, &db, flags | SQLITE_OPEN_NOMUTEX, nil)
        guard rc == SQLITE_OK, let db else {
            let message = db.map { String(cString: sqlite3_errmsg($0)) } ?? "cannot open"
            if let db { sqlite3_close_v2(db) }
            throw StoreError(code: rc, message: "\(message): \(path)")
        }
        self.path = path
        self.handle = db
        sqlite3_extended_result_codes(db, 1)
        sqlite3_busy_timeout(db, 5000)
    }

    deinit {
        statementCache.removeAll()
        sqlite3_close_v2(handle)
    }

    /// Runs one or more SQL statements that take no arguments.
    public func execute(_ sql: String) throws {
        var errmsg: UnsafeMutablePointer<CChar>?
        let rc = sqlite3_exec(handle, sql, nil, nil, &errmsg)
        if rc != SQLITE_OK {
            let message = errmsg.map { String(cString: $0) } ?? lastErrorMessage
            sqlite3_free(errmsg)
            throw StoreError(code: rc, message: message, sql: sql)
        }
    }

    /// Prepares a statement (not cached).
    public func prepare(_ sql: String) throws -> Statement {
        try Statement(database: self, sql: sql)
    }

    /// A prepared statement kept for the life of the connection, reset before it is returned.
    public func cachedStatement(_ sql: String) throws -> Statement {
        if let statement = statementCache[sql] {
            statement.reset()
            return statement
        }
        let statement = try prepare(sql)
        statementCache[sql] = statement
        return statement
    }

    /// Runs `sql` with `arguments` and returns all rows.
    public func query(_ sql: String, _ arguments: [SQLValue] = []) throws -> [Row] {
        let statement = try cachedStatement(sql)
        try statement.bind(arguments)
        var rows: [Row] = []
        while try statement.step() {
            rows.append(statement.row())
        }
        statement.reset()
        return rows
    }

    /// Runs `sql` with `arguments`, ignoring any rows.
    public func run(_ sql: String, _ arguments: [SQLValue] = []) throws {
        let statement = try cachedStatement(sql)
        try statement.bind(arguments)
        while try statement.step() {}
        statement.reset()
    }

    /// The first column of the first row, if any.
    public func scalar(_ sql: String, _ arguments: [SQLValue] = []) throws -> SQLValue {
        try query(sql, arguments).first?.values.first ?? .null
    }

    /// Runs `body` in a transaction, committing on success and rolling back on error.
    public func transaction<T>(_ body: () throws -> T) throws -> T {
        try execute("BEGIN IMMEDIATE")
        do {
            let result = try body()
            try execute("COMMIT")
            return result
        } catch {
            try? execute("ROLLBACK")
            throw error
        }
    }

    public var changes: Int { Int(sqlite3_changes(handle)) }
    public var lastInsertRowID: Int64 { sqlite3_last_insert_rowid(handle) }
    var lastErrorMessage: String { String(cString: sqlite3_errmsg(handle)) }

    /// Names of the tables in the main schema.
    public func tableNames() throws -> [String] {
        try query("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name").compactMap { $0[0].text }
    }

    /// The SQLite library version.
    public static var sqliteVersion: String { String(cString: sqlite3_libversion()) }
}
