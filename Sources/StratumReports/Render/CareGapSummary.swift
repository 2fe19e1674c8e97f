/// The aggregate figures of a care-gap run: for each group of each measure, the population counts,
/// the open gaps and the performance rate, overall and per attributed provider and care site —
/// with the small-cell suppression every renderer applies.
///
/// **Suppression.** A count in an aggregate that is above 0 and below `minCell` (the run's, 11 by
/// default) is not shown: renderers print `<11` instead. A rate is shown as "suppressed" when its
/// numerator, its denominator or its performance denominator is suppressed. 0 is shown as 0.
/// Complementary suppression is *not* done: a suppressed cell can sometimes be recovered from
/// the cells around it (initial population − denominator, denominator − numerator …). The
/// patient-level lists are not aggregates and are never suppressed.
public struct CareGapSummary: Sendable {
    /// Which aggregate a row is.
    public enum Level: String, Sendable, CaseIterable {
        case measure
        case provider
        case careSite = "care_site"
    }

    /// Population counts of one group, over some set of patients.
    public struct Counts: Sendable, Hashable {
        public var initialPopulation = 0
        public var denominator = 0
        public var denominatorExclusion = 0
        public var denominatorException = 0
        public var numerator = 0
        public var numeratorExclusion = 0
        public var openGaps = 0

        public init() {}

        /// Denominator − exclusions − exceptions: who the rate is about.
        public var performanceDenominator: Int { denominator - denominatorExclusion - denominatorException }

        /// Numerator / performance denominator, nil when nobody is left in the denominator. For an
        /// inverse measure this is still the numerator's share (and lower is better).
        public var rate: Double? {
            let pd = performanceDenominator
            return pd > 0 ? Double(numerator) / Double(pd) : nil
        }

        public func count(_ population: MeasurePopulation) -> Int {
            switch population {
            case .initialPopulation: initialPopulation
            case .denominator: denominator
            case .denominatorExclusion: denominatorExclusion
            case .denominatorException: denominatorException
            case .numerator: numerator
            case .numeratorExclusion: numeratorExclusion
            }
        }

        @inline(__always)
        mutating func add(mask: UInt8, gap: Bool) {
            if mask & (1 << 0) != 0 { initialPopulation += 1 }
            if mask & (1 << 1) != 0 { denominator += 1 }
            if mask & (1 << 2) != 0 { denominatorExclusion += 1 }
            if mask & (1 << 3) != 0 { denominatorException += 1 }
            if mask & (1 << 4) != 0 { numerator += 1 }
            if mask & (1 << 5) != 0 { numeratorExclusion += 1 }
            if gap { openGaps += 1 }
        }
    }

    /// One aggregate: a group of a measure, overall (`level == .measure`) or for one provider or
    /// care site.
    public struct Row: Sendable {
        public var level: Level
        public var measure: MeasureDescriptor
        public var group: MeasureGroup
        /// "" for a measure's only group, else "group 2: …".
        public var groupLabel: String
        /// The measure's CMS id, the provider or care-site id, or "unattributed".
        public var key: String
        /// The measure's title, the provider's or care site's name ("" when unknown).
        public var name: String
        public var counts: Counts
    }

    /// A count as an aggregate may show it.
    public enum Cell: Equatable, Sendable {
        case count(Int)
        case suppressed
    }

    /// A rate as an aggregate may show it.
    public enum Rate: Equatable, Sendable {
        case value(Double)
        case suppressed
        /// Nobody is left in the performance denominator.
        case undefined
    }

    /// Counts in 1..<minCell are suppressed.
    public let minCell: Int
    /// One row per group of each measure, in report order.
    public private(set) var measureRows: [Row] = []
    /// Per group of each measure, one row per provider with patients in it (by provider id;
    /// "unattributed" last).
    public private(set) var providerRows: [Row] = []
    /// Like `providerRows`, per care site.
    public private(set) var careSiteRows: [Row] = []

    /// Every row: measures, then providers, then care sites.
    public var rows: [Row] { measureRows + providerRows + careSiteRows }

    /// How a suppressed count is printed: `<11`.
    public var suppressedLabel: String { "<\(minCell)" }

    public init(run: CareGapRun) {
        self.init(index: CareGapRunIndex(run: run))
    }

