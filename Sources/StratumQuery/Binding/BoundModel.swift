import StratumStore

/// The bound form of a script: names resolved, value sets expanded to code lists, dates turned
/// into day numbers, units checked. The SQL compiler reads only these types.

/// A value set after binding: exact codes, prefix patterns (`E11.*`), codes whose descendants
/// are wanted (through `concept_ancestor`), and OMOP concept ids.
public struct BoundValueSet: Sendable, Equatable {
    public struct Code: Hashable, Sendable { public var system: String; public var code: String }
    public var name: String
    public var codes: [Code] = []
    public var prefixes: [Code] = []
    public var descendantsOf: [Code] = []
    public var conceptIDs: [Int64] = []
    public var excluded: [Code] = []

    public var isEmpty: Bool { codes.isEmpty && prefixes.isEmpty && descendantsOf.isEmpty && conceptIDs.isEmpty }

    mutating func merge(_ other: BoundValueSet) {
        codes += other.codes; prefixes += other.prefixes
        descendantsOf += other.descendantsOf; conceptIDs += other.conceptIDs; excluded += other.excluded
    }

    /// A stable key: the same codes make the same codeset table within one run.
    var key: String {
        func list(_ codes: [Code]) -> String { codes.map { "\($0.system):\($0.code)" }.sorted().joined(separator: ",") }
        return [list(codes), list(prefixes), list(descendantsOf), conceptIDs.map(String.init).sorted().joined(separator: ","), list(excluded)]
            .joined(separator: "|")
    }
}

public enum BoundValue: Sendable, Equatable {
    case number(Double, unit: UnitDefinition?)
    case string(String)
    case date(Int)
    case period(Int, Int)

    public var display: String {
        switch self {
        // Whole numbers print without ".0" — when they fit: Int(1e20) would trap.
        case .number(let v, let u): return (v.rounded() == v && abs(v) < 1e15 ? String(Int64(v)) : String(v)) + (u.map { " \($0.canonical)" } ?? "")
        case .string(let s): return "\"\(s)\""
        case .date(let d): return CivilDate.iso(days: d)
        case .period(let a, let b): return "\(CivilDate.iso(days: a)) .. \(CivilDate.iso(days: b))"
        }
    }
}

public enum BoundAnchor: Sendable, Equatable {
    case entryStart, entryEnd
    case date(Int)
}

/// One end of a window: anchor plus a signed offset. `seconds` is set for hour-precision bounds.
public struct BoundBound: Sendable, Equatable {
    public var anchor: BoundAnchor
    public var offsetDays: Int
    public var offsetSeconds: Int?
}

public struct BoundWindow: Sendable, Equatable {
    public var eventEnd: Bool
    /// The event's whole span must meet [lower, upper] (see `Window.overlaps`).
    public var overlaps = false
    public var lower: BoundBound?
    public var upper: BoundBound?
}

public struct BoundValuePredicate: Sendable {
    public var op: Comparison.Op
    public var low: Double
    public var high: Double?
    public var unit: UnitDefinition?
}

public struct BoundAttributePredicate: Sendable {
    public var column: String
    public var op: Comparison.Op
    public var value: BoundValue
    public var high: BoundValue?
    /// Every value of `in (…)` / `not in (…)`.
    public var list: [BoundValue] = []
    /// A flag column whose missing value means "no" (FHIR's doNotPerform).
    public var nullMeansZero = false
    /// A workflow attribute (status, intent, category) that sources other than FHIR do not
    /// send: a row without it passes the filter rather than failing it.
    public var nullPasses = false
}

public struct BoundEventPattern: Sendable {
    public var domain: Domain
    /// For `cohort X`: the cohort's name (its definition id is looked up when the SQL runs).
    public var cohortName: String?
    public var valueSet: BoundValueSet?
    public var windows: [BoundWindow] = []
    public var value: BoundValuePredicate?
    /// `value is missing` (true) / `value is not missing` (false).
    public var valueMissing: Bool?
    /// `value in VS`: the coded answer is in the set.
    public var valueCodes: BoundValueSet?
    public var visitValueSet: BoundValueSet?
    /// `at visit not in`: the event's visit, if any, is not in this set.
    public var visitExcludedValueSet: BoundValueSet?
    public var sameVisit = false
    public var distinct: DistinctKey?
    public var attributes: [BoundAttributePredicate] = []
}

