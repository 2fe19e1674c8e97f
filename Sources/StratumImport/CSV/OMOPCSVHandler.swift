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

    /// Rows stored under a new id because another row of the source had taken theirs, per table,
    /// with a few line examples (reported as an import issue, see `finishImport`).
    private var rekeyed: [String: (count: Int, examples: [String])] = [:]

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
        return CSVEntryImporter(entry: entry, context: context, kind: "OMOP \(spec.name) row") { [unowned self] header in
            try OMOPRowMapper(spec: spec, schema: schema, header: header, context: context) { line in
                self.noteRekeyed(spec.name, entry: entry.name, line: line)
            }
        }
    }

    private func noteRekeyed(_ table: String, entry: String, line: Int) {
        var note = rekeyed[table] ?? (0, [])
        note.count += 1
        if note.examples.count < ImportDiagnostics.maxExamples { note.examples.append("\(entry):\(line)") }
        rekeyed[table] = note
    }

    func finishImport(context: ImportContext) throws {
        try OMOPSourceCodeResolver(context: context).resolve()
        try recordRekeyedRows(context: context)
    }

    /// Rows kept under a new id are not skipped rows, so strict mode must not stop on them and
    /// `ImportDiagnostics` (skip or not-imported) has no word for them: they are written as an
    /// import issue of their own kind, beside the ones the importer writes from diagnostics.
    private func recordRekeyedRows(context: ImportContext) throws {
        for (table, note) in rekeyed.sorted(by: { $0.key < $1.key }) {
            try context.store.db.run("""
                INSERT OR REPLACE INTO import_issue (import_id, kind, reason, count, examples) VALUES (?, ?, ?, ?, ?)
                """, [.integer(context.importID), .text("OMOP \(table) row kept under a new id"),
                      .text("its id is held by a different row of the same table"),
                      .integer(Int64(note.count)), .text(note.examples.joined(separator: "; "))])
        }
        rekeyed.removeAll()
    }
}