    init(index: CareGapRunIndex) {
        minCell = index.run.minCell
        let patients = index.patients
        let providers = Self.attribution(patients) { ($0.providerId, $0.providerName) }
        let careSites = Self.attribution(patients) { ($0.careSiteId, $0.careSiteName) }
        let outcomes = index.run.outcomes
        let masks = index.masks, slots = index.slots

        for bucket in index.buckets {
            var overall = Counts()
            var byProvider = [Counts](repeating: Counts(), count: providers.keys.count)
            var byCareSite = [Counts](repeating: Counts(), count: careSites.keys.count)
            for outcome in bucket.outcomes {
                let mask = masks[outcome], gap = outcomes[outcome].hasGap, slot = Int(slots[outcome])
                overall.add(mask: mask, gap: gap)
                byProvider[providers.slotKey[slot]].add(mask: mask, gap: gap)
                byCareSite[careSites.slotKey[slot]].add(mask: mask, gap: gap)
            }
            let label = index.groupLabel(bucket)
            measureRows.append(Row(level: .measure, measure: bucket.measure, group: bucket.group, groupLabel: label,
                                   key: bucket.measure.cmsId, name: bucket.measure.title, counts: overall))
            for key in providers.order where byProvider[key].initialPopulation > 0 {
                providerRows.append(Row(level: .provider, measure: bucket.measure, group: bucket.group, groupLabel: label,
                                        key: providers.keys[key], name: providers.names[key], counts: byProvider[key]))
            }
            for key in careSites.order where byCareSite[key].initialPopulation > 0 {
                careSiteRows.append(Row(level: .careSite, measure: bucket.measure, group: bucket.group, groupLabel: label,
                                        key: careSites.keys[key], name: careSites.names[key], counts: byCareSite[key]))
            }
        }
    }

    // MARK: Suppression

    public func cell(_ count: Int) -> Cell {
        count > 0 && count < minCell ? .suppressed : .count(count)
    }

    public func isSuppressed(_ count: Int) -> Bool { cell(count) == .suppressed }

    /// The rate of `counts`, suppressed when the numerator, the denominator or the performance
    /// denominator is.
    public func rate(_ counts: Counts) -> Rate {
        if isSuppressed(counts.numerator) || isSuppressed(counts.denominator) || isSuppressed(counts.performanceDenominator) {
            return .suppressed
        }
        guard let rate = counts.rate else { return .undefined }
        return .value(rate)
    }

    /// The open-gap rate (open gaps / performance denominator), suppressed like `rate(_:)`, with the
    /// open-gap count in place of the numerator.
    public func gapRate(_ counts: Counts) -> Rate {
        if isSuppressed(counts.openGaps) || isSuppressed(counts.denominator) || isSuppressed(counts.performanceDenominator) {
            return .suppressed
        }
        let pd = counts.performanceDenominator
        return pd > 0 ? .value(Double(counts.openGaps) / Double(pd)) : .undefined
    }

    /// A count as text: the number, or `<11`.
    public func text(_ count: Int) -> String {
        isSuppressed(count) ? suppressedLabel : String(count)
    }

    // MARK: Attribution

    /// Dense keys for a kind of attribution: per patient slot the key's index, the keys' ids as
    /// text ("unattributed" for none), their names, and the order rows are listed in.
    private struct Attribution {
        var slotKey: [Int] = []
        var keys: [String] = []
        var names: [String] = []
        var order: [Int] = []
    }

    private static func attribution(_ patients: [PatientSummary], _ pick: (PatientSummary) -> (Int64?, String?)) -> Attribution {
        var result = Attribution()
        var indexOf: [Int64: Int] = [:]
        var ids: [Int64?] = []
        var unattributed: Int?
        result.slotKey.reserveCapacity(patients.count)
        for patient in patients {
            let (id, name) = pick(patient)
            let key: Int
            if let id {
                if let known = indexOf[id] {
                    key = known
                    if result.names[key].isEmpty, let name { result.names[key] = name }
                } else {
                    key = result.keys.count
                    indexOf[id] = key
                    result.keys.append(String(id))
                    result.names.append(name ?? "")
                    ids.append(id)
                }
            } else if let unattributed {
                key = unattributed
            } else {
                key = result.keys.count
                unattributed = key
                result.keys.append("unattributed")
                result.names.append("")
                ids.append(nil)
            }
            result.slotKey.append(key)
        }
        result.order = result.keys.indices.sorted { a, b in
            switch (ids[a], ids[b]) {
            case let (x?, y?): x < y
            case (.some, nil): true
            case (nil, _): false
            }
        }
        return result
    }
}
