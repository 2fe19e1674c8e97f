/// A `features` statement after binding: every item is an event pattern whose windows end on the
/// index date (the compiler adds that bound to every pattern, so no item can read later data).
public struct BoundFeatures: Sendable {
    public enum Index: Sendable, Equatable {
        case date(Int)
        /// The start (or end) of each person's first era in the cohort.
        case entryStart, entryEnd
    }
    public enum Scaling: Sendable, Equatable {
        case zscore, robust
        /// The centres and scales fitted for another feature set (by name).
        case like(String)
    }
    public enum Item: Sendable {
        case age(label: String)
        case sex(label: String)
        /// Aggregates of the values of matching events: columns `label_aggregate`, and
        /// `label_missing` (no value in the window) and `label_slope_missing` (fewer than two days).
        case values(label: String, BoundEventPattern, unit: UnitDefinition?, [FeatureAggregate])
        /// The number of matching events.
        case count(label: String, BoundEventPattern)
        /// The number of distinct drug codes with a supply overlapping the window.
        case distinctDrugs(label: String, BoundEventPattern)
        /// Visits by class: `label_inpatient`, `label_outpatient`, `label_emergency`.
        case visitsByClass(label: String, BoundEventPattern)
    }
    public var name: String
    public var cohort: String
    public var index: Index
    public var scaling: Scaling?
    /// `to "file.csv"`, resolved against the script's folder.
    public var outputPath: String?
    public var items: [Item]
    public var sourceText: String

    /// The output columns, in order.
    public var columns: [String] { items.flatMap(BoundFeatures.columns) }

    /// The columns one item gives.
    public static func columns(_ item: Item) -> [String] {
        switch item {
            case .age(let l), .sex(let l), .count(let l, _), .distinctDrugs(let l, _): return [l]
            case .values(let l, _, _, let aggregates):
                var out = aggregates.map { "\(l)_\($0.columnSuffix)" } + ["\(l)_missing"]
                if aggregates.contains(.slope) { out.append("\(l)_slope_missing") }
                return out
            case .visitsByClass(let l, _): return VisitClass.allCases.map { "\(l)_\($0.rawValue)" }
            }
    }
}

extension FeatureAggregate {
    var columnSuffix: String { self == .daysSinceLast ? "days_since_last" : rawValue }
}

/// OMOP visit classes counted by `visits by class` (visit_concept_id; 262, an emergency visit
/// that became an admission, counts as both).
public enum VisitClass: String, CaseIterable, Sendable {
    case inpatient, outpatient, emergency
    public var conceptIDs: [Int64] {
        switch self {
        case .inpatient: [9201, 262, 8717]
        case .outpatient: [9202, 581477, 5083]
        case .emergency: [9203, 262]
        }
    }
}
