/// The parsed form of a script: what the user wrote, with source ranges, before any name is
/// resolved. The binder turns it into `Bound*` types; nothing here knows about SQL.
public struct Script: Sendable {
    public var file: String
    public var statements: [Statement]
}

/// A name as written, with where it was written.
public struct Name: Sendable, Equatable {
    public var text: String
    public var range: SourceRange
}

public indirect enum Statement: Sendable {
    case valueSet(ValueSetDecl)
    case param(ParamDecl)
    case letBinding(LetDecl)
    case cohort(CohortDecl)
    case count(CountStmt)
    case list(ListStmt)
    case explain(ExplainStmt)
    case include(path: String, range: SourceRange)
    case measure(MeasureDecl)
    case features(FeaturesDecl)
    case cluster(ClusterDecl)
    case forecast(ForecastDecl)
    case adherence(AdherenceDecl)

    public var range: SourceRange {
        switch self {
        case .valueSet(let d): return d.range
        case .param(let d): return d.range
        case .letBinding(let d): return d.range
        case .cohort(let d): return d.range
        case .count(let d): return d.range
        case .list(let d): return d.range
        case .explain(let d): return d.range
        case .include(_, let range): return range
        case .measure(let d): return d.range
        case .features(let d): return d.range
        case .cluster(let d): return d.range
        case .forecast(let d): return d.range
        case .adherence(let d): return d.range
        }
    }
}

// MARK: - Value sets

public struct ValueSetDecl: Sendable {
    public var name: Name
    public var items: [ValueSetItem]
    public var range: SourceRange
}

public indirect enum ValueSetItem: Sendable {
    /// `snomed:44054006`, `icd10cm:E11.*`
    case code(system: String, code: String, range: SourceRange)
    /// `descendants of snomed:44054006` or `descendants of omop:201826` — through concept_ancestor.
    case descendants(system: String, code: String, range: SourceRange)
    /// `load "file.json"` — a FHIR ValueSet by path, or by name/OID from the value-set directory.
    case load(String, range: SourceRange)
    /// Another value set, by name.
    case reference(Name)
    /// `except <item>` — removes codes.
    case except(ValueSetItem, range: SourceRange)
}

/// A value set where a criterion needs one: a name, or codes written inline.
public enum ValueSetRef: Sendable {
    case named(Name)
    case inline([ValueSetItem], range: SourceRange)
}

// MARK: - Values and parameters

/// A value expression: literals, parameter references, ranges, and date arithmetic.
public indirect enum ValueExpr: Sendable {
    case number(Double, unit: String?, range: SourceRange)
    case string(String, range: SourceRange)
    case date(year: Int, month: Int, day: Int, range: SourceRange)
    case range(ValueExpr, ValueExpr, range: SourceRange)
    case name(Name)
    /// `start of period`, `end of period`
    case startOf(ValueExpr, range: SourceRange)
    case endOf(ValueExpr, range: SourceRange)
    /// `30 days before end of period`
    case offset(amount: Int, unit: TimeUnit, before: Bool, base: ValueExpr, range: SourceRange)

    public var range: SourceRange {
        switch self {
        case .number(_, _, let r), .string(_, let r), .date(_, _, _, let r), .range(_, _, let r),
             .startOf(_, let r), .endOf(_, let r), .offset(_, _, _, _, let r): return r
        case .name(let n): return n.range
        }
    }
}

public enum TimeUnit: String, Sendable { case hours, days, weeks, months, years }

public struct ParamDecl: Sendable {
    public var name: Name
    public var value: ValueExpr
    public var range: SourceRange
}

/// `let name = <value>` or `let name = <criterion>`.
public struct LetDecl: Sendable {
    public enum Value: Sendable { case value(ValueExpr), criterion(Criterion) }
    public var name: Name
    public var value: Value
    public var range: SourceRange
}

// MARK: - Cohorts

public struct CohortDecl: Sendable {
    public var name: Name
    public var title: String?
    public var body: CohortBody
    public var range: SourceRange
    /// The parser reported an error inside it: the binder then stays quiet about what is missing.
    public var incomplete = false
}

public enum CohortBody: Sendable {
    case definition([CohortClause])
    case algebra(CohortExpr)
}

