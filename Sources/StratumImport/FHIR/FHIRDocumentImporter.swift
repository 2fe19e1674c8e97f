/// Reads one whole-document FHIR entry (a Bundle or a single resource): the entry is gathered
/// in memory (Synthea writes about 1 MB per patient), parsed once, then mapped. A document that is
/// not valid JSON is skipped as a whole and counted (strict mode: the import stops).
final class FHIRDocumentImporter: EntryImporter {
    private let entry: EntryInfo
    private let context: ImportContext
    private let mapper: FHIRResourceMapper
    private unowned let handler: FHIRHandler

    init(entry: EntryInfo, context: ImportContext, mapper: FHIRResourceMapper, handler: FHIRHandler) {
        self.entry = entry
        self.context = context
        self.mapper = mapper
        self.handler = handler
        handler.documentBuffer.removeAll(keepingCapacity: true)
        if let size = entry.size, size > 0, size <= FHIRHandler.maxDocumentBytes {
            handler.documentBuffer.reserveCapacity(Int(size))
        }
    }

    func consume(_ chunk: UnsafeRawBufferPointer) throws {
        guard handler.documentBuffer.count + chunk.count <= FHIRHandler.maxDocumentBytes else {
            throw context.dataError(entry, line: nil,
                                    "FHIR JSON document larger than \(FHIRHandler.maxDocumentBytes >> 30) GiB: export it as NDJSON (one resource per line) instead")
        }
        handler.documentBuffer.append(contentsOf: chunk)
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
