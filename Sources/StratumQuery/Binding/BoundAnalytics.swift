/// A `cluster` statement after binding.
public struct BoundCluster: Sendable {
    public enum Method: String, Sendable, CaseIterable { case kmeans, gmm, ward }
    public var cohort: String
    public var features: String
    public var method: Method
    public var kRange: ClosedRange<Int>
    public var seed: UInt64
    public var restarts: Int
    /// "diag" or "full" (mixtures only).
    public var covariance: String
    /// Bootstrap replicates for stability (0: none).
    public var bootstrap: Int
    /// Phenotype cohorts are `name_1` … `name_k`.
    public var name: String
    /// Where to write the SVG charts (resolved against the script's folder).
    public var chartsDirectory: String?
    public var sourceText: String

    public func cohortName(_ cluster: Int) -> String { "\(name)_\(cluster)" }
}

/// A `forecast` statement after binding.
public struct BoundForecast: Sendable {
    public var valueSet: BoundValueSet
    public var unit: UnitDefinition?
    public var cohort: String
    /// Nil: the latest result date among the cohort's results.
    public var asOf: Int?
    public var horizonDays: Int
    public var threshold: Double?
    public var name: String?
    public var chartsDirectory: String?
    public var sourceText: String
}

/// Numerics the language calls but does not implement: the `Stratum` module supplies the GSL
/// implementations (StratumAnalytics) so the query layer stays free of numerical code.
public protocol AnalyticsProvider: Sendable {
    func cluster(_ request: ClusterRequest) throws -> ClusterOutcome
    func forecast(_ request: ForecastRequest) throws -> ForecastOutcome
    func adherence(_ request: AdherenceRequest) throws -> AdherenceOutcome
}

public struct ClusterRequest: Sendable {
    /// Row-major model matrix (standardised, missing values filled), rows × columns.
    public var matrix: [Double]
    public var rows: Int
    public var columns: [String]
    /// The unscaled values by column (NaN missing), for profiles a clinician can read.
    public var raw: [[Double]]
    public var method: BoundCluster.Method
    public var kRange: ClosedRange<Int>
    public var seed: UInt64
    public var restarts: Int
    public var covariance: String
    public var bootstrap: Int
    /// Whether to draw the charts (`ClusterOutcome.charts`).
    public var charts: Bool = false
}

public struct ClusterOutcome: Sendable {
    public var k: Int
    /// 1-based cluster of each row, largest cluster first.
    public var assignments: [Int]
    /// Membership probability of the assigned cluster (mixtures only).
    public var probabilities: [Double]?
    /// Tables to show: the choice of k (for a range), sizes and fit, profiles, stability.
    public var tables: [ResultTable]
    /// SVG charts by file name (when asked for).
    public var charts: [(name: String, svg: String)] = []
    public init(k: Int, assignments: [Int], probabilities: [Double]?, tables: [ResultTable]) {
        self.k = k
        self.assignments = assignments
        self.probabilities = probabilities
        self.tables = tables
    }
}

public struct ForecastRequest: Sendable {
    /// Results as parallel arrays, grouped by person and ordered by day within a person.
    public var persons: [Int64]
    public var days: [Int]
    public var values: [Double]
    public var asOfDay: Int
    public var horizonDays: Int
    public var threshold: Double?
    public var charts: Bool = false
}

public struct ForecastOutcome: Sendable {
    /// One row per person forecast (person, last date, last value, forecast date, forecast,
    /// 80% and 95% bounds, whether it crosses the threshold).
    public var table: ResultTable
    /// Persons forecast to cross the threshold within the horizon.
    public var flagged: [Int64]
    /// The fitted model, as a small table (fixed effects, variance components).
    public var model: ResultTable
    /// Persons forecast (the table may show only some of them).
    public var persons: Int
    /// SVG charts by file name (when asked for).
    public var charts: [(name: String, svg: String)] = []
    public init(table: ResultTable, flagged: [Int64], model: ResultTable, persons: Int) {
        self.table = table
        self.flagged = flagged
        self.model = model
        self.persons = persons
    }
}

/// An `adherence` statement after binding.
public struct BoundAdherence: Sendable {
    public var valueSet: BoundValueSet
    public var cohort: String
    public var periodStart: Int
    public var periodEnd: Int
    public var threshold: Double
    /// The members below the threshold, saved as a cohort.
    public var name: String?
    public var chartsDirectory: String?
    public var sourceText: String
}

/// Fills of a class for PDC, as parallel arrays grouped by person: the day, the days supplied,
/// the drug code (refills are matched on it), and whether the row is a prescription (a
/// MedicationRequest, used only for persons without dispensings: see docs/ADHERENCE.md) with the
/// refills it allows.
public struct AdherenceRequest: Sendable {
    public var members: [Int64]
    public var persons: [Int64]
    public var days: [Int]
    public var daysSupply: [Int]
    public var drugs: [String]
    public var prescribed: [Bool]
    public var refills: [Int]
    /// Inpatient stays (person, first day, last day).
    public var stays: [(person: Int64, start: Int, end: Int)]
    public var periodStart: Int
    public var periodEnd: Int
    public var threshold: Double
    /// Draw a timeline for each member below the threshold (at most 20).
    public var charts: Bool = false
}

public struct AdherenceOutcome: Sendable {
    /// One row per member: PDC, covered and treatment days, adherent, or why not in the denominator.
    public var table: ResultTable
    /// Members in the denominator with PDC below the threshold.
    public var belowThreshold: [Int64]
    public var eligible: Int
    public var adherent: Int
    /// SVG timelines by file name (when asked for).
    public var charts: [(name: String, svg: String)] = []
    public init(table: ResultTable, belowThreshold: [Int64], eligible: Int, adherent: Int) {
        self.table = table
        self.belowThreshold = belowThreshold
        self.eligible = eligible
        self.adherent = adherent
    }
}