public indirect enum CohortExpr: Sendable {
    case name(Name)
    case union(CohortExpr, CohortExpr, range: SourceRange)
    case intersect(CohortExpr, CohortExpr, range: SourceRange)
    case minus(CohortExpr, CohortExpr, range: SourceRange)
}

public enum EntryLimit: String, Sendable { case first, last, all }

public enum CohortClause: Sendable {
    /// `entry first condition in Diabetes or drug in Metformin`
    case entryEvents(limit: EntryLimit, firstEver: Bool, events: [EventPattern],
                     observation: ObservationRequirement?, range: SourceRange)
    /// `entry on end of period for T2D` / `entry on 2024-12-31 for everyone`
    case entryDate(date: ValueExpr, population: Name?, range: SourceRange)
    /// `entry members of T2D`
    case entryMembers(Name, range: SourceRange)
    case rule(name: String?, kind: RuleKind, criterion: Criterion, range: SourceRange)
    /// `keep first|last` — one event per person at this point of the pipeline.
    case keep(EntryLimit, range: SourceRange)
    case exit(ExitStrategy, range: SourceRange)
    case censor([EventPattern], range: SourceRange)
    case collapse(padDays: Int, range: SourceRange)
}

public enum RuleKind: String, Sendable { case require, rule, exclude }

public struct ObservationRequirement: Sendable {
    public var daysBefore: Int
    public var daysAfter: Int
    public var range: SourceRange
}

public enum ExitStrategy: Sendable {
    case endOfObservation
    /// `exit 30 days after entry` / `exit 0 days after entry end`
    case offset(days: Int, fromEnd: Bool)
    /// `exit on continuous drug in Statins gap 30 days [offset 0 days] [days supply 30]`
    case continuousDrug(ValueSetRef, gapDays: Int, offsetDays: Int, daysSupply: Int?)
    /// `exit on end of period` — a fixed date.
    case date(ValueExpr)
}

// MARK: - Criteria

/// Event domains a criterion can look at.
public enum Domain: String, Sendable, CaseIterable {
    case condition, drug, measurement, procedure, observation, visit, death, cohort
    /// Devices: OMOP `device_exposure` (FHIR DeviceRequest orders land here).
    case device
    /// Orders for services (FHIR ServiceRequest), Stratum's `service_request` table.
    case order
}

/// `condition in Diabetes during period value > 9 %`: a kind of event and its filters.
public struct EventPattern: Sendable {
    public var domain: Domain
    public var domainRange: SourceRange
    public var cohort: Name?              // when domain == .cohort
    public var valueSet: ValueSetRef?
    public var filters: [EventFilter]
    public var range: SourceRange
}

public indirect enum EventFilter: Sendable {
    case window(Window)
    case value(Comparison)
    /// `value is missing` / `value is not missing` — a result without (or with) a value.
    case valueMissing(negated: Bool, range: SourceRange)
    /// `value in NursingHome` — a coded answer in a value set.
    case valueIn(ValueSetRef, range: SourceRange)
    /// `at visit in Inpatient` — the event's visit has a visit code in the value set.
    case visitIn(ValueSetRef, range: SourceRange)
    /// `at visit not in AcuteCare` — the event has no visit, or its visit is not in the value set.
    case visitNotIn(ValueSetRef, range: SourceRange)
    /// `same visit` — the event shares the visit of the entry event.
    case sameVisit(range: SourceRange)
    /// `distinct by day|code|visit` — what occurrence counts count.
    case distinct(DistinctKey, range: SourceRange)
    /// `where days_supply >= 30` — a named attribute of the domain.
    case attribute(Name, Comparison)
}

public enum DistinctKey: String, Sendable { case day, code, visit }

/// `> 9 %`, `between 18 and 75`, `= female`
public struct Comparison: Sendable {
    public enum Op: String, Sendable { case lt = "<", le = "<=", gt = ">", ge = ">=", eq = "=", ne = "!=", between, `in` = "in", notIn = "not in" }
    public var op: Op
    public var value: ValueExpr
    public var upper: ValueExpr?   // for between
    /// For `in (…)` / `not in (…)`: every listed value (`value` is the first).
    public var list: [ValueExpr] = []
    public var range: SourceRange
}

