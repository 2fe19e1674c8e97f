/// Reads one whole-document FHIR entry (a Bundle or a single resource): the entry is gathered
/// in memory (Synthea writes about 1 MB per patient), parsed once, then mapped. A document that is
/// not valid JSON is skipped as a whole and counted (strict mode: the import stops).
final class FHIRDocumentImporter: EntryImporter {
    private let entry: EntryInfo
    private let context: ImportContext
    private let mapper: FHIRResourceMapper
    private unowned let handler: FHIRHandler

    init(entry: EntryInfo, context: ImportContext, mapper: FHIRResourceMapper, handler: FHIRHandler) throws {
        self.entry = entry
        self.context = context
        self.mapper = mapper
        self.handler = handler
        handler.documentBuffer.removeAll(keepingCapacity: true)
        if let size = entry.size, size > 0 {
            // Refused before reading when the archive records the size.
            guard size <= handler.maxDocumentBytes else { throw tooLarge() }
            handler.documentBuffer.reserveCapacity(Int(size))
        }
    }

    func consume(_ chunk: UnsafeRawBufferPointer) throws {
        guard handler.documentBuffer.count + chunk.count <= handler.maxDocumentBytes else { throw tooLarge() }
        handler.documentBuffer.append(contentsOf: chunk)
    }

    private func tooLarge() -> ImportError {
        context.dataError(entry, line: nil, "FHIR JSON document larger than \(handler.maxDocumentBytes >> 20) MiB, "
                          + "too large to read whole: export it as NDJSON (one resource per line) instead")
    }

    func finish() throws {
        defer {
            // Keep a typical buffer for the next entry, not a rare huge one.
            if handler.documentBuffer.capacity > 64 << 20 { handler.documentBuffer = [] }
            handler.documentBuffer.removeAll(keepingCapacity: true)
        }
        let document = handler.document
        try handler.documentBuffer.withUnsafeBytes { bytes in
            do throws(JSONError) {
                try document.parse(bytes)
            } catch {
                try context.diagnostics.skip("FHIR document", reason: error.description, entry: entry.name,
                                             line: Self.line(at: error.offset, in: bytes))
                return
            }
            try mapper.mapDocument(document.root, entry: entry, line: nil, text: bytes)
        }
    }

    /// The 1-based line holding byte `offset`.
    static func line(at offset: Int, in bytes: UnsafeRawBufferPointer) -> Int {
        var line = 1
        for byte in bytes[0..<min(offset, bytes.count)] where byte == 0x0A { line += 1 }
        return line
    }
}
