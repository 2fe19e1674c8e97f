/// Reads one FHIR NDJSON entry (bulk-data export: one resource per line) line by line, so memory
/// is bounded by the longest line. A line that is not valid JSON is skipped and counted with its
/// line number (strict mode: the import stops); blank lines are ignored.
final class FHIRNDJSONImporter: EntryImporter {
    private let entry: EntryInfo
    private let context: ImportContext
    private let mapper: FHIRResourceMapper
    private let document: JSONDocument
    private var splitter = LineSplitter()

    init(entry: EntryInfo, context: ImportContext, mapper: FHIRResourceMapper, document: JSONDocument) {
        self.entry = entry
        self.context = context
        self.mapper = mapper
        self.document = document
    }

    func consume(_ chunk: UnsafeRawBufferPointer) throws {
        do {
            try splitter.consume(chunk) { line, number in try self.line(line, number) }
        } catch LineSplitter.Overflow.lineTooLong(let line) {
            throw context.dataError(entry, line: line, "line longer than \(splitter.maxLineBytes >> 20) MiB")
        }
    }

    func finish() throws {
        try splitter.finish { line, number in try self.line(line, number) }
    }

    private func line(_ bytes: UnsafeRawBufferPointer, _ number: Int) throws {
        guard bytes.contains(where: { $0 != 0x20 && $0 != 0x09 && $0 != 0x0D }) else { return }
        do throws(JSONError) {
            try document.parse(bytes)
        } catch {
            try context.diagnostics.skip("FHIR NDJSON line", reason: error.description, entry: entry.name, line: number)
            return
        }
        try mapper.mapDocument(document.root, entry: entry, line: number, text: bytes)
    }
}
