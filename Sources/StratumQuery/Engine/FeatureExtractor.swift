import Foundation
import StratumStore

/// Runs a `FeaturePlan` and aggregates each item's rows per person in one merge pass (rows come
/// ordered by person and day): last, mean, min, max, count, least-squares slope per year, days
/// since the last value, and the missingness indicators.
struct FeatureExtractor {
    let session: Session

    func extract(_ features: BoundFeatures, plan: FeaturePlan) throws -> FeatureTable {
        for step in plan.setup { try session.traced(step.label) { try session.runSQL(step.statement) } }
        defer { for table in plan.cleanup { try? session.runSQL(.dropTable(table)) } }
        var ids: [Int64] = [], days: [Int] = [], ages: [Double] = [], female: [Double] = []
        try session.traced("features \(features.name): persons") {
            try session.forEachRow(plan.persons) { row in
                ids.append(row[0].int ?? 0)
                days.append(Int(row[1].int ?? 0))
                ages.append(row[2].double ?? .nan)
                female.append(row[3].double ?? .nan)
            }
        }
        let n = ids.count
        var position: [Int64: Int] = [:]
        position.reserveCapacity(n)
        for (i, id) in ids.enumerated() { position[id] = i }
        var columns: [[Double]] = []
        for (item, itemSelect) in zip(features.items, plan.items) {
            switch item {
            // Age and sex come with the persons; every other item has its query.
            case .age: columns.append(ages)
            case .sex: columns.append(female)
            case .count, .distinctDrugs:
                var counts = [Double](repeating: 0, count: n)
                try session.traced("features \(features.name): \(label(item))") {
                    try session.forEachRow(itemSelect!) { row in
                        if let id = row[0].int, let i = position[id] { counts[i] = row[1].double ?? 0 }
                    }
                }
                columns.append(counts)
            case .visitsByClass:
                var counts = Array(repeating: [Double](repeating: 0, count: n), count: VisitClass.allCases.count)
                try session.traced("features \(features.name): visits by class") {
                    try session.forEachRow(itemSelect!) { row in
                        guard let id = row[0].int, let i = position[id] else { return }
                        for k in counts.indices { counts[k][i] = row[k + 1].double ?? 0 }
                    }
                }
                columns += counts
            case .values(_, _, _, let aggregates):
                var acc = ValueAccumulator(aggregates: aggregates, rows: n)
                var current: Int?
                try session.traced("features \(features.name): \(label(item))") {
                    try session.forEachRow(itemSelect!) { row in
                        guard let id = row[0].int, let i = position[id], let day = row[1].int, let value = row[2].double else { return }
                        if current != i {
                            if let c = current { acc.finish(row: c, indexDay: days[c]) }
                            current = i
                        }
                        acc.add(day: Int(day), value: value)
                    }
                }
                if let c = current { acc.finish(row: c, indexDay: days[c]) }
                columns += acc.columns
            }
        }
        return FeatureTable(name: features.name, personIDs: ids, indexDays: days, columns: features.columns, values: columns)
    }

    private func label(_ item: BoundFeatures.Item) -> String {
        switch item {
        case .age(let l), .sex(let l), .values(let l, _, _, _), .count(let l, _), .distinctDrugs(let l, _), .visitsByClass(let l, _): return l
        }
    }
}

/// Aggregates of one person's values at a time, written into per-aggregate columns.
struct ValueAccumulator {
    let aggregates: [FeatureAggregate]
    var columns: [[Double]]
    private var days: [Int] = []
    private var values: [Double] = []

    init(aggregates: [FeatureAggregate], rows: Int) {
        self.aggregates = aggregates
        // The aggregates, then `missing`, then `slope_missing` when a slope is asked for.
        let count = aggregates.count + 1 + (aggregates.contains(.slope) ? 1 : 0)
        columns = Array(repeating: [Double](repeating: .nan, count: rows), count: count)
        for r in 0..<rows { columns[aggregates.count][r] = 1 }
        if aggregates.contains(.slope) { for r in 0..<rows { columns[aggregates.count + 1][r] = 1 } }
        for (k, a) in aggregates.enumerated() where a == .count { for r in 0..<rows { columns[k][r] = 0 } }
    }

    mutating func add(day: Int, value: Double) {
        days.append(day)
        values.append(value)
    }

    mutating func finish(row: Int, indexDay: Int) {
        defer { days.removeAll(keepingCapacity: true); values.removeAll(keepingCapacity: true) }
        guard !values.isEmpty else { return }
        let slope = ValueAccumulator.slopePerYear(days: days, values: values)
        for (k, aggregate) in aggregates.enumerated() {
            let v: Double
            switch aggregate {
            case .last: v = values[values.count - 1]
            case .mean: v = values.reduce(0, +) / Double(values.count)
            case .min: v = values.min()!
            case .max: v = values.max()!
            case .count: v = Double(values.count)
            case .slope: v = slope ?? .nan
            case .daysSinceLast: v = Double(indexDay - days[days.count - 1])
            }
            columns[k][row] = v
        }
        columns[aggregates.count][row] = 0
        if aggregates.contains(.slope), slope != nil { columns[aggregates.count + 1][row] = 0 }
    }

    /// Ordinary least squares of value on time in years (365.25 days); nil with fewer than two days.
    static func slopePerYear(days: [Int], values: [Double]) -> Double? {
        guard let first = days.first, days.contains(where: { $0 != first }) else { return nil }
        let n = Double(days.count)
        let t = days.map { Double($0 - first) / 365.25 }
        let mt = t.reduce(0, +) / n, mv = values.reduce(0, +) / n
        var sxy = 0.0, sxx = 0.0
        for i in t.indices { sxy += (t[i] - mt) * (values[i] - mv); sxx += (t[i] - mt) * (t[i] - mt) }
        return sxx > 0 ? sxy / sxx : nil
    }
}
