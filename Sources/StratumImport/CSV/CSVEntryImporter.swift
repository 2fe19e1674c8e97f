import StratumStore

/// Maps the data records of one CSV file into store rows.
protocol CSVRowMapper {
    /// Inserts the rows one record yields; throws `CSVRowError` for a record that cannot be
    /// mapped (it is then skipped and counted).
    func map(_ record: CSVRecord) throws
    /// The inserters it binds, so that a half-bound row can be cleared after an error.
    var inserters: [TableInserter] { get }
}

/// Reads one CSV entry for a format handler: streams its chunks through a `CSVReader`, takes the
/// first record as the header (or the second, after GiBleed's `column0,…` placeholder), builds
/// the handler's mapper from it, and checks each data record before mapping it: field count,
/// UTF-8. A bad record is skipped and counted with `entry:line` (or stops a strict import).
final class CSVEntryImporter: EntryImporter {
    private let entry: EntryInfo
    private let context: ImportContext
    /// How a skipped record is named in diagnostics (`OMOP measurement row`).
    private let kind: String
    private let makeMapper: (CSVHeader) throws -> CSVRowMapper
    private var reader = CSVReader()
    private var mapper: CSVRowMapper?
    private var fieldCount = 0

    /// - Parameter makeMapper: builds the mapper for the header; throws `CSVRowError` when the
    ///   header cannot be mapped, which stops the import (no row of the file could be read).
    init(entry: EntryInfo, context: ImportContext, kind: String, makeMapper: @escaping (CSVHeader) throws -> CSVRowMapper) {
        self.entry = entry
        self.context = context
        self.kind = kind
        self.makeMapper = makeMapper
    }

    func consume(_ chunk: UnsafeRawBufferPointer) throws {
        do {
            try reader.consume(chunk) { try self.read($0) }
        } catch let error as CSVReaderError {
            try fail(error)
        }
    }

    func finish() throws {
        do {
            try reader.finish { try self.read($0) }
        } catch let error as CSVReaderError {
            try fail(error)
        }
    }

    private func fail(_ error: CSVReaderError) throws {
        switch error {
        case .recordTooLarge(let line, let limit):
            // The reader cannot find the next record boundary with confidence: stop.
            throw context.dataError(entry, line: line, "a record exceeds \(limit >> 20) MiB (an unbalanced quote?): cannot read on")
        case .unterminatedQuote(let line):
            try context.diagnostics.skip(kind, reason: "quoted field not closed before the end of the entry",
                                         entry: entry.name, line: line)
        }
    }

    private func read(_ record: CSVRecord) throws {
        guard let mapper else { return try readHeader(record) }
        context.recordsRead += 1
        guard record.count == fieldCount else {
            return try context.diagnostics.skip(kind, reason: "wrong number of fields (expected \(fieldCount), found \(record.count))",
                                                entry: entry.name, line: record.line)
        }
        guard record.isValidUTF8 else {
            return try context.diagnostics.skip(kind, reason: "not valid UTF-8", entry: entry.name, line: record.line)
        }
        do {
            try mapper.map(record)
        } catch let error as CSVRowError {
            for inserter in mapper.inserters { inserter.clearRow() }
            try context.diagnostics.skip(kind, reason: error.reason, entry: entry.name, line: record.line)
        }
    }

    private func readHeader(_ record: CSVRecord) throws {
        guard record.isValidUTF8 else {
            throw context.dataError(entry, line: record.line, "the header is not valid UTF-8")
        }
        let header = CSVHeader(record.strings)
        if header.isPlaceholder { return }
        do {
            mapper = try makeMapper(header)
        } catch let error as CSVRowError {
            throw context.dataError(entry, line: record.line, error.reason)
        }
        fieldCount = header.count
    }
}
