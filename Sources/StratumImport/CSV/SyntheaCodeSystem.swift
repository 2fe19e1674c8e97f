import StratumStore

/// The code system of a record: the file's SYSTEM column when it has one (newer Synthea writes
/// `SNOMED-CT`, `RxNorm`, `LOINC`, …), else the system that file always used. The last raw value
/// is remembered, since a file rarely changes system from one row to the next.
final class SyntheaCodeSystem {
    private let field: Int?
    private let fallback: String
    private var lastRaw: [UInt8] = []
    private var lastSystem: String

    init(header: CSVHeader, column: String = "SYSTEM", default fallback: String) {
        field = header.index(column)
        self.fallback = fallback
        lastSystem = fallback
    }

    func system(_ record: CSVRecord) -> String {
        guard let raw = record.nonEmpty(field) else { return fallback }
        if raw.elementsEqual(lastRaw) { return lastSystem }
        lastRaw = Array(raw)
        lastSystem = CodeSystem.normalize(String(decoding: raw, as: UTF8.self))
        return lastSystem
    }
}
