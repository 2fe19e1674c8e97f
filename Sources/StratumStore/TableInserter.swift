/// Inserts rows into one table through a prepared `INSERT OR IGNORE`, binding by column index.
/// Columns not set for a row are NULL. A row whose primary key already exists is counted as a
/// duplicate and left as it was (the first one wins).
public final class TableInserter {
    public let schema: TableSchema
    let statement: Statement
    let database: Database
    private let importIDColumn: Int?
    private let importID: Int64?
    public private(set) var inserted = 0
    public private(set) var duplicates = 0

    init(database: Database, schema: TableSchema, importID: Int64?) throws {
        self.database = database
        self.schema = schema
        self.statement = try database.prepare(schema.insertSQL)
        self.importIDColumn = schema.index(of: "import_id")
        self.importID = importID
    }

    /// The index of a column; traps on a name the schema lacks (a programming error).
    public func column(_ name: String) -> Int {
        guard let index = schema.index(of: name) else {
            preconditionFailure("\(schema.name) has no column \(name)")
        }
        return index
    }

    @inline(__always) public func set(_ index: Int, _ value: Int64?) { statement.bind(value, at: index) }
    @inline(__always) public func set(_ index: Int, _ value: Int?) { statement.bind(value.map(Int64.init), at: index) }
    @inline(__always) public func set(_ index: Int, _ value: Double?) { statement.bind(value, at: index) }
    @inline(__always) public func set(_ index: Int, _ value: String?) { statement.bind(value, at: index) }
    @inline(__always) public func set(_ index: Int, _ value: SQLValue) { statement.bind(value, at: index) }
    @inline(__always) public func setText(_ index: Int, _ bytes: UnsafeRawBufferPointer) { statement.bindText(bytes, at: index) }

    /// Takes back the duplicate counted for the last row, which the caller then stored another way.
    public func forgiveDuplicate() { duplicates -= 1 }

    /// Counts rows a post pass inserted with SQL.
    public func addInserted(_ count: Int) { inserted += count }

    /// Inserts the bound row and clears the bindings for the next one.
    @discardableResult
    public func insert() throws -> Bool {
        if let importIDColumn { statement.bind(importID, at: importIDColumn) }
        try statement.executeAndReset()
        let added = database.changes > 0
        if added { inserted += 1 } else { duplicates += 1 }
        statement.clearBindings()
        return added
    }
}
