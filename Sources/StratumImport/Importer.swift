import Foundation
import StratumStore

/// Options of one `stratum import`.
public struct ImportOptions: Sendable {
    /// Fail on the first bad record instead of skipping and counting it.
    public var strict = false
    /// Re-import an archive whose SHA-256 is already recorded, replacing its rows.
    public var replace = false
    public var limits = InflateLimits()
    public init() {}
}

/// What an import did, for the terminal, `--json` and tests.
public struct ImportSummary: Sendable {
    public var importID: Int64?
    public var source: String
    public var sha256: String
    public var formats: [SourceFormat]
    public var entries: Int
    public var entriesNotImported: [String: Int]
    public var tableRows: [(table: String, inserted: Int, duplicates: Int)]
    public var issues: [ImportDiagnostics.Issue]
    public var skippedAlreadyImported: Bool
    public var seconds: Double
    public var bytesRead: Int64
    /// Wall time of each phase (fingerprint, read and insert, post passes, indexes, commit).
    public var phases: [(phase: String, seconds: Double)] = []

    /// Rows inserted into data tables (bookkeeping such as reference aliases not counted).
    public var rowsInserted: Int {
        let dataTables = Set(CDMSchema.dataTables.map(\.name))
        return tableRows.filter { dataTables.contains($0.table) }.reduce(0) { $0 + $1.inserted }
    }
}

/// Progress of a running import, reported a few times a second.
public struct ImportProgress: Sendable {
    /// What is running: "reading", then the post-read phases ("post passes", "indexes", …).
    public var phase: String
    public var entries: Int
    public var records: Int
    public var bytesRead: Int64
    public var seconds: Double
}

/// Imports archives into a store: one archive, one transaction. On any error the transaction
/// rolls back, so the store holds exactly what it held before.
public final class Importer {
    public let store: Store
    public let options: ImportOptions
    public var progress: ((ImportProgress) -> Void)?

    public init(store: Store, options: ImportOptions = ImportOptions()) {
        self.store = store
        self.options = options
    }

    /// The format handlers, in the order they are asked to claim an entry.
    static func makeHandlers() -> [FormatHandler] {
        [FHIRHandler(), OMOPCSVHandler(), SyntheaCSVHandler()]
    }

