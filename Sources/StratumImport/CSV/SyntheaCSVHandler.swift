import StratumStore

/// Reads Synthea's CSV export (`patients.csv`, `encounters.csv`, `conditions.csv`, …, possibly
/// chunked as `patients.0001.csv`): a file is claimed when its stem is a Synthea file name and
/// its header has that file's key columns. Files mapped into the store are read row by row;
/// claims, care plans, devices, supplies, imaging and payers are counted as not imported.
final class SyntheaCSVHandler: FormatHandler {
    var format: SourceFormat { .syntheaCSV }

    func claims(_ entry: EntryInfo, head: UnsafeRawBufferPointer) -> Bool {
        guard entry.extensionLowercased == "csv", SyntheaFile(rawValue: entry.stem) != nil,
              let header = CSVHeader.sniff(head) else { return false }
        return SyntheaFile.identify(stem: entry.stem, header: header) != nil
    }

    func begin(_ entry: EntryInfo, context: ImportContext) throws -> EntryImporter {
        guard let file = SyntheaFile(rawValue: entry.stem), file.isKept else {
            context.diagnostics.notImported("Synthea \(entry.stem).csv")
            return DiscardingEntryImporter()
        }
        return CSVEntryImporter(entry: entry, context: context, kind: "Synthea \(file.rawValue) row") { header in
            guard SyntheaFile.identify(stem: entry.stem, header: header) == file else {
                throw CSVRowError(reason: "header lacks the columns of Synthea \(file.rawValue).csv")
            }
            return try SyntheaMappers.make(file, header: header, context: context)
        }
    }

    /// Synthea puts the provider on the encounter only; events inherit it from their visit,
    /// as the OHDSI Synthea ETL does, so that care-gap panels can group events by provider.
    func finishImport(context: ImportContext) throws {
        for table in ["condition_occurrence", "drug_exposure", "measurement", "observation", "procedure_occurrence"] {
            try context.store.db.run("""
                UPDATE \(table) AS e SET provider_id = v.provider_id
                FROM visit_occurrence AS v
                WHERE e.import_id = ?1 AND e.provider_id IS NULL AND v.visit_occurrence_id = e.visit_occurrence_id
                  AND v.provider_id IS NOT NULL
                """, [.integer(context.importID)])
        }
    }
}
