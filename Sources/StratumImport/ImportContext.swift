import StratumStore

/// What a format handler needs while it maps records: the store (inside the import's
/// transaction), one inserter per table, diagnostics, and the import's id.
public final class ImportContext {
    public let store: Store
    public let importID: Int64
    public let diagnostics: ImportDiagnostics
    public let source: String
    private var inserters: [String: TableInserter] = [:]
    /// Records read, for progress.
    public var recordsRead = 0

    init(store: Store, importID: Int64, diagnostics: ImportDiagnostics, source: String) {
        self.store = store
        self.importID = importID
        self.diagnostics = diagnostics
        self.source = source
    }

    /// The inserter for a table, created on first use.
    public func inserter(_ table: TableSchema) throws -> TableInserter {
        if let inserter = inserters[table.name] { return inserter }
        let inserter = try store.inserter(for: table, importID: importID)
        inserters[table.name] = inserter
        return inserter
    }

    /// Rows inserted and duplicates ignored, per table touched.
    public var tableCounts: [(table: String, inserted: Int, duplicates: Int)] {
        inserters.values.map { ($0.schema.name, $0.inserted, $0.duplicates) }.sorted { $0.table < $1.table }
    }

    /// Rows inserted into data tables (bookkeeping such as reference aliases not counted).
    public var rowsInserted: Int {
        let dataTables = Set(CDMSchema.dataTables.map(\.name))
        return inserters.values.filter { dataTables.contains($0.schema.name) }.reduce(0) { $0 + $1.inserted }
    }

    /// Adds rows inserted by SQL (post passes) to a table's count.
    public func addInserted(_ table: TableSchema, _ count: Int) throws {
        try inserter(table).addInserted(count)
    }

    /// Throws a data error located at an entry and line.
    public func dataError(_ entry: EntryInfo, line: Int?, _ message: String) -> ImportError {
        ImportError(.data, source: source, entry: entry.name, line: line, message)
    }
}

/// Reads one entry's bytes as they arrive.
public protocol EntryImporter: AnyObject {
    /// The next chunk of the entry, in order. Chunks split lines and records anywhere.
    func consume(_ chunk: UnsafeRawBufferPointer) throws
    /// The entry has ended.
    func finish() throws
}

/// One source format: decides which entries it owns and maps them into the store.
public protocol FormatHandler: AnyObject {
    var format: SourceFormat { get }
    /// True when this handler reads the entry, judged by its name and first bytes.
    func claims(_ entry: EntryInfo, head: UnsafeRawBufferPointer) -> Bool
    /// Starts reading an entry this handler claimed.
    func begin(_ entry: EntryInfo, context: ImportContext) throws -> EntryImporter
    /// Work after every entry has been read (resolving codes, deriving observation periods).
    func finishImport(context: ImportContext) throws
}
