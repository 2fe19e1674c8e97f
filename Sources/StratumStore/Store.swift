import Foundation

/// The Stratum store: a SQLite file with the CDM-shaped schema, migrated on open.
public final class Store {
    public let db: Database
    public var path: String { db.path }

    /// The engine version written to provenance rows.
    public static let engineVersion = "0.1.0"

    /// Opens the store at `path`, creating and migrating it as needed.
    public init(path: String, readOnly: Bool = false) throws {
        if readOnly && !FileManager.default.fileExists(atPath: path) {
            throw StoreError(code: 14, message: "no store at \(path)")
        }
        db = try Database(path: path, readOnly: readOnly)
        // A rollback journal: an import into a fresh store journals almost nothing (new pages are
        // not journaled), and a killed import rolls back to the exact bytes before it.
        try db.execute("PRAGMA journal_mode = DELETE; PRAGMA synchronous = NORMAL; PRAGMA cache_size = -65536; PRAGMA foreign_keys = OFF")
        // Reads through a memory map of up to 16 GiB: measure queries fetch hundreds of thousands
        // of rows in index order, and copying each page through read() was a third of their time
        // (1M-patient store). Writes still go through the journal as before.
        try db.execute("PRAGMA mmap_size = 17179869184")
        if !readOnly { try Migrations.migrate(db) }
    }

    /// An inserter for `table` that stamps rows with `importID`.
    public func inserter(for table: TableSchema, importID: Int64?) throws -> TableInserter {
        try TableInserter(database: db, schema: table, importID: importID)
    }

    /// Row count of a table.
    public func count(_ table: String) throws -> Int {
        Int(try db.scalar("SELECT count(*) FROM \(table)").int ?? 0)
    }

    /// True when no clinical table holds a row.
    public func isEmpty() throws -> Bool {
        for table in CDMSchema.dataTables where try db.scalar("SELECT EXISTS (SELECT 1 FROM \(table.name))").int == 1 {
            return false
        }
        return true
    }

    /// Drops the secondary indexes of the data tables (before a bulk load into an empty store).
    public func dropIndexes() throws {
        for table in CDMSchema.dataTables { for sql in table.dropIndexesSQL { try db.execute(sql) } }
    }

    /// Creates any missing secondary index and refreshes the planner's statistics. An index on a
    /// concept column is made only once the table holds a concept id other than 0: FHIR and
    /// Synthea rows carry none (they are queried by source code), and an index on a constant
    /// costs import time and space and serves no query.
    public func createIndexes() throws {
        for table in CDMSchema.dataTables {
            for index in table.indexes {
                if index.name.hasSuffix("_concept"), let column = index.columns.first,
                   try db.scalar("SELECT EXISTS (SELECT 1 FROM \(table.name) WHERE \(column) <> 0)").int != 1 {
                    continue
                }
                try db.execute("CREATE INDEX IF NOT EXISTS \(index.name) ON \(table.name) (\(index.columns.joined(separator: ", ")))")
            }
        }
        try db.execute("PRAGMA analysis_limit = 1000; ANALYZE")
    }
}
