import Foundation
import StratumStore

/// One row per person as of an index date, one column per feature: what `features` computes and
/// what clustering, forecasting and risk models read. Values are stored by column; a missing
/// value is NaN (every aggregate that can be missing has an indicator column that says so).
public struct FeatureTable: Sendable {
    public var name: String
    public var personIDs: [Int64]
    /// The index date of each person (days since 1970-01-01).
    public var indexDays: [Int]
    public var columns: [String]
    /// `values[column][row]`, as computed (never scaled).
    public var values: [[Double]]
    /// The standardisation the statement asked for (fitted here or taken from another set).
    public var scaling: FeatureScaling?

    public init(name: String, personIDs: [Int64], indexDays: [Int], columns: [String], values: [[Double]], scaling: FeatureScaling? = nil) {
        precondition(values.count == columns.count && values.allSatisfy { $0.count == personIDs.count })
        self.name = name
        self.personIDs = personIDs
        self.indexDays = indexDays
        self.columns = columns
        self.values = values
        self.scaling = scaling
    }

    public var rowCount: Int { personIDs.count }

    /// The values a model reads: scaled when the set has a scaling, with each missing value
    /// replaced by the column's centre (0 after scaling; the median without scaling). Row-major.
    public func modelMatrix() -> [Double] {
        let n = rowCount, m = columns.count
        var out = [Double](repeating: 0, count: n * m)
        for c in 0..<m {
            let column = values[c]
            let fill: Double
            if let scaling { fill = scaling.centers[c] } else { fill = FeatureScaling.median(column.filter { !$0.isNaN }) ?? 0 }
            for r in 0..<n {
                var v = column[r].isNaN ? fill : column[r]
                if let scaling { v = (v - scaling.centers[c]) / scaling.scales[c] }
                out[r * m + c] = v
            }
        }
        return out
    }

    /// The value written out and shown: scaled when the set has a scaling; NaN stays missing.
    public func outputValue(row: Int, column c: Int) -> Double {
        let v = values[c][row]
        guard let scaling, !v.isNaN else { return v }
        return (v - scaling.centers[c]) / scaling.scales[c]
    }

    /// CSV: `person_id,index_date,<columns>`, missing values empty, scaled values when scaled.
    public func csv() -> String {
        var out = "person_id,index_date," + columns.joined(separator: ",") + "\n"
        out.reserveCapacity(rowCount * (columns.count * 8 + 24))
        for r in 0..<rowCount {
            out += String(personIDs[r]); out += ","; out += CivilDate.iso(days: indexDays[r])
            for c in 0..<columns.count {
                out += ","
                let v = outputValue(row: r, column: c)
                if !v.isNaN { out += FeatureTable.format(v) }
            }
            out += "\n"
        }
        return out
    }

    public static func format(_ v: Double) -> String {
        if v.rounded() == v && abs(v) < 1e15 { return String(Int64(v)) }
        return String(v)
    }

    /// Per column: persons with a value, missing, mean, sd, min, max (of the unscaled values).
    public func summary(title: String) -> ResultTable {
        let rows: [[SQLValue]] = columns.indices.map { c in
            let present = values[c].filter { !$0.isNaN }
            let n = Double(present.count)
            let mean = present.isEmpty ? Double.nan : present.reduce(0, +) / n
            let sd = present.count < 2 ? Double.nan : (present.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / (n - 1)).squareRoot()
            func real(_ v: Double) -> SQLValue { v.isNaN ? .null : .real((v * 1000).rounded() / 1000) }
            return [.text(columns[c]), .integer(Int64(present.count)), .integer(Int64(rowCount - present.count)),
                    real(mean), real(sd), real(present.min() ?? .nan), real(present.max() ?? .nan)]
        }
        return ResultTable(title: title, columns: ["feature", "persons", "missing", "mean", "sd", "min", "max"], rows: rows)
    }
}

/// Centres and scales per column, kept so that new data is transformed exactly as the data the
/// scaling was fitted on (`standardize like F`). z-score: mean and population standard deviation;
/// robust: median and interquartile range. A column without spread keeps a scale of 1.
public struct FeatureScaling: Sendable, Equatable {
    public enum Method: String, Sendable { case zscore, robust }
    public var method: Method
    public var columns: [String]
    public var centers: [Double]
    public var scales: [Double]

    public init(method: Method, columns: [String], centers: [Double], scales: [Double]) {
        self.method = method
        self.columns = columns
        self.centers = centers
        self.scales = scales
    }

    public static func fit(_ method: Method, columns: [String], values: [[Double]]) -> FeatureScaling {
        var centers: [Double] = [], scales: [Double] = []
        for column in values {
            let present = column.filter { !$0.isNaN }
            var center = 0.0, scale = 1.0
            if !present.isEmpty {
                switch method {
                case .zscore:
                    center = present.reduce(0, +) / Double(present.count)
                    scale = (present.reduce(0) { $0 + ($1 - center) * ($1 - center) } / Double(present.count)).squareRoot()
                case .robust:
                    let sorted = present.sorted()
                    center = quantile(sorted, 0.5)
                    scale = quantile(sorted, 0.75) - quantile(sorted, 0.25)
                }
            }
            centers.append(center)
            scales.append(scale > 1e-12 && scale.isFinite ? scale : 1)
        }
        return FeatureScaling(method: method, columns: columns, centers: centers, scales: scales)
    }

    /// This scaling's parameters for `columns`, in that order; nil names a column it lacks.
    public func reordered(for columns: [String]) -> (FeatureScaling?, missing: String?) {
        var centers: [Double] = [], scales: [Double] = []
        for name in columns {
            guard let i = self.columns.firstIndex(of: name) else { return (nil, name) }
            centers.append(self.centers[i]); scales.append(self.scales[i])
        }
        return (FeatureScaling(method: method, columns: columns, centers: centers, scales: scales), nil)
    }

    /// Linear interpolation between order statistics (numpy's default, type 7).
    static func quantile(_ sorted: [Double], _ q: Double) -> Double {
        guard !sorted.isEmpty else { return .nan }
        let h = Double(sorted.count - 1) * q
        let lo = Int(h.rounded(.down)), hi = min(lo + 1, sorted.count - 1)
        return sorted[lo] + (h - Double(lo)) * (sorted[hi] - sorted[lo])
    }

    public static func median(_ values: [Double]) -> Double? {
        values.isEmpty ? nil : quantile(values.sorted(), 0.5)
    }
}
