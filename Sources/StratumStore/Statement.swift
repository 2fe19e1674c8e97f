import CSQLite

private let SQLITE_TRANSIENT = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

/// A prepared statement. Values are bound by position (1-based in SQLite, 0-based here).
public final class Statement {
    let handle: OpaquePointer
    unowned let database: Database
    public let sql: String

    init(database: Database, sql: String) throws {
        var statement: OpaquePointer?
        let rc = sqlite3_prepare_v3(database.handle, sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &statement, nil)
        guard rc == SQLITE_OK, let statement else {
            throw StoreError(code: rc, message: database.lastErrorMessage, sql: sql)
        }
        self.handle = statement
        self.database = database
        self.sql = sql
    }

    deinit { sqlite3_finalize(handle) }

    public var parameterCount: Int { Int(sqlite3_bind_parameter_count(handle)) }
    public var columnCount: Int { Int(sqlite3_column_count(handle)) }

    public func reset() {
        sqlite3_reset(handle)
        sqlite3_clear_bindings(handle)
    }

    /// Sets every parameter back to NULL.
    @inline(__always) public func clearBindings() {
        sqlite3_clear_bindings(handle)
    }

    public func bind(_ values: [SQLValue]) throws {
        for (index, value) in values.enumerated() { bind(value, at: index) }
    }

    @inline(__always)
    public func bind(_ value: SQLValue, at index: Int) {
        switch value {
        case .null: bindNull(at: index)
        case .integer(let v): bind(v, at: index)
        case .real(let v): bind(v, at: index)
        case .text(let v): bind(v, at: index)
        }
    }

    @inline(__always) public func bindNull(at index: Int) {
        sqlite3_bind_null(handle, Int32(index + 1))
    }

    @inline(__always) public func bind(_ value: Int64, at index: Int) {
        sqlite3_bind_int64(handle, Int32(index + 1), value)
    }

    @inline(__always) public func bind(_ value: Int64?, at index: Int) {
        if let value { bind(value, at: index) } else { bindNull(at: index) }
    }

    @inline(__always) public func bind(_ value: Double, at index: Int) {
        sqlite3_bind_double(handle, Int32(index + 1), value)
    }

    @inline(__always) public func bind(_ value: Double?, at index: Int) {
        if let value { bind(value, at: index) } else { bindNull(at: index) }
    }

    @inline(__always) public func bind(_ value: String, at index: Int) {
        var value = value
        value.withUTF8 { buffer in bindText(UnsafeRawBufferPointer(buffer), at: index) }
    }

    @inline(__always) public func bind(_ value: String?, at index: Int) {
        if let value { bind(value, at: index) } else { bindNull(at: index) }
    }

    /// Binds UTF-8 bytes as text without building a String.
    @inline(__always) public func bindText(_ bytes: UnsafeRawBufferPointer, at index: Int) {
        if let base = bytes.baseAddress {
            sqlite3_bind_text(handle, Int32(index + 1), base.assumingMemoryBound(to: CChar.self), Int32(bytes.count), SQLITE_TRANSIENT)
        } else {
            sqlite3_bind_text(handle, Int32(index + 1), "", 0, SQLITE_TRANSIENT)
        }
    }

    /// Steps once; returns true while a row is available.
    @discardableResult
    public func step() throws -> Bool {
        let rc = sqlite3_step(handle)
        switch rc {
        case SQLITE_ROW: return true
        case SQLITE_DONE: return false
        default:
            let error = StoreError(code: rc, message: database.lastErrorMessage, sql: sql)
            sqlite3_reset(handle)
            throw error
        }
    }

    /// Executes a statement that returns no rows, then resets it for reuse (bindings kept until rebound).
    @inline(__always)
    public func executeAndReset() throws {
        let rc = sqlite3_step(handle)
        if rc != SQLITE_DONE && rc != SQLITE_ROW {
            let error = StoreError(code: rc, message: database.lastErrorMessage, sql: sql)
            sqlite3_reset(handle)
            throw error
        }
        sqlite3_reset(handle)
    }

    public func columnName(_ index: Int) -> String {
        String(cString: sqlite3_column_name(handle, Int32(index)))
    }

    public func value(at index: Int) -> SQLValue {
        let i = Int32(index)
        switch sqlite3_column_type(handle, i) {
        case SQLITE_INTEGER: return .integer(sqlite3_column_int64(handle, i))
        case SQLITE_FLOAT: return .real(sqlite3_column_double(handle, i))
        case SQLITE_NULL: return .null
        default:
            guard let text = sqlite3_column_text(handle, i) else { return .null }
            return .text(String(cString: text))
        }
    }

    public func row() -> Row {
        let count = columnCount
        return Row(columns: (0..<count).map(columnName), values: (0..<count).map(value(at:)))
    }
}