    /// Imports one archive, file or directory.
    public func importSource(_ path: String) throws -> ImportSummary {
        let started = Date()
        let startedISO = Clock.nowISO()
        var phases: [(phase: String, seconds: Double)] = []
        var phaseStart = Date()
        var entries = 0
        var records = 0
        /// Closes the phase `name` and tells the progress line which one runs next.
        func endPhase(_ name: String, next: String? = nil) {
            phases.append((name, Date().timeIntervalSince(phaseStart)))
            phaseStart = Date()
            if let next {
                progress?(ImportProgress(phase: next, entries: entries, records: records, bytesRead: 0,
                                         seconds: Date().timeIntervalSince(started)))
            }
        }
        let (sha, size) = try Self.fingerprint(path)
        endPhase("fingerprint")
        let db = store.db
        if let existing = try db.query("SELECT import_id FROM import_run WHERE sha256 = ? AND status = 'complete'", [.text(sha)]).first?[0].int,
           !options.replace {
            return ImportSummary(importID: existing, source: path, sha256: sha, formats: [], entries: 0, entriesNotImported: [:],
                                 tableRows: [], issues: [], skippedAlreadyImported: true, seconds: 0, bytesRead: 0)
        }
        let diagnostics = ImportDiagnostics(source: path, strict: options.strict)
        let reader = ArchiveReader(inputs: [path], limits: options.limits)
        var summary: ImportSummary!
        try db.execute("BEGIN IMMEDIATE")
        do {
            if options.replace { try removePreviousImports(sha: sha) }
            let bulk = try store.isEmpty()
            if bulk { try store.dropIndexes() }
            try db.run("""
                INSERT INTO import_run (file_name, sha256, size_bytes, started_at, status, engine_version)
                VALUES (?, ?, ?, ?, 'running', ?)
                """, [.text((path as NSString).lastPathComponent), .text(sha), .integer(size), .text(startedISO), .text(Store.engineVersion)])
            let importID = db.lastInsertRowID
            let context = ImportContext(store: store, importID: importID, diagnostics: diagnostics, source: path)
            let handlers = Self.makeHandlers()
            var used: [ObjectIdentifier: FormatHandler] = [:]
            reader.start()
            var lastReport = Date()
            readLoop: while true {
                switch reader.next() {
                case .begin(let entry):
                    entries += 1
                    try importEntry(entry, reader: reader, handlers: handlers, used: &used, context: context)
                    if progress != nil, Date().timeIntervalSince(lastReport) > 0.25 {
                        lastReport = Date()
                        progress?(ImportProgress(phase: "reading", entries: entries, records: context.recordsRead, bytesRead: reader.bytesRead,
                                                 seconds: Date().timeIntervalSince(started)))
                    }
                case .failed(let error):
                    throw error
                case .done:
                    break readLoop
                case .chunk, .end:
                    continue
                }
            }
            if entries == 0 {
                throw ImportError(.unknownFormat, source: path, "the archive is empty: no entries to import")
            }
            if used.isEmpty {
                throw ImportError(.unknownFormat, source: path,
                                  "no entry is in a known format (FHIR R4 Bundle or NDJSON, Synthea CSV, OMOP CDM CSV)")
            }
            let formats = used.values.map(\.format).sorted { $0.rawValue < $1.rawValue }
            records = context.recordsRead
            endPhase("read and insert", next: "resolving references and codes")
            for handler in handlers where used[ObjectIdentifier(handler)] != nil {
                try handler.finishImport(context: context)
            }
            if formats.contains(where: { $0 != .omopCSV }) { try deriveObservationPeriods(context: context) }
            endPhase("post passes", next: "building indexes")
            // Into an empty store the indexes were dropped and are built once now; otherwise they
            // were maintained row by row, and this adds only those newly worth having.
            try store.createIndexes()
            endPhase("indexes")
            let counts = context.tableCounts
            for count in counts {
                try db.run("INSERT INTO import_table_rows (import_id, table_name, rows_inserted, duplicates) VALUES (?, ?, ?, ?)",
                           [.integer(importID), .text(count.table), .integer(Int64(count.inserted)), .integer(Int64(count.duplicates))])
            }
            for issue in diagnostics.all {
                try db.run("INSERT INTO import_issue (import_id, severity, kind, reason, count, examples) VALUES (?, ?, ?, ?, ?, ?)",
                           [.integer(importID), .text(issue.severity.rawValue), .text(issue.kind), .text(issue.reason), .integer(Int64(issue.count)),
                            .text(issue.examples.joined(separator: "; "))])
            }
            for (what, count) in diagnostics.unmapped {
                try db.run("INSERT INTO import_issue (import_id, severity, kind, reason, count, examples) VALUES (?, 'not imported', 'entry', ?, ?, NULL)",
                           [.integer(importID), .text(what), .integer(Int64(count))])
            }
            try db.run("""
                UPDATE import_run SET status = 'complete', finished_at = ?, format = ?, rows_total = ?, options = ?
                WHERE import_id = ?
                """, [.text(Clock.nowISO()), .text(formats.map(\.rawValue).joined(separator: ",")),
                      .integer(Int64(context.rowsInserted)), .text(options.strict ? "strict" : "lenient"), .integer(importID)])
            try db.execute("COMMIT")
            endPhase("provenance and commit")
            summary = ImportSummary(importID: importID, source: path, sha256: sha, formats: formats, entries: entries,
                                    entriesNotImported: diagnostics.unmapped, tableRows: counts, issues: diagnostics.all,
                                    skippedAlreadyImported: false, seconds: Date().timeIntervalSince(started),
                                    bytesRead: size, phases: phases)
        } catch {
            reader.cancel()
            try? db.execute("ROLLBACK")
            if let error = error as? ImportError { throw error }
            if let error = error as? StoreError {
                throw ImportError(.store, source: path, "the store refused the data: \(error.message)")
            }
            throw ImportError(.data, source: path, "\(error)")
        }
        return summary
    }

