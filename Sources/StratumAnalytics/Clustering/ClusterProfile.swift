import CGSL
import Foundation

/// What each cluster looks like, in the units of the features: size and share, the mean of every
/// feature with a 95% t interval, and the features that most separate the cluster from the other
/// rows (standardised mean difference, in − out over the pooled SD √((s²_in + s²_out)/2)).
public struct ClusterProfile: Sendable {
    public struct Feature: Sendable {
        public let name: String
        public let mean: Double
        /// 95% confidence interval of the mean (t with n − 1 df); nil for a cluster of one row.
        public let lower: Double?
        public let upper: Double?
        /// Standardised mean difference against the rest (0 when both SDs are 0 or there is no rest).
        public let smd: Double
    }

    public struct Cluster: Sendable {
        /// 1...k.
        public let number: Int
        public let size: Int
        /// Share of all rows (0...1).
        public let share: Double
        public let features: [Feature]
        /// The 3 features with the largest |SMD| (sign kept), largest first.
        public let separating: [Feature]
    }

    public let featureNames: [String]
    public let clusters: [Cluster]
    /// Every row's mean and population SD per feature (for standardised cluster means).
    public let overallMean: [Double]
    public let overallSD: [Double]

    /// Profiles of the clusters `assignments` (1...k) over the rows of `x` (give the data in its
    /// original units for a readable profile, even when the clustering used z-scores).
    public init(_ x: Matrix, assignments: [Int], k: Int, featureNames: [String]) {
        precondition(featureNames.count == x.columns && assignments.count == x.rows)
        let (n, d) = (x.rows, x.columns)
        var count = [Double](repeating: 0, count: k)
        var sum = [Double](repeating: 0, count: k * d)
        for i in 0..<n { let c = assignments[i] - 1; count[c] += 1; for j in 0..<d { sum[c * d + j] += x.storage[i * d + j] } }
        let total = (0..<d).map { j in (0..<k).reduce(0.0) { $0 + sum[$1 * d + j] } }
        var mean = [Double](repeating: 0, count: k * d)
        for c in 0..<k where count[c] > 0 { for j in 0..<d { mean[c * d + j] = sum[c * d + j] / count[c] } }
        let overall = total.map { $0 / Double(max(1, n)) }
        // Centred second moments per cluster and overall.
        var ss = [Double](repeating: 0, count: k * d)
        var ssAll = [Double](repeating: 0, count: d)
        for i in 0..<n {
            let c = assignments[i] - 1
            for j in 0..<d {
                let v = x.storage[i * d + j]
                let t = v - mean[c * d + j]; ss[c * d + j] += t * t
                let u = v - overall[j]; ssAll[j] += u * u
            }
        }
        self.featureNames = featureNames
        overallMean = overall
        overallSD = ssAll.map { ($0 / Double(max(1, n))).squareRoot() }
        var clusters: [Cluster] = []
        for c in 0..<k {
            let nIn = count[c], nOut = Double(n) - nIn
            var features: [Feature] = []
            for j in 0..<d {
                let m = mean[c * d + j]
                var lower: Double?, upper: Double?
                if nIn >= 2 {
                    let sd = (ss[c * d + j] / (nIn - 1)).squareRoot()
                    let half = gsl_cdf_tdist_Pinv(0.975, nIn - 1) * sd / nIn.squareRoot()
                    lower = m - half; upper = m + half
                }
                var smd = 0.0
                if nOut >= 1 && nIn >= 1 {
                    let meanOut = (total[j] - sum[c * d + j]) / nOut
                    // Rest's sum of squares from the total: SS_all = SS_in + SS_out + between terms.
                    let ssOut = max(0, ssAll[j] - ss[c * d + j] - nIn * pow(m - overall[j], 2) - nOut * pow(meanOut - overall[j], 2))
                    let varIn = nIn > 1 ? ss[c * d + j] / (nIn - 1) : 0
                    let varOut = nOut > 1 ? ssOut / (nOut - 1) : 0
                    var pooled = ((varIn + varOut) / 2).squareRoot()
                    // A feature (nearly) constant within both groups — a missingness indicator
                    // that splits them — leaves only rounding in the pooled SD (the rest's sum of
                    // squares is a difference of large terms); the overall SD is the honest scale.
                    let sdAll = (ssAll[j] / Double(n)).squareRoot()
                    if pooled < 1e-6 * sdAll { pooled = sdAll }
                    if pooled > 0 { smd = (m - meanOut) / pooled }
                }
                features.append(Feature(name: featureNames[j], mean: m, lower: lower, upper: upper, smd: smd))
            }
            let top = features.enumerated().sorted { (abs($0.element.smd), -$0.offset) > (abs($1.element.smd), -$1.offset) }.prefix(3).map(\.element)
            clusters.append(Cluster(number: c + 1, size: Int(nIn), share: nIn / Double(max(1, n)), features: features, separating: top))
        }
        self.clusters = clusters
    }

