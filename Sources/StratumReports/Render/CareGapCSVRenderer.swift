/// The two CSV files of a care-gap report: every patient's outcome (`caregaps-patients.csv`,
/// not suppressed — it is a work list, not an aggregate) and the aggregates
/// (`caregaps-summary.csv`, small cells shown as `<11`). RFC 4180: a header row, `\n` line ends,
/// fields with a comma, quote, CR or LF quoted with quotes doubled. Rows are in report order
/// (measure, group, then person id or key), so the same run gives the same bytes.
public struct CareGapCSVRenderer {
    public static let patientsHeader = [
        "measure", "group", "person_id", "age", "sex", "provider_id", "provider", "care_site_id", "care_site",
        "initial_population", "denominator", "denominator_exclusion", "denominator_exception", "numerator", "gap", "evidence",
    ]
    public static let summaryHeader = [
        "level", "measure", "group", "key", "name", "initial_population", "denominator", "denominator_exclusion",
        "denominator_exception", "numerator", "open_gaps", "performance_rate", "improvement_notation",
    ]

    private let index: CareGapRunIndex
    private let summary: CareGapSummary

    public init(run: CareGapRun) {
        let index = CareGapRunIndex(run: run)
        self.init(index: index, summary: CareGapSummary(index: index))
    }

    init(index: CareGapRunIndex, summary: CareGapSummary) {
        self.index = index
        self.summary = summary
    }

    // MARK: caregaps-patients.csv

    public func patientsCSV() -> String {
        var out = ReportBuffer()
        try? writePatients(to: &out)   // an in-memory buffer never throws
        return out.text
    }

    public func writePatients(to out: inout ReportBuffer) throws {
        Self.header(Self.patientsHeader, to: &out)
        let outcomes = index.run.outcomes
        let populations: [MeasurePopulation] = [.initialPopulation, .denominator, .denominatorExclusion, .denominatorException, .numerator]
        let bits = populations.map(CareGapRunIndex.bit)
        let (attribution, attributionOf) = attributionFragments()
        for bucket in index.buckets {
            var prefix = ReportBuffer(capacity: 64)
            Self.field(bucket.measure.id, to: &prefix)
            prefix.append(byte: UInt8(ascii: ","))
            Self.field(bucket.group.id, to: &prefix)
            prefix.append(byte: UInt8(ascii: ","))
            let measureAndGroup = prefix.bytes
            for outcomeIndex in bucket.outcomes {
                let outcome = outcomes[outcomeIndex]
                let slot = Int(index.slots[outcomeIndex])
                out.append(contentsOf: measureAndGroup)
                out.append(int: Int(outcome.personId))
                out.append(byte: UInt8(ascii: ","))
                if let age = index.patients[slot].age { out.append(int: age) }
                out.append(contentsOf: attribution[Int(attributionOf[slot])])
                let mask = index.masks[outcomeIndex]
                for bit in bits {
                    out.append(byte: UInt8(ascii: ","))
                    out.append(byte: mask & bit != 0 ? UInt8(ascii: "1") : UInt8(ascii: "0"))
                }
                out.append(byte: UInt8(ascii: ","))
                out.append(byte: outcome.hasGap ? UInt8(ascii: "1") : UInt8(ascii: "0"))
                out.append(byte: UInt8(ascii: ","))
                if !outcome.evidence.isEmpty { Self.evidence(outcome.evidence, to: &out) }
                out.append(byte: UInt8(ascii: "\n"))
                try out.flushIfFull()
            }
        }
        try out.flush()
    }