public indirect enum BoundCriterion: Sendable {
    case occurrence(Occurrence, BoundEventPattern, selector: EventSelector?)
    case group(GroupKind, [BoundCriterion])
    case not(BoundCriterion)
    case age(at: BoundAnchor, op: Comparison.Op, low: Double, high: Double?)
    case sex([String], negated: Bool)
    case observation(before: Int, after: Int)
}

public enum BoundEntry: Sendable {
    case events(limit: EntryLimit, firstEver: Bool, patterns: [BoundEventPattern], observationBefore: Int?, observationAfter: Int?)
    case date(Int, population: String?)
    case members(String)
}

public struct BoundRule: Sendable {
    public var name: String
    public var kind: RuleKind
    public var criterion: BoundCriterion
}

public enum BoundStep: Sendable {
    case rules([BoundRule])
    case keep(EntryLimit)
}

public enum BoundExit: Sendable {
    case endOfObservation
    case offset(days: Int, fromEnd: Bool)
    case continuousDrug(BoundValueSet, gapDays: Int, offsetDays: Int, daysSupply: Int?)
    case date(Int)
    /// A calendar-anchored cohort without an exit ends on its index date.
    case indexDate
}

public indirect enum BoundCohortExpr: Sendable {
    case name(String)
    case union(BoundCohortExpr, BoundCohortExpr)
    case intersect(BoundCohortExpr, BoundCohortExpr)
    case minus(BoundCohortExpr, BoundCohortExpr)
}

public struct BoundCohort: Sendable {
    public enum Body: Sendable {
        case definition(entry: BoundEntry, steps: [BoundStep], exit: BoundExit, censor: [BoundEventPattern], padDays: Int)
        case algebra(BoundCohortExpr)
    }
    public var name: String
    public var title: String?
    public var body: Body
    /// SHA-256 of the statement's text and of everything it depends on.
    public var checksum: String
    public var sourceText: String
    public var dependencies: [String]
}

public enum BoundDimension: Sendable {
    case sex, ageBand(Int, BoundAnchor), age(BoundAnchor), provider, careSite, year, race, ethnicity
    case criterion(BoundCriterion, label: String)
}

public indirect enum BoundListColumn: Sendable {
    /// A built-in column with an `as` label.
    case labeled(BoundListColumn, String)
    case person, start, end, age(BoundAnchor), sex, provider, careSite, race, ethnicity
    case event(EventSelector, BoundEventPattern, label: String)
    case count(BoundEventPattern, label: String)
    case criterion(BoundCriterion, label: String)
}

public enum BoundStatement: Sendable {
    case cohort(BoundCohort)
    case count(BoundCohortExpr, [BoundDimension], title: String)
    case list(BoundCohortExpr, [BoundListColumn], limit: Int?, title: String)
    case explain(String)
    /// `features`: a per-person feature table as of an index date.
    case features(BoundFeatures)
    /// `cluster`: phenotypes from a feature set, saved as cohorts.
    case cluster(BoundCluster)
    /// `forecast`: trajectories of a measurement, optionally a cohort of those crossing a threshold.
    case forecast(BoundForecast)
    /// `adherence`: PDC per PQA of a drug class for a cohort's members.
    case adherence(BoundAdherence)
    /// Declarations (value sets, params, lets) change the session and return nothing.
    case declaration(String)
}

/// A proportion measure after binding: populations are cohort names (already bound in the
/// session), evidence columns are list columns evaluated on the initial population.
public struct BoundMeasure: Sendable {
    public struct Group: Sendable {
        public var id: String
        public var title: String
        /// Population code (`initial-population`, `denominator`, …) → cohort name.
        public var populations: [(code: String, cohort: String)]
    }
    public var name: String
    public var title: String?
    public var version: String?
    public var cms: String?
    public var url: String?
    /// "increase" (the default) or "decrease" (an inverse measure: the numerator is the gap).
    public var improvement: String
    public var groups: [Group]
    public var evidence: [BoundListColumn]
    /// The file the measure was declared in.
    public var sourceFile: String
}
