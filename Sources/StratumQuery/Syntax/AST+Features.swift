/// `features F for T2D at end of period [standardize zscore|robust|like G] [to "f.csv"]`
/// followed by its items (one per line or comma-separated):
///
///     age, sex
///     measurement HbA1c: last, mean, min, max, count, slope, days since last over 730 days as hba1c
///     conditions Hypertension over 3650 days
///     count procedure in Dialysis over 365 days as dialysis
///     distinct drugs over 90 days as polypharmacy
///     visits by class over 365 days
///
/// One row per person of the cohort as of an index date; no item reads an event after it.
public struct FeaturesDecl: Sendable {
    public enum Index: Sendable {
        /// A calendar date for everyone (`at end of period`, `at 2024-12-31`).
        case date(ValueExpr)
        /// Each person's first entry into the cohort (`at entry`), or its end (`at entry end`).
        case entry(end: Bool, range: SourceRange)
    }
    public enum Scaling: Sendable {
        case zscore(SourceRange), robust(SourceRange)
        /// The centres and scales another feature set was fitted with (new data, same transform).
        case like(Name)
    }
    public var name: Name
    public var cohort: Name
    public var index: Index
    public var scaling: Scaling?
    public var output: (path: String, range: SourceRange)?
    public var items: [FeatureItem]
    public var range: SourceRange
}

public enum FeatureAggregate: String, Sendable, CaseIterable {
    case last, mean, min, max, count, slope
    case daysSinceLast = "days since last"
}

public struct FeatureItem: Sendable {
    public enum Kind: Sendable {
        case age, sex
        /// `measurement VS: last, mean … over N days` (also `observation VS: …`).
        /// `in %` converts values to that unit and skips results in an incompatible one.
        case values(Domain, ValueSetRef, unit: (text: String, range: SourceRange)?, [FeatureAggregate])
        /// `conditions VS`: the number of condition records in the value set.
        case conditions(ValueSetRef)
        /// `count <event pattern>`: the number of matching events.
        case count(EventPattern)
        /// `distinct drugs [in VS]`: the number of distinct drug codes (polypharmacy).
        case distinctDrugs(ValueSetRef?)
        /// `visits [in VS]`: the number of visits; `visits by class`: one column per class.
        case visits(ValueSetRef?, byClass: Bool)
    }
    public var kind: Kind
    /// `over N days`: the window ends on the index date; nil means all history up to it.
    public var days: Int?
    public var label: String?
    public var range: SourceRange
}
