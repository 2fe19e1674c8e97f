import Foundation
import StratumStore

/// What a session knows: value sets, parameters, `let` bindings and cohorts, by name
/// (case-insensitive, spelled as first written). A value type, so a script binds against a
/// copy and the session keeps it only when the whole script is valid.
public struct Environment: Sendable {
    public struct Entry<T: Sendable>: Sendable { public var name: String; public var value: T }
    public var valueSets: [String: Entry<BoundValueSet>] = [:]
    public var params: [String: Entry<BoundValue>] = [:]
    public var values: [String: Entry<BoundValue>] = [:]
    public var criteria: [String: Entry<BoundCriterion>] = [:]
    public var cohorts: [String: Entry<BoundCohort>] = [:]
    /// Measures declared with `measure`, by lower-cased name.
    public var measures: [String: Entry<BoundMeasure>] = [:]
    /// Feature sets declared with `features`, by lower-cased name.
    public var featureSets: [String: Entry<BoundFeatures>] = [:]
    /// Feature sets whose scaling is saved in the store (`feature_scaling`), usable by `standardize like`.
    public var storedFeatureSets: [String: String] = [:]
    /// Cohorts already in the store's `cohort_definition` table, usable by name.
    public var storedCohorts: [String: String] = [:]
    /// `--param` values given on the command line; they override a script's defaults.
    public var overrides: [String: BoundValue] = [:]
    /// Where `load "name"` looks when the name is not a file.
    public var valueSetDirectory: String?

    public init() {}

    static func key(_ name: String) -> String { name.lowercased() }

    /// Every name a user can type, for completion and suggestions.
    public var allNames: [String] {
        valueSets.values.map(\.name) + params.values.map(\.name) + values.values.map(\.name)
            + criteria.values.map(\.name) + cohorts.values.map(\.name) + storedCohorts.values.map { $0 }
    }

    public var cohortNames: [String] { Array(Set(cohorts.values.map(\.name) + storedCohorts.values)).sorted() }

    func hasCohort(_ name: String) -> Bool { cohorts[Environment.key(name)] != nil || storedCohorts[Environment.key(name)] != nil }
    func cohortDisplayName(_ name: String) -> String {
        cohorts[Environment.key(name)]?.name ?? storedCohorts[Environment.key(name)] ?? name
    }

    /// Parses a `--param name=value` value: `2024` (a calendar year, as a period),
    /// `2024-01-01..2024-12-31`, a date, a number or text.
    public static func parseParameter(_ text: String) -> BoundValue {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if trimmed.count == 4, let year = Int(trimmed), year > 1800, year < 2300 {
            return .period(CivilDate.days(year: year, month: 1, day: 1), CivilDate.days(year: year, month: 12, day: 31))
        }
        if let dots = trimmed.range(of: "..") {
            let a = String(trimmed[..<dots.lowerBound]), b = String(trimmed[dots.upperBound...])
            if case .date(let start) = parseParameter(a), case .date(let end) = parseParameter(b) { return .period(start, end) }
            if case .period(let start, _) = parseParameter(a), case .period(_, let end) = parseParameter(b) { return .period(start, end) }
        }
        let parts = trimmed.split(separator: "-")
        if parts.count == 3, let y = Int(parts[0]), let m = Int(parts[1]), let d = Int(parts[2]), parts[0].count == 4,
           CivilDate.isValid(year: y, month: m, day: d) {
            return .date(CivilDate.days(year: y, month: m, day: d))
        }
        if let number = Double(trimmed) { return .number(number, unit: nil) }
        return .string(trimmed)
    }
}

/// Loads a value set named by `load "…"`. The session supplies one that reads FHIR ValueSet
/// files; tests can supply their own.
public protocol ValueSetLoading: Sendable {
    func load(_ reference: String, relativeTo directory: String?, valueSetDirectory: String?) throws -> BoundValueSet
}
