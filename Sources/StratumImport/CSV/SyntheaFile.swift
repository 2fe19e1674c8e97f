/// The files of Synthea's CSV export (v2 and v3), by stem: those Stratum maps into the store and
/// those it recognises but does not keep (claims and costs, care plans, devices, supplies,
/// imaging). Chunked exports (`patients.0001.csv`, …) share the stem of their file.
enum SyntheaFile: String, CaseIterable, Sendable {
    case patients, encounters, conditions, observations, medications, procedures, immunizations, allergies
    case providers, organizations
    case payerTransitions = "payer_transitions"
    case claims
    case claimsTransactions = "claims_transactions"
    case careplans, devices, supplies
    case imagingStudies = "imaging_studies"
    case payers

    /// True for files mapped into the store.
    var isKept: Bool {
        switch self {
        case .claims, .claimsTransactions, .careplans, .devices, .supplies, .imagingStudies, .payers: return false
        default: return true
        }
    }

    /// Columns the header must have for the file to be taken as this Synthea file; each entry
    /// lists alternative names (Synthea renamed a few between versions).
    var keyColumns: [[String]] {
        switch self {
        case .patients: return [["Id"], ["BIRTHDATE"], ["GENDER"]]
        case .encounters: return [["Id"], ["START"], ["PATIENT"], ["ENCOUNTERCLASS"], ["CODE"]]
        case .conditions, .medications, .allergies: return [["START"], ["PATIENT"], ["CODE"]]
        case .observations: return [["DATE"], ["PATIENT"], ["CODE"], ["VALUE"]]
        case .procedures: return [["START", "DATE"], ["PATIENT"], ["CODE"]]
        case .immunizations, .supplies: return [["DATE"], ["PATIENT"], ["CODE"]]
        case .providers: return [["Id"], ["NAME"], ["GENDER"]]
        case .organizations, .payers: return [["Id"], ["NAME"]]
        case .payerTransitions: return [["PATIENT"], ["START_YEAR", "START_DATE"], ["PAYER"]]
        case .claims: return [["Id"], ["PATIENTID"]]
        case .claimsTransactions: return [["ID"], ["CLAIMID"]]
        case .careplans: return [["Id"], ["START"], ["PATIENT"]]
        case .devices: return [["START"], ["PATIENT"], ["CODE"]]
        case .imagingStudies: return [["Id"], ["PATIENT"]]
        }
    }

    /// The Synthea file an entry holds, judged by its stem and header; nil when it is none.
    static func identify(stem: String, header: CSVHeader) -> SyntheaFile? {
        guard let file = SyntheaFile(rawValue: stem),
              file.keyColumns.allSatisfy({ header.index(anyOf: $0) != nil }) else { return nil }
        return file
    }
}