    /// The columns from sex to care_site, with their leading commas, are the same for every row
    /// of a patient and shared by many patients: rendered once per distinct combination.
    private func attributionFragments() -> (fragments: [[UInt8]], fragmentOf: [Int32]) {
        struct Key: Hashable {
            var sex: String?, providerId: Int64?, providerName: String?, careSiteId: Int64?, careSiteName: String?
        }
        var fragments: [[UInt8]] = []
        var indexOf: [Key: Int32] = [:]
        var fragmentOf: [Int32] = []
        fragmentOf.reserveCapacity(index.patients.count)
        for patient in index.patients {
            let key = Key(sex: patient.sex, providerId: patient.providerId, providerName: patient.providerName,
                          careSiteId: patient.careSiteId, careSiteName: patient.careSiteName)
            if let known = indexOf[key] {
                fragmentOf.append(known)
                continue
            }
            var out = ReportBuffer(capacity: 128)
            out.append(byte: UInt8(ascii: ","))
            if let sex = key.sex { Self.field(sex, to: &out) }
            out.append(byte: UInt8(ascii: ","))
            if let id = key.providerId { out.append(int: Int(id)) }
            out.append(byte: UInt8(ascii: ","))
            if let name = key.providerName { Self.field(name, to: &out) }
            out.append(byte: UInt8(ascii: ","))
            if let id = key.careSiteId { out.append(int: Int(id)) }
            out.append(byte: UInt8(ascii: ","))
            if let name = key.careSiteName { Self.field(name, to: &out) }
            indexOf[key] = Int32(fragments.count)
            fragmentOf.append(Int32(fragments.count))
            fragments.append(out.bytes)
        }
        return (fragments, fragmentOf)
    }

    /// The evidence field, `label=value@date; …` (`=value` and `@date` left out when there is
    /// none), quoted as `field` would quote it — written straight into the buffer, since there is
    /// one per outcome.
    static func evidence(_ evidence: [Evidence], to out: inout ReportBuffer) {
        var quoted = false
        for item in evidence where needsQuotes(item.label) || item.value.map(needsQuotes) == true || item.date.map(needsQuotes) == true {
            quoted = true
            break
        }
        if quoted { out.append(byte: UInt8(ascii: "\"")) }
        for (position, item) in evidence.enumerated() {
            if position > 0 { out.append("; ") }
            text(item.label, quoted: quoted, to: &out)
            if let value = item.value {
                out.append(byte: UInt8(ascii: "="))
                text(value, quoted: quoted, to: &out)
            }
            if let date = item.date {
                out.append(byte: UInt8(ascii: "@"))
                text(date, quoted: quoted, to: &out)
            }
        }
        if quoted { out.append(byte: UInt8(ascii: "\"")) }
    }

    // MARK: caregaps-summary.csv

    public func summaryCSV() -> String {
        var out = ReportBuffer()
        try? writeSummary(to: &out)
        return out.text
    }

    public func writeSummary(to out: inout ReportBuffer) throws {
        Self.header(Self.summaryHeader, to: &out)
        for row in summary.rows {
            var fields = [row.level.rawValue, row.measure.id, row.group.id, row.key, row.name]
            let counts = row.counts
            for count in [counts.initialPopulation, counts.denominator, counts.denominatorExclusion, counts.denominatorException,
                          counts.numerator, counts.openGaps] {
                fields.append(summary.text(count))
            }
            switch summary.rate(counts) {
            case .value(let rate):
                var number = ReportBuffer(capacity: 16)
                number.append(fixed: rate, places: 4)
                fields.append(number.text)
            case .suppressed: fields.append("suppressed")
            case .undefined: fields.append("")
            }
            fields.append(row.measure.improvement.rawValue)
            Self.row(fields, to: &out)
            try out.flushIfFull()
        }
        try out.flush()
    }

    // MARK: RFC 4180

    static func header(_ names: [String], to out: inout ReportBuffer) {
        row(names, to: &out)
    }

    static func row(_ fields: [String], to out: inout ReportBuffer) {
        for (position, value) in fields.enumerated() {
            if position > 0 { out.append(byte: UInt8(ascii: ",")) }
            field(value, to: &out)
        }
        out.append(byte: UInt8(ascii: "\n"))
    }

    /// One field, quoted when it holds a comma, a quote, CR or LF (quotes doubled inside).
    static func field(_ value: String, to out: inout ReportBuffer) {
        let quoted = needsQuotes(value)
        if quoted { out.append(byte: UInt8(ascii: "\"")) }
        text(value, quoted: quoted, to: &out)
        if quoted { out.append(byte: UInt8(ascii: "\"")) }
    }

    static func needsQuotes(_ value: String) -> Bool {
        for byte in value.utf8 where byte == UInt8(ascii: ",") || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r") {
            return true
        }
        return false
    }

    /// Field content; inside quotes, quotes are doubled.
    private static func text(_ value: String, quoted: Bool, to out: inout ReportBuffer) {
        guard quoted else {
            out.append(value)
            return
        }
        for byte in value.utf8 {
            if byte == UInt8(ascii: "\"") { out.append(byte: byte) }
            out.append(byte: byte)
        }
    }
}
