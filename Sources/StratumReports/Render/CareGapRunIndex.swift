/// What every renderer needs from a `CareGapRun`, computed once: outcomes grouped by
/// (measure, group) in report order and sorted by person id, each outcome's populations as a
/// bit mask (no `Set` hashing in loops over millions of outcomes), and each outcome's patient.
///
/// Report order: measures as the run lists them, groups as the measure lists them; outcomes of a
/// group the measure does not declare follow its groups (by group id), and outcomes of a measure
/// the run does not describe come last (by measure id, then group id).
struct CareGapRunIndex: Sendable {
    /// The outcomes of one group of one measure.
    struct Bucket: Sendable {
        var measure: MeasureDescriptor
        var group: MeasureGroup
        /// Indices into `run.outcomes`, by person id.
        var outcomes: [Int]
        /// The group has more than one group in its measure (reports then name the group).
        var isMultiGroup: Bool
        /// Every population some outcome of the group is counted in.
        var seenMask: UInt8 = 0
    }

    let run: CareGapRun
    private(set) var buckets: [Bucket] = []
    /// Per outcome: the populations as bits (`bit(_:)`).
    private(set) var masks: [UInt8] = []
    /// Per outcome: its patient's slot in `patients`.
    private(set) var slots: [Int32] = []
    /// The run's patients, then a bare summary for each person an outcome names that the run
    /// does not list (no age, sex or attribution).
    private(set) var patients: [PatientSummary] = []

    static func bit(_ population: MeasurePopulation) -> UInt8 {
        switch population {
        case .initialPopulation: 1 << 0
        case .denominator: 1 << 1
        case .denominatorExclusion: 1 << 2
        case .denominatorException: 1 << 3
        case .numerator: 1 << 4
        case .numeratorExclusion: 1 << 5
        }
    }

    static func has(_ mask: UInt8, _ population: MeasurePopulation) -> Bool { mask & bit(population) != 0 }

    init(run: CareGapRun) {
        self.run = run
        patients = run.patients
        var slotOf: [Int64: Int32] = [:]
        slotOf.reserveCapacity(run.patients.count)
        for (slot, patient) in run.patients.enumerated() where slotOf[patient.personId] == nil {
            slotOf[patient.personId] = Int32(slot)
        }

        // Buckets for every declared group, so a group nobody qualified for still reports zeros.
        var bucketOf: [String: [String: Int]] = [:]
        for measure in run.measures where bucketOf[measure.id] == nil {
            var groups: [String: Int] = [:]
            for group in measure.groups where groups[group.id] == nil {
                groups[group.id] = buckets.count
                buckets.append(Bucket(measure: measure, group: group, outcomes: [], isMultiGroup: measure.groups.count > 1))
            }
            bucketOf[measure.id] = groups
        }
        let declared = buckets.count
        let measureRank = Dictionary(run.measures.enumerated().map { ($0.element.id, $0.offset) }, uniquingKeysWith: { a, _ in a })

        masks.reserveCapacity(run.outcomes.count)
        slots.reserveCapacity(run.outcomes.count)
        var seen: [UInt8] = Array(repeating: 0, count: buckets.count)
        var lastMeasure = "", lastGroup = "", lastBucket = -1
        for (index, outcome) in run.outcomes.enumerated() {
            var mask: UInt8 = 0
            for population in outcome.populations { mask |= Self.bit(population) }
            masks.append(mask)

            let slot: Int32
            if let known = slotOf[outcome.personId] {
                slot = known
            } else {
                slot = Int32(patients.count)
                slotOf[outcome.personId] = slot
                patients.append(PatientSummary(personId: outcome.personId, age: nil, sex: nil, providerId: nil, providerName: nil,
                                               careSiteId: nil, careSiteName: nil))
            }
            slots.append(slot)

            let bucket: Int
            if lastBucket >= 0 && outcome.measureId == lastMeasure && outcome.groupId == lastGroup {
                bucket = lastBucket
            } else if let known = bucketOf[outcome.measureId]?[outcome.groupId] {
                bucket = known
            } else {
                // A group (or a whole measure) the run does not describe: reported with what the
                // outcomes themselves say.
                let measure = run.measures.first { $0.id == outcome.measureId }
                    ?? MeasureDescriptor(id: outcome.measureId, cmsId: outcome.measureId.uppercased(), title: outcome.measureId, version: "",
                                         url: nil, improvement: .increase, groups: [], valueSetSource: "", scriptFile: "")
                bucket = buckets.count
                buckets.append(Bucket(measure: measure, group: MeasureGroup(id: outcome.groupId, title: "", populations: []),
                                      outcomes: [], isMultiGroup: true))
                seen.append(0)
                bucketOf[outcome.measureId, default: [:]][outcome.groupId] = bucket
            }
            lastMeasure = outcome.measureId
            lastGroup = outcome.groupId
            lastBucket = bucket
            buckets[bucket].outcomes.append(index)
            seen[bucket] |= mask
        }

        for bucket in buckets.indices { buckets[bucket].seenMask = seen[bucket] }
        if buckets.count > declared {
            // Undeclared groups go after their measure's declared ones, unknown measures last.
            let rank = { (b: Bucket) in (measureRank[b.measure.id] ?? Int.max, b.measure.groups.firstIndex { $0.id == b.group.id } ?? Int.max) }
            buckets.sort { a, b in
                let (ma, ga) = rank(a), (mb, gb) = rank(b)
                if ma != mb { return ma < mb }
                if a.measure.id != b.measure.id { return a.measure.id < b.measure.id }
                if ga != gb { return ga < gb }
                return a.group.id < b.group.id
            }
        }

        // By person id; outcomes usually arrive sorted, so check before sorting.
        let outcomes = run.outcomes
        for bucket in buckets.indices {
            let list = buckets[bucket].outcomes
            var sorted = true
            var previous = Int64.min
            for index in list {
                let person = outcomes[index].personId
                if person < previous { sorted = false; break }
                previous = person
            }
            if !sorted {
                buckets[bucket].outcomes = list.sorted { a, b in
                    let pa = outcomes[a].personId, pb = outcomes[b].personId
                    return pa != pb ? pa < pb : a < b
                }
            }
        }
    }

    /// The group's label in reports: "" for a measure's only group, else "group 2: Age 18–64".
    func groupLabel(_ bucket: Bucket) -> String {
        guard bucket.isMultiGroup else { return "" }
        return bucket.group.title.isEmpty ? "group \(bucket.group.id)" : "group \(bucket.group.id): \(bucket.group.title)"
    }

    /// The populations a group reports: those it declares plus any an outcome is counted in
    /// (an undeclared group has only the latter).
    func populations(of bucket: Bucket) -> [MeasurePopulation] {
        MeasurePopulation.allCases.filter { bucket.group.populations.contains($0) || bucket.seenMask & Self.bit($0) != 0 }
    }
}
