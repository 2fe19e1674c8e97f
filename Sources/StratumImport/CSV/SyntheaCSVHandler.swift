import StratumStore

/// Placeholder until the mapper lands.
final class SyntheaCSVHandler: FormatHandler {
    var format: SourceFormat { .syntheaCSV }
    func claims(_ entry: EntryInfo, head: UnsafeRawBufferPointer) -> Bool { false }
    func begin(_ entry: EntryInfo, context: ImportContext) throws -> EntryImporter { fatalError() }
    func finishImport(context: ImportContext) throws {}
}
