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
}