    /// Reads one entry through the handler that claims it; unclaimed entries are counted.
    private func importEntry(_ entry: EntryInfo, reader: ArchiveReader, handlers: [FormatHandler],
                             used: inout [ObjectIdentifier: FormatHandler], context: ImportContext) throws {
        var importer: EntryImporter?
        var decided = false
        // The head used for detection: the first chunk (1 MiB, or the whole of a smaller entry).
        while true {
            switch reader.next() {
            case .chunk(let bytes):
                try bytes.withUnsafeBytes { buffer in
                    if !decided {
                        decided = true
                        if let handler = handlers.first(where: { $0.claims(entry, head: buffer) }) {
                            used[ObjectIdentifier(handler)] = handler
                            importer = try handler.begin(entry, context: context)
                        } else {
                            context.diagnostics.notImported("entry in no known format: \(entry.extensionLowercased.isEmpty ? entry.baseName : "*." + entry.extensionLowercased)")
                        }
                    }
                    try importer?.consume(buffer)
                }
            case .end:
                try importer?.finish()
                return
            case .failed(let error):
                throw error
            case .begin, .done:
                throw ImportError(.input, source: context.source, entry: entry.name, "archive stream out of order")
            }
        }
    }

    /// Removes every row of earlier imports of the same archive (for `--replace`).
    private func removePreviousImports(sha: String) throws {
        let db = store.db
        let ids = try db.query("SELECT import_id FROM import_run WHERE sha256 = ?", [.text(sha)]).compactMap { $0[0].int }
        for id in ids {
            for table in CDMSchema.dataTables where table.index(of: "import_id") != nil {
                try db.run("DELETE FROM \(table.name) WHERE import_id = ?", [.integer(id)])
            }
            try db.run("UPDATE import_run SET status = 'replaced' WHERE import_id = ?", [.integer(id)])
        }
    }

    /// Observation periods for persons of this import that have none (FHIR and Synthea carry
    /// none): from the first to the last recorded event, as the OHDSI Synthea ETL derives them.
    private func deriveObservationPeriods(context: ImportContext) throws {
        let db = store.db
        let id = Int64(context.importID)
        let unions = CDMSchema.eventTables.map { table -> String in
            let date = table.eventDate!
            let end = table.columns.first { $0.name.hasSuffix("_end_date") }?.name ?? date
            return "SELECT person_id, \(date) AS d, coalesce(\(end), \(date)) AS e FROM \(table.name) WHERE import_id = \(id)"
        }.joined(separator: " UNION ALL ")
        try db.execute("""
            INSERT INTO observation_period (observation_period_id, person_id, observation_period_start_date,
                                            observation_period_end_date, period_type_concept_id, import_id)
            SELECT NULL, e.person_id, min(e.d), max(max(e.e), max(e.d)), 32817, \(id)
            FROM (\(unions)) e
            JOIN person p ON p.person_id = e.person_id AND p.import_id = \(id)
            WHERE e.d IS NOT NULL
              AND NOT EXISTS (SELECT 1 FROM observation_period o WHERE o.person_id = e.person_id)
            GROUP BY e.person_id
            """)
        try context.addInserted(CDMSchema.observationPeriod, db.changes)
    }

    /// SHA-256 and size of a file, or of a directory's files in name order.
    public static func fingerprint(_ path: String) throws -> (String, Int64) {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw ImportError(.input, source: path, "no such file or directory")
        }
        var hasher = SHA256()
        var total: Int64 = 0
        let files = isDirectory.boolValue ? try ArchiveReader.filesUnder(path).map { (path as NSString).appendingPathComponent($0) } : [path]
        for file in files {
            if isDirectory.boolValue { hasher.update(Array(file.utf8)) }
            guard let handle = FileHandle(forReadingAtPath: file) else {
                throw ImportError(.input, source: file, "cannot read (permission denied?)")
            }
            defer { try? handle.close() }
            while let data = try handle.read(upToCount: 4 << 20), !data.isEmpty {
                total += Int64(data.count)
                data.withUnsafeBytes { hasher.update($0) }
            }
        }
        return (hasher.finalize(), total)
    }
}
