/// `cluster T2D using F method kmeans|gmm|ward k 4 | k 2..6 [seed 42] [restarts 10]
///  [covariance diag|full] [bootstrap 20] as Phenotypes`: phenotypes of a cohort from a feature
/// set, saved as cohorts `Phenotypes_1` … `Phenotypes_k` (largest first).
public struct ClusterDecl: Sendable {
    public var cohort: Name
    public var features: Name
    public var method: (text: String, range: SourceRange)
    public var k: (low: Int, high: Int, range: SourceRange)
    public var seed: Int?
    public var restarts: Int?
    public var covariance: (text: String, range: SourceRange)?
    public var bootstrap: Int?
    public var name: Name
    /// `charts "dir"`: the k-selection plot and the profile chart as SVG files.
    public var charts: String?
    public var range: SourceRange
}

/// `forecast HbA1c [in %] for T2D at DATE horizon 180 days [threshold 9] [as Rising]`: each
/// member's trajectory of a measurement forecast from a mixed-effects model fitted on the
/// cohort; `as` saves the members forecast to cross the threshold as a cohort.
public struct ForecastDecl: Sendable {
    public var valueSet: ValueSetRef
    public var unit: (text: String, range: SourceRange)?
    public var cohort: Name
    public var asOf: ValueExpr?
    public var horizonDays: Int
    public var threshold: Double?
    public var name: Name?
    /// `charts "dir"`: the cohort's trajectories and each flagged person's forecast as SVG files.
    public var charts: String?
    public var range: SourceRange
}

/// `adherence Statins for T2D during period [threshold 0.8] [as NonAdherent]`: PDC per PQA of a
/// drug class for each member; `as` saves the members below the threshold as a cohort.
public struct AdherenceDecl: Sendable {
    public var valueSet: ValueSetRef
    public var cohort: Name
    public var period: ValueExpr
    public var threshold: Double?
    public var name: Name?
    /// `charts "dir"`: a timeline for each member below the threshold.
    public var charts: String?
    public var range: SourceRange
}
