import StratumStore

/// Reads OMOP CDM v5.3 / v5.4 tables exported as CSV, one file per table (`PERSON.csv`,
/// `drug_exposure.csv`, chunked `measurement.0001.csv`, …), as OHDSI tools and Eunomia write them.
///
/// A file is claimed when its name is a CDM table and its header has that table's key columns.
/// Tables the store keeps are mapped column by column by header name; other CDM tables (eras,
/// the rest of the vocabulary, costs, notes) are counted as not imported and their bytes are
/// dropped unread. After all entries, each clinical row gets its (system, code) from `concept`.
final class OMOPCSVHandler: FormatHandler {
    var format: SourceFormat { .omopCSV }

    /// Source codes looked up on insert once `concept` is in (see `OMOPConceptCodes`).
    private var conceptCodes: OMOPConceptCodes?

    func claims(_ entry: EntryInfo, head: UnsafeRawBufferPointer) -> Bool {
        guard entry.extensionLowercased == "csv", let spec = OMOPTableCatalog.byName[entry.stem],
              let header = CSVHeader.sniff(head) else { return false }
        return spec.keyColumns.allSatisfy(header.contains)
    }

    func begin(_ entry: EntryInfo, context: ImportContext) throws -> EntryImporter {
        guard let spec = OMOPTableCatalog.byName[entry.stem], let schema = spec.schema else {
            context.diagnostics.notImported("OMOP table \(entry.stem)")
            return DiscardingEntryImporter()
        }
        let codes = conceptCodes ?? OMOPConceptCodes(db: context.store.db)
        conceptCodes = codes
        let importer = CSVEntryImporter(entry: entry, context: context, kind: "OMOP \(spec.name) row") { header in
            try OMOPRowMapper(spec: spec, schema: schema, header: header, context: context, conceptCodes: codes) { line in
                context.diagnostics.note("OMOP \(spec.name) row", reason: "kept under a new id: its id is held by a different row of the same table",
                                         entry: entry.name, line: line)
            }
        }
        return spec.name == CDMSchema.concept.name ? FinishNotifyingImporter(importer) { codes.ready = true } : importer
    }

    func finishImport(context: ImportContext) throws {
        try OMOPSourceCodeResolver(context: context).resolve()
    }
}
