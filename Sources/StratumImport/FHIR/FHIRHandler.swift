import StratumStore

/// Reads FHIR R4 JSON: whole-document entries (`*.json`: a Bundle — transaction, collection,
/// batch, searchset — or a single resource) and NDJSON bulk-export files (`*.ndjson`, `*.jsonl`:
/// one resource per line). See `FHIRResourceMapper` for what maps to what.
final class FHIRHandler: FormatHandler {
    /// A whole-document entry larger than this (1 GiB) is refused rather than held in memory;
    /// NDJSON has no such limit.
    var maxDocumentBytes = 1 << 30

    private var claimedBundle = false
    private var claimedNDJSON = false
    private var mapper: FHIRResourceMapper?
    /// One document and one buffer for every entry of the import: their capacity is reused.
    let document = JSONDocument()
    var documentBuffer: [UInt8] = []

    /// `fhir-r4-ndjson` when every entry claimed was NDJSON, else `fhir-r4-bundle`.
    var format: SourceFormat { claimedNDJSON && !claimedBundle ? .fhirNDJSON : .fhirBundle }

    /// A `.json`, `.ndjson` or `.jsonl` entry (possibly compressed) whose first non-blank byte
    /// opens an object and whose head mentions `"resourceType"`.
    func claims(_ entry: EntryInfo, head: UnsafeRawBufferPointer) -> Bool {
        guard Self.isNDJSON(entry) || entry.extensionLowercased == "json" else { return false }
        var i = 0
        if head.count >= 3 && head[0] == 0xEF && head[1] == 0xBB && head[2] == 0xBF { i = 3 }
        while i < head.count, head[i] == 0x20 || head[i] == 0x0A || head[i] == 0x0D || head[i] == 0x09 { i += 1 }
        guard i < head.count, head[i] == UInt8(ascii: "{") else { return false }
        return Self.contains(head, "\"resourceType\"")
    }

    func begin(_ entry: EntryInfo, context: ImportContext) throws -> EntryImporter {
        let mapper = self.mapper ?? FHIRResourceMapper(context: context)
        self.mapper = mapper
        if Self.isNDJSON(entry) {
            claimedNDJSON = true
            return FHIRNDJSONImporter(entry: entry, context: context, mapper: mapper, document: document)
        }
        claimedBundle = true
        return try FHIRDocumentImporter(entry: entry, context: context, mapper: mapper, handler: self)
    }

    func finishImport(context: ImportContext) throws {
        guard let mapper else { return }
        try mapper.resolvePendingMedications()
        if mapper.wroteAliasReference { try resolveAliases(context: context) }
    }

    /// Columns that may hold an identifier alias, and the kind of resource it must resolve to.
    static let aliasColumns: [(table: String, column: String, kind: String)] = [
        ("visit_occurrence", "provider_id", "Practitioner"), ("visit_occurrence", "care_site_id", "Organization"),
        ("condition_occurrence", "provider_id", "Practitioner"), ("drug_exposure", "provider_id", "Practitioner"),
        ("measurement", "provider_id", "Practitioner"), ("observation", "provider_id", "Practitioner"),
        ("procedure_occurrence", "provider_id", "Practitioner"), ("device_exposure", "provider_id", "Practitioner"),
        ("service_request", "provider_id", "Practitioner"),
        ("person", "provider_id", "Practitioner"), ("person", "care_site_id", "Organization"),
    ]

    /// Rewrites identifier aliases (conditional references such as
    /// `Practitioner?identifier=http://hl7.org/fhir/sid/us-npi|…`) to the ids of the resources
    /// that carry those identifiers, in this import's rows. Aliases with no such resource stay.
    private func resolveAliases(context: ImportContext) throws {
        let db = context.store.db
        for (table, column, kind) in Self.aliasColumns {
            try db.run("""
                UPDATE \(table) SET \(column) = (
                    SELECT target_id FROM reference_alias WHERE alias_id = \(table).\(column) AND kind = ?1)
                WHERE import_id = ?2 AND \(column) IN (SELECT alias_id FROM reference_alias WHERE kind = ?1)
                """, [.text(kind), .integer(context.importID)])
        }
    }

    private static func isNDJSON(_ entry: EntryInfo) -> Bool {
        let ext = entry.extensionLowercased
        return ext == "ndjson" || ext == "jsonl"
    }

    private static func contains(_ haystack: UnsafeRawBufferPointer, _ needle: StaticString) -> Bool {
        let count = needle.utf8CodeUnitCount
        guard haystack.count >= count, let base = haystack.baseAddress else { return false }
        let first = needle.utf8Start.pointee
        var start = 0
        while start + count <= haystack.count {
            guard let hit = memchr(base + start, Int32(first), haystack.count - start - count + 1) else { return false }
            let offset = base.distance(to: UnsafeRawPointer(hit))
            if memcmp(base + offset, needle.utf8Start, count) == 0 { return true }
            start = offset + 1
        }
        return false
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