    public static func number(_ v: Double) -> String {
        if v == 0 { return "0" }
        let a = abs(v)
        if a >= 1e6 || a < 1e-3 { return String(format: "%.3g", v) }
        if a >= 100 { return String(format: "%.1f", v) }
        return String(format: "%#.3g", v)
    }

    /// "+1.23 glucose, −0.80 age, …"
    public static func describe(_ features: [Feature]) -> String {
        features.map { ($0.smd >= 0 ? "+" : "−") + String(format: "%.2f ", abs($0.smd)) + $0.name }.joined(separator: ", ")
    }

    /// A plain-text table: one line per cluster (size, share, separating features), then the
    /// feature means with their 95% intervals.
    public func text() -> String {
        var lines: [String] = []
        for c in clusters {
            lines.append(String(format: "cluster %d: %d rows (%.1f%%); most different: ", c.number, c.size, 100 * c.share)
                         + ClusterProfile.describe(c.separating))
        }
        let nameWidth = max(7, featureNames.map(\.count).max() ?? 7)
        var header = "feature".padding(toLength: nameWidth, withPad: " ", startingAt: 0)
        for c in clusters { header += "  " + "cluster \(c.number) mean [95% CI]".padding(toLength: 30, withPad: " ", startingAt: 0) }
        lines.append("")
        lines.append(header.trimmingCharacters(in: .whitespaces))
        for (j, name) in featureNames.enumerated() {
            var line = name.padding(toLength: nameWidth, withPad: " ", startingAt: 0)
            for c in clusters {
                let f = c.features[j]
                let interval = f.lower.map { "[\(ClusterProfile.number($0)), \(ClusterProfile.number(f.upper!))]" } ?? "[—]"
                line += "  " + "\(ClusterProfile.number(f.mean)) \(interval)".padding(toLength: 30, withPad: " ", startingAt: 0)
            }
            lines.append(line.replacingOccurrences(of: "\\s+$", with: "", options: .regularExpression))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// CSV rows (header first): cluster, size, share, feature, mean, lower, upper, smd, rank among
    /// the separating features (1–3, empty otherwise).
    public func csvRows() -> [[String]] {
        var rows = [["cluster", "size", "share", "feature", "mean", "ci_lower", "ci_upper", "smd", "separating_rank"]]
        for c in clusters {
            for f in c.features {
                let rank = c.separating.firstIndex { $0.name == f.name }.map { String($0 + 1) } ?? ""
                rows.append([String(c.number), String(c.size), String(format: "%.6g", c.share), f.name, String(format: "%.8g", f.mean),
                             f.lower.map { String(format: "%.8g", $0) } ?? "", f.upper.map { String(format: "%.8g", $0) } ?? "",
                             String(format: "%.6g", f.smd), rank])
            }
        }
        return rows
    }

    /// A self-contained SVG heat-map: clusters by features, each cell the cluster mean in SDs from
    /// the overall mean (blue below, red above, clipped at ±2), with the value and the mean printed.
    public func svg(title: String = "Cluster profiles") -> String {
        let z = clusters.map { c in c.features.enumerated().map { j, f in overallSD[j] > 0 ? (f.mean - overallMean[j]) / overallSD[j] : 0 } }
        let rowLabels = clusters.map { String(format: "Cluster %d (n=%d, %.0f%%)", $0.number, $0.size, 100 * $0.share) }
        let cellText = clusters.map { c in c.features.map { ClusterProfile.number($0.mean) } }
        return SVGChart.heatmap(title: title, subtitle: "cell colour: cluster mean in SDs from the overall mean; text: the cluster mean",
                                rowLabels: rowLabels, columnLabels: featureNames, values: z, cellText: cellText)
    }
}
