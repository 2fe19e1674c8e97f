/// The formats Stratum imports, detected per archive entry.
public enum SourceFormat: String, Sendable, CaseIterable {
    case fhirBundle = "fhir-r4-bundle"
    case fhirNDJSON = "fhir-r4-ndjson"
    case syntheaCSV = "synthea-csv"
    case omopCSV = "omop-csv"
}

/// What the importer knows about one archive entry.
public struct EntryInfo: Sendable {
    /// The path inside the archive (or relative to the directory, or the file name).
    public var name: String
    /// The source (archive or file) the entry came from, as the user named it.
    public var source: String
    /// The uncompressed size when the container records it.
    public var size: Int64?

    /// The last path component without directories.
    public var baseName: String {
        name.split(separator: "/").last.map(String.init) ?? name
    }

    /// The base name lower-cased with extensions and chunk numbers removed:
    /// `csv/Patients.0003.csv` → `patients`, `Observation.ndjson` → `observation`.
    public var stem: String {
        var stem = baseName.lowercased()
        for suffix in [".gz", ".bz2", ".xz", ".zst"] where stem.hasSuffix(suffix) { stem.removeLast(suffix.count) }
        if let dot = stem.firstIndex(of: ".") { stem = String(stem[..<dot]) }
        return stem
    }

    public var extensionLowercased: String {
        var base = baseName.lowercased()
        for suffix in [".gz", ".bz2", ".xz", ".zst"] where base.hasSuffix(suffix) { base.removeLast(suffix.count) }
        guard let dot = base.lastIndex(of: ".") else { return "" }
        return String(base[base.index(after: dot)...])
    }
}
