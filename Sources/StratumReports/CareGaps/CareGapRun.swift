import Foundation

/// A population of an eCQM proportion measure, named by its FHIR `measure-population` code.
public enum MeasurePopulation: String, Codable, CaseIterable, Sendable, Comparable {
    case initialPopulation = "initial-population"
    case denominator
    case denominatorExclusion = "denominator-exclusion"
    case denominatorException = "denominator-exception"
    case numerator
    case numeratorExclusion = "numerator-exclusion"

    /// The display FHIR's measure-population code system gives each code.
    public var display: String {
        switch self {
        case .initialPopulation: "Initial Population"
        case .denominator: "Denominator"
        case .denominatorExclusion: "Denominator Exclusion"
        case .denominatorException: "Denominator Exception"
        case .numerator: "Numerator"
        case .numeratorExclusion: "Numerator Exclusion"
        }
    }

    public static func < (a: Self, b: Self) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }
}

/// Whether a higher rate is better (most measures) or worse (inverse measures such as CMS122,
/// where being in the numerator is the care gap).
public enum ImprovementNotation: String, Codable, Sendable {
    case increase, decrease
}

/// One population group of a measure (CMS347 has four; the others one).
public struct MeasureGroup: Codable, Sendable, Hashable {
    /// The group id as the measure names it ("1" when the measure has one group).
    public var id: String
    /// A short description of who the group is about, shown in reports ("" when the measure has one group).
    public var title: String
    /// The populations the group defines (a group without exceptions has no exception population).
    public var populations: [MeasurePopulation]

    public init(id: String, title: String, populations: [MeasurePopulation]) {
        self.id = id
        self.title = title
        self.populations = populations
    }
}

/// What a report says about a measure: identity, version and how it is scored.
public struct MeasureDescriptor: Codable, Sendable, Hashable {
    /// The name used on the command line and in file names: `cms122`.
    public var id: String
    /// The CMS identifier with version, `CMS122v13`, or the id upper-cased when there is none.
    public var cmsId: String
    public var title: String
    /// The version of the measure specification the script implements (`0.1.002`).
    public var version: String
    /// The canonical URL of the FHIR Measure (`https://madie.cms.gov/Measure/…`), when known.
    public var url: String?
    public var improvement: ImprovementNotation
    public var groups: [MeasureGroup]
    /// Where the value sets came from: "demo approximations (Reports/measures/valuesets)" or a
    /// `--valuesets` directory. Reports print it so demo figures are never mistaken for real ones.
    public var valueSetSource: String
    /// The script file the measure was read from, relative to the measures directory.
    public var scriptFile: String

    public init(id: String, cmsId: String, title: String, version: String, url: String?, improvement: ImprovementNotation,
                groups: [MeasureGroup], valueSetSource: String, scriptFile: String) {
        self.id = id
        self.cmsId = cmsId
        self.title = title
        self.version = version
        self.url = url
        self.improvement = improvement
        self.groups = groups
        self.valueSetSource = valueSetSource
        self.scriptFile = scriptFile
    }
}

/// A patient as a report shows them: the store's person id and attribution, no names.
public struct PatientSummary: Codable, Sendable, Hashable {
    public var personId: Int64
    /// Age in whole years at the end of the measurement period.
    public var age: Int?
    /// "female", "male" or nil when the store has no usable gender.
    public var sex: String?
    /// The attributed provider (the provider of the latest qualifying encounter, else the person's).
    public var providerId: Int64?
    public var providerName: String?
    public var careSiteId: Int64?
    public var careSiteName: String?

    public init(personId: Int64, age: Int?, sex: String?, providerId: Int64?, providerName: String?, careSiteId: Int64?, careSiteName: String?) {
        self.personId = personId
        self.age = age
        self.sex = sex
        self.providerId = providerId
        self.providerName = providerName
        self.careSiteId = careSiteId
        self.careSiteName = careSiteName
    }
}

/// One fact that explains a patient's result: "latest HbA1c 9.4 % on 2025-10-02",
/// "qualifying encounter 2025-03-14", "hospice: no".
public struct Evidence: Codable, Sendable, Hashable {
    /// What the fact is, as the measure script labels it ("latest HbA1c", "hospice").
    public var label: String
    /// The value as text ("9.4 %", "yes", "no"), nil when there is none.
    public var value: String?
    /// ISO date (YYYY-MM-DD) of the fact, when it has one.
    public var date: String?

    public init(label: String, value: String?, date: String?) {
        self.label = label
        self.value = value
        self.date = date
    }
}

/// A patient's result for one group of one measure. Only patients in the initial population
/// are recorded.
public struct MeasureOutcome: Codable, Sendable, Hashable {
    public var measureId: String
    public var groupId: String
    public var personId: Int64
    /// The populations the patient is counted in, after proportion scoring: the denominator is
    /// within the initial population, exclusions and the numerator within the denominator, a
    /// numerator only when not excluded, an exception only when excluded from neither and not in
    /// the numerator.
    public var populations: Set<MeasurePopulation>
    /// The patient has an open care gap: in the denominator, neither excluded nor excepted, and
    /// not in the numerator (for an inverse measure: in the numerator).
    public var hasGap: Bool
    public var evidence: [Evidence]

    public init(measureId: String, groupId: String, personId: Int64, populations: Set<MeasurePopulation>, hasGap: Bool, evidence: [Evidence]) {
        self.measureId = measureId
        self.groupId = groupId
        self.personId = personId
        self.populations = populations
        self.hasGap = hasGap
        self.evidence = evidence
    }
}

/// Everything one `stratum caregaps` run produced; renderers (HTML, CSV, FHIR) read only this.
public struct CareGapRun: Codable, Sendable {
    /// Measurement period, ISO dates, both inclusive.
    public var periodStart: String
    public var periodEnd: String
    /// When the run evaluated the measures (ISO 8601, UTC).
    public var generatedAt: String
    public var engineVersion: String
    /// Identifies the data: the store's file name and the SHA-256 of its latest import.
    public var dataSnapshot: String
    /// Counts below this are shown as "<N" in aggregates (default 11).
    public var minCell: Int
    public var measures: [MeasureDescriptor]
    public var patients: [PatientSummary]
    public var outcomes: [MeasureOutcome]
    /// Wall time of each measure's evaluation, in seconds, by measure id.
    public var timings: [String: Double]

    public init(periodStart: String, periodEnd: String, generatedAt: String, engineVersion: String, dataSnapshot: String, minCell: Int,
                measures: [MeasureDescriptor], patients: [PatientSummary], outcomes: [MeasureOutcome], timings: [String: Double]) {
        self.periodStart = periodStart
        self.periodEnd = periodEnd
        self.generatedAt = generatedAt
        self.engineVersion = engineVersion
        self.dataSnapshot = dataSnapshot
        self.minCell = minCell
        self.measures = measures
        self.patients = patients
        self.outcomes = outcomes
        self.timings = timings
    }
}
