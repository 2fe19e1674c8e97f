/// HbA1c units: results are modelled in % (NGSP/DCCT). IFCC results in mmol/mol are converted
/// with the IFCC–NGSP master equation, NGSP = 0.09148 × IFCC + 2.152; values outside 3–20 %
/// after conversion are implausible and dropped (and counted by the caller).
public enum HbA1cUnit: String, Sendable, CaseIterable {
    case percent
    case mmolPerMol

    /// Plausible range in %, inclusive.
    public static let plausibleRange: ClosedRange<Double> = 3...20

    /// LOINC codes read as HbA1c: 4548-4 (HbA1c/Hb total in blood), 17856-6 (by HPLC),
    /// 4549-2 (by electrophoresis) and 59261-8 (by IFCC protocol, usually mmol/mol).
    public static let loincCodes = ["4548-4", "17856-6", "4549-2", "59261-8"]
    /// The OMOP standard concept ids of those LOINC codes, for stores that fill measurement_concept_id.
    public static let omopConceptIDs: [Int64] = [3004410, 3005673, 3007263, 40762352]

    /// The unit a `unit_source_value` names: mmol/mol when it says so, % for '%', '%{HbA1c}',
    /// 'percent' or no unit at all; nil for anything else (the result is dropped).
    public init?(unitText: String?) {
        let text = (unitText ?? "").trimmingCharacters(in: .whitespaces).lowercased()
        if text.contains("mmol/mol") {
            self = .mmolPerMol
        } else if text.isEmpty || text.hasPrefix("%") || text == "percent" || text == "pct" {
            self = .percent
        } else {
            return nil
        }
    }

    /// The value in % (NGSP).
    public func percent(_ value: Double) -> Double {
        switch self {
        case .percent: return value
        case .mmolPerMol: return 0.09148 * value + 2.152
        }
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