/// A time window relative to an anchor. Bounds are inclusive unless marked exclusive.
public struct Window: Sendable {
    public enum Bound: Sendable {
        case unbounded
        /// `n days before/after anchor`; `exclusive` opens the bound.
        case relative(amount: Int, unit: TimeUnit, after: Bool, anchor: Anchor, exclusive: Bool)
    }
    /// Which date of the event is tested: its start (default) or its end.
    public var eventEnd: Bool
    /// `overlapping period`: the event's span meets the window — its start is on or before the
    /// upper bound and its end on or after the lower bound.
    public var overlaps = false
    public var lower: Bound
    public var upper: Bound
    public var range: SourceRange
}

public indirect enum Anchor: Sendable {
    case entryStart(SourceRange)
    case entryEnd(SourceRange)
    case value(ValueExpr)
}

/// A selection of one event among those matched, before a value comparison.
public enum EventSelector: String, Sendable {
    case first, last, lowest, highest
    case lowestOnLastDay = "lowest on last day"
    case highestOnLastDay = "highest on last day"
}

public indirect enum Criterion: Sendable {
    /// `[at least N|at most N|exactly N|no] [first|last|…] <event pattern>`
    case occurrence(Occurrence, EventPattern, selector: EventSelector?, range: SourceRange)
    case group(GroupKind, [Criterion], range: SourceRange)
    case not(Criterion, range: SourceRange)
    case age(at: Anchor?, Comparison, range: SourceRange)
    case sex([Name], negated: Bool, range: SourceRange)
    /// `observation 365 days before entry [and 30 days after]`
    case observation(before: Int, after: Int, range: SourceRange)
    case reference(Name)

    public var range: SourceRange {
        switch self {
        case .occurrence(_, _, _, let r), .group(_, _, let r), .not(_, let r), .age(_, _, let r),
             .sex(_, _, let r), .observation(_, _, let r): return r
        case .reference(let n): return n.range
        }
    }
}

public struct Occurrence: Sendable, Equatable {
    public enum Kind: String, Sendable { case atLeast = "at least", atMost = "at most", exactly }
    public var kind: Kind
    public var count: Int
    public static let any = Occurrence(kind: .atLeast, count: 1)
    public static let none = Occurrence(kind: .exactly, count: 0)
}

public enum GroupKind: Sendable, Equatable {
    case all, any
    case atLeast(Int), atMost(Int)
}

// MARK: - Result statements

public struct CountStmt: Sendable {
    public var cohort: CohortExpr
    public var by: [Dimension]
    public var range: SourceRange
}

public indirect enum Dimension: Sendable {
    case sex(SourceRange)
    case ageBand(width: Int, at: Anchor?, range: SourceRange)
    case age(at: Anchor?, range: SourceRange)
    case provider(SourceRange)
    case careSite(SourceRange)
    case year(SourceRange)
    case race(SourceRange)
    case ethnicity(SourceRange)
    case criterion(Criterion, label: String?, range: SourceRange)
}

public struct ListStmt: Sendable {
    public var cohort: CohortExpr
    public var columns: [ListColumn]
    public var limit: Int?
    public var range: SourceRange
}

public struct ListColumn: Sendable {
    public enum Kind: Sendable {
        case person, start, end, age(at: Anchor?), sex, provider, careSite, race, ethnicity
        /// `last measurement in HbA1c during period` → value and date
        case event(selector: EventSelector, EventPattern)
        /// `count condition in X during period`
        case count(EventPattern)
        case criterion(Criterion)
    }
    public var kind: Kind
    public var label: String?
    public var range: SourceRange
}

public struct ExplainStmt: Sendable {
    public var cohort: Name
    public var range: SourceRange
}

// MARK: - Measures

/// `measure CMS122 "Diabetes: …" version "0.1.002" improvement decrease
///    initial population CMS122_Initial  denominator CMS122_Initial  … evidence …`:
/// an eCQM-style proportion measure whose populations are cohorts.
public struct MeasureDecl: Sendable {
    public struct Group: Sendable {
        public var id: String?
        public var title: String?
        /// Population code (`initial-population`, `denominator`, …) and the cohort that defines it.
        public var populations: [(code: String, cohort: Name)]
        public var range: SourceRange
    }
    public var name: Name
    public var title: String?
    /// `version "…"`, `cms "CMS122v13"`, `url "…"`, `improvement increase|decrease`.
    public var properties: [(key: String, value: String, range: SourceRange)]
    public var groups: [Group]
    public var evidence: [ListColumn]
    public var range: SourceRange
}
