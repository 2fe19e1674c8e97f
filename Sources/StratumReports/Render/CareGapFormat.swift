/// An output format of `stratum caregaps` and the files it writes (docs/REPORTS.md).
public enum CareGapFormat: String, CaseIterable, Sendable {
    /// `caregaps.html`
    case html
    /// `caregaps-patients.csv`, `caregaps-summary.csv`
    case csv
    /// `fhir/measurereport-summary.json`, `fhir/measurereport-individual.ndjson`, `fhir/caregaps.ndjson`
    case fhir

    /// The files of the format, relative to the output directory.
    public var fileNames: [String] {
        switch self {
        case .html: ["caregaps.html"]
        case .csv: ["caregaps-patients.csv", "caregaps-summary.csv"]
        case .fhir: ["fhir/measurereport-summary.json", "fhir/measurereport-individual.ndjson", "fhir/caregaps.ndjson"]
        }
    }

    /// Formats by name (`html`, `CSV`, …), each once, in the order given; an unknown name is an
    /// error that lists the known ones.
    public static func parse(_ names: [String]) throws(CareGapError) -> [CareGapFormat] {
        var kinds: [CareGapFormat] = []
        for name in names.map({ $0.trimmingCharacters(in: .whitespaces).lowercased() }) where !name.isEmpty {
            guard let kind = CareGapFormat(rawValue: name) else {
                throw CareGapError("unknown format '\(name)' (formats: \(allCases.map(\.rawValue).joined(separator: ", ")))")
            }
            if !kinds.contains(kind) { kinds.append(kind) }
        }
        return kinds
    }
}
