import ArgumentParser
import Foundation
import StratumAnalytics

/// `stratum cluster`: phenotype clustering of a numeric feature table (k-means, Gaussian mixture, Ward).
struct ClusterCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cluster",
        abstract: "Cluster patients on numeric features (k-means, Gaussian mixture, Ward) and profile the clusters.",
        discussion: """
            The input is a CSV file with a header row, one identifier column (--id) and numeric \
            feature columns. Empty or NA cells are an error unless --impute median. Errors name \
            the file, line and column but never a cell's value or an identifier.

            Clusters are numbered 1..k by decreasing size. The output CSV (written atomically) has \
            id,cluster, plus probability (the largest membership probability) for gmm. With \
            --k-range the criteria (inertia, log-likelihood and BIC, mean silhouette) are tabulated \
            for every k; without --k the recommended k is fitted (silhouette maximum for kmeans \
            and ward, BIC minimum for gmm). See docs/CLUSTERING.md.

            Examples:
              stratum cluster --input features.csv --id person_id --method kmeans \\
                --k 4 --seed 42 --standardize --output clusters.csv
              stratum cluster --input features.csv --id person_id --method gmm \\
                --k-range 2..8 --seed 42 --standardize --k-plot k.svg \\
                --profile-svg profiles.svg --output clusters.csv --json
            """)

    enum Method: String, ExpressibleByArgument, CaseIterable { case kmeans, gmm, ward }
    enum Covariance: String, ExpressibleByArgument, CaseIterable { case diag, full }
    enum Impute: String, ExpressibleByArgument, CaseIterable { case median }

    @Option(name: .long, help: ArgumentHelp("The feature table (CSV with a header row).", valueName: "FILE"))
    var input: String

    @Option(name: .long, help: ArgumentHelp("The identifier column; every other column must be numeric.", valueName: "COLUMN"))
    var id: String

    @Option(name: .long, help: ArgumentHelp("kmeans, gmm or ward.", valueName: "METHOD"))
    var method: Method = .kmeans

    @Option(name: .long, help: ArgumentHelp("The number of clusters (default with --k-range: the recommended k).", valueName: "K"))
    var k: Int?

    @Option(name: .customLong("k-range"), help: ArgumentHelp("Tabulate the criteria for every k in FROM..TO (e.g. 2..8).", valueName: "FROM..TO"))
    var kRange: String?

    @Option(name: .long, help: ArgumentHelp("The random seed (same seed, same result).", valueName: "S"))
    var seed: UInt64 = 1

    @Option(name: .long, help: ArgumentHelp("Independent starts; the best is kept (kmeans, gmm).", valueName: "N"))
    var restarts: Int = 10

    @Option(name: .long, help: ArgumentHelp("Mixture covariance: diag or full.", valueName: "TYPE"))
    var covariance: Covariance = .full

    @Flag(name: .long, help: "Z-score every feature first (population SD); a constant column is an error.")
    var standardize = false

    @Option(name: .long, help: ArgumentHelp("Fill empty/NA cells with the column median.", valueName: "median"))
    var impute: Impute?

    @Option(name: .long, help: ArgumentHelp("Bootstrap replicates for stability (adjusted Rand index, Jaccard per cluster).", valueName: "B"))
    var bootstrap: Int?

    @Option(name: .customLong("profile-svg"), help: ArgumentHelp("Write a heat-map of the cluster profiles (SVG).", valueName: "FILE"))
    var profileSVG: String?

    @Option(name: .customLong("k-plot"), help: ArgumentHelp("Write the criteria against k (SVG; needs --k-range).", valueName: "FILE"))
    var kPlot: String?

    @Option(name: .long, help: ArgumentHelp("The assignments CSV to write (id,cluster[,probability]).", valueName: "FILE"))
    var output: String

    @Flag(name: .long, help: "Print a JSON summary on stdout instead of text.")
    var json = false

    func parsedRange() throws -> ClosedRange<Int>? {
        guard let kRange else { return nil }
        let parts = kRange.components(separatedBy: "..")
        guard parts.count == 2, let lo = Int(parts[0]), let hi = Int(parts[1]), lo >= 2, hi >= lo else {
            throw ValidationError("--k-range: '\(kRange)' is not FROM..TO with 2 ≤ FROM ≤ TO (e.g. 2..8)")
        }
        return lo...hi
    }

    func validate() throws {
        if let k, k < 1 { throw ValidationError("--k must be 1 or more") }
        if k == nil && kRange == nil { throw ValidationError("give --k, or --k-range to choose k") }
        _ = try parsedRange()
        if restarts < 1 { throw ValidationError("--restarts must be 1 or more") }
        if let bootstrap, bootstrap < 1 { throw ValidationError("--bootstrap must be 1 or more") }
        if kPlot != nil && kRange == nil { throw ValidationError("--k-plot needs --k-range") }
    }

    func run() throws {
        let started = Date()
        let table: NumericCSV
        do { table = try NumericCSV.read(path: input, idColumn: id, imputeMedian: impute == .median) } catch let e as NumericCSV.ReadError {
            throw CLIError(message: e.message, exitCode: ExitStatus.data)
        }
        let readSeconds = Date().timeIntervalSince(started)
        let x: Matrix
        do { x = standardize ? try table.standardized() : table.matrix } catch let e as NumericCSV.ReadError {
            throw CLIError(message: "\((input as NSString).lastPathComponent): \(e.message)", exitCode: ExitStatus.data)
        }
        var options = ClusterOptions(method: ClusterMethod(rawValue: method.rawValue)!, k: k ?? 2, seed: seed, restarts: restarts,
                                     covariance: covariance == .full ? .full : .diagonal)
        do {
            var selection: KSelection?
            if let range = try parsedRange() {
                selection = try Clustering.chooseK(x, range: range, options: options)
                if k == nil { options.k = selection!.recommendedK }
            }
            let fitStarted = Date()
            let fit = try Clustering.fit(x, options: options)
            let fitSeconds = Date().timeIntervalSince(fitStarted)
            let silhouette = ClusterMetrics.silhouette(x, labels: fit.assignments, seed: seed)
            let stability = try bootstrap.map { try Clustering.stability(x, fit: fit, replicates: $0) }
            let profile = Clustering.profile(table.matrix, fit: fit, featureNames: table.featureNames)
            try writeAssignments(table, fit)
            var files = [output]
            if let path = profileSVG {
                try writeAtomically(Data(profile.svg(title: "Cluster profiles: \(method.rawValue), k = \(fit.k)").utf8), to: path); files.append(path)
            }
            if let path = kPlot, let selection { try writeAtomically(Data(selection.svg().utf8), to: path); files.append(path) }
            let timings = ["read_seconds": readSeconds, "fit_seconds": fitSeconds, "total_seconds": Date().timeIntervalSince(started)]
            if json {
                try printJSON(table, fit, silhouette, selection, stability, files, timings)
            } else {
                printText(table, fit, silhouette, selection, stability, profile, files, timings)
            }
        } catch let e as ClusterError {
            throw CLIError(message: "\((input as NSString).lastPathComponent): \(e.message)", exitCode: ExitStatus.data)
        } catch let e as GSLError {
            throw CLIError(message: "\((input as NSString).lastPathComponent): \(e.description)", exitCode: ExitStatus.failure)
        }
    }

    func writeAtomically(_ data: Data, to path: String) throws {
        do { try data.write(to: URL(fileURLWithPath: path), options: .atomic) } catch {
            throw CLIError(message: "cannot write \(path): \(error.localizedDescription)", exitCode: ExitStatus.failure)
        }
    }

    /// id,cluster[,probability], streamed to a temporary file beside the output, then renamed.
    func writeAssignments(_ table: NumericCSV, _ fit: ClusterFit) throws {
        let url = URL(fileURLWithPath: output)
        let temp = url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).tmp-\(getpid())")
        guard FileManager.default.createFile(atPath: temp.path, contents: nil), let handle = try? FileHandle(forWritingTo: temp) else {
            throw CLIError(message: "cannot write \(output)", exitCode: ExitStatus.failure)
        }
        var buffer: [UInt8] = []
        buffer.reserveCapacity(1 << 20)
        buffer.append(contentsOf: Array("\(csvField(id)),cluster\(fit.probabilities == nil ? "" : ",probability")\n".utf8))
        for i in 0..<table.rows {
            let bytes = table.idBytes[table.idOffsets[i]..<table.idOffsets[i + 1]]
            if bytes.contains(where: { $0 == 44 || $0 == 34 || $0 == 10 || $0 == 13 }) {
                buffer.append(34)
                for b in bytes { if b == 34 { buffer.append(34) }; buffer.append(b) }
                buffer.append(34)
            } else {
                buffer.append(contentsOf: bytes)
            }
            buffer.append(44)
            appendInt(&buffer, fit.assignments[i])
            if let p = fit.probabilities { buffer.append(44); buffer.append(contentsOf: Array(String(format: "%.6f", p[i]).utf8)) }
            buffer.append(10)
            if buffer.count >= 1 << 20 { handle.write(Data(buffer)); buffer.removeAll(keepingCapacity: true) }
        }
        handle.write(Data(buffer))
        try? handle.close()
        if rename(temp.path, url.path) != 0 {
            try? FileManager.default.removeItem(at: temp)
            throw CLIError(message: "cannot write \(output): \(String(cString: strerror(errno)))", exitCode: ExitStatus.failure)
        }
    }

    func appendInt(_ buffer: inout [UInt8], _ value: Int) {
        if value >= 10 { appendInt(&buffer, value / 10) }
        buffer.append(UInt8(48 + value % 10))
    }

    func csvField(_ s: String) -> String {
        s.contains(where: { $0 == "," || $0 == "\"" || $0.isNewline }) ? "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : s
    }

    func printJSON(_ table: NumericCSV, _ fit: ClusterFit, _ silhouette: (mean: Double?, sampled: Int?), _ selection: KSelection?,
                   _ stability: ClusterStability?, _ files: [String], _ timings: [String: Double]) throws {
        func num(_ v: Double?) -> Any { v.map { $0.isFinite ? $0 as Any : NSNull() } ?? NSNull() }
        var doc: [String: Any] = [
            "method": method.rawValue, "k": fit.k, "rows": table.rows, "features": table.featureNames, "seed": seed,
            "standardized": standardize, "sizes": fit.sizes, "iterations": fit.iterations, "converged": fit.converged,
            "inertia": fit.inertia, "log_likelihood": num(fit.logLikelihood), "mean_log_likelihood": num(fit.meanLogLikelihood),
            "bic": num(fit.bic), "silhouette": num(silhouette.mean), "silhouette_sampled_rows": silhouette.sampled ?? NSNull(),
            "files": files, "timings": timings,
        ]
        if method != .ward { doc["restarts"] = restarts }
        if method == .gmm { doc["covariance"] = covariance.rawValue }
        if method == .ward { doc["ward_sampled_rows"] = fit.sampledRows ?? NSNull() }
        if table.imputed.contains(where: { $0 > 0 }) {
            doc["imputed"] = Dictionary(uniqueKeysWithValues: zip(table.featureNames, table.imputed).filter { $0.1 > 0 })
        }
        if let selection {
            doc["k_table"] = selection.rows.map { r -> [String: Any] in
                ["k": r.k, "inertia": r.inertia, "log_likelihood": num(r.logLikelihood), "bic": num(r.bic), "silhouette": num(r.silhouette)]
            }
            doc["recommended_k"] = selection.recommendedK
            doc["k_criterion"] = selection.criterion
        }
        if let s = stability {
            doc["stability"] = ["replicates": s.replicates, "failed_replicates": s.failedReplicates, "mean_ari": num(s.meanAdjustedRand),
                                "ari_lower": num(s.adjustedRandLower), "ari_upper": num(s.adjustedRandUpper), "jaccard": s.jaccard.map { num($0) }]
        }
        let data = try JSONSerialization.data(withJSONObject: doc, options: [.prettyPrinted, .sortedKeys])
        FileHandle.standardOutput.write(data + Data("\n".utf8))
    }

    func printText(_ table: NumericCSV, _ fit: ClusterFit, _ silhouette: (mean: Double?, sampled: Int?), _ selection: KSelection?,
                   _ stability: ClusterStability?, _ profile: ClusterProfile, _ files: [String], _ timings: [String: Double]) {
        var head = "\(method.rawValue), k = \(fit.k), \(table.rows) rows × \(table.featureNames.count) features"
        head += standardize ? " (standardised)" : ""
        if method == .gmm { head += ", \(covariance.rawValue) covariance" }
        print(head)
        if let selection {
            print("choosing k (\(selection.criterion) decides; recommended k = \(selection.recommendedK)):")
            print("   k      inertia   log-lik        BIC   silhouette")
            for r in selection.rows {
                let ll = r.logLikelihood.map { String(format: "%9.1f", $0) } ?? "        —"
                let bic = r.bic.map { String(format: "%10.1f", $0) } ?? "         —"
                let sil = r.silhouette.map { String(format: "%.3f", $0) } ?? "—"
                print(String(format: "%4d %12.1f ", r.k, r.inertia) + ll + " " + bic + "   " + sil)
            }
        }
        var fitLine = String(format: "inertia %.4g", fit.inertia)
        if let ll = fit.logLikelihood, let bic = fit.bic { fitLine += String(format: ", log-likelihood %.4g (%.4f per row), BIC %.4g", ll, fit.meanLogLikelihood!, bic) }
        if let s = silhouette.mean { fitLine += String(format: ", mean silhouette %.3f", s) + (silhouette.sampled.map { " (on a sample of \($0) rows)" } ?? "") }
        if method != .ward { fitLine += ", \(fit.iterations) iterations" + (fit.converged ? "" : " (not converged)") }
        if let sampled = fit.sampledRows { fitLine += ", Ward tree on a sample of \(sampled) rows" }
        print(fitLine)
        if let s = stability {
            print(String(format: "stability (%d bootstrap replicates): ARI %.3f [%.3f, %.3f]; Jaccard per cluster: ", s.replicates,
                         s.meanAdjustedRand, s.adjustedRandLower, s.adjustedRandUpper)
                  + s.jaccard.enumerated().map { String(format: "%d: %.2f", $0.offset + 1, $0.element) }.joined(separator: ", "))
        }
        print("")
        print(profile.text(), terminator: "")
        print("")
        for file in files { print("wrote \(file)") }
        print(String(format: "done in %.2f s (read %.2f s, fit %.2f s)", timings["total_seconds"]!, timings["read_seconds"]!, timings["fit_seconds"]!))
    }
}
