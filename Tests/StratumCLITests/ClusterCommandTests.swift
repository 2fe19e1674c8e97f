import Foundation
import XCTest

/// `stratum cluster`: assignments CSV, JSON summary, charts, and input errors that never echo values.
final class ClusterCommandTests: XCTestCase {
    /// Three separated groups of 30 rows in 3 features (deterministic, no RNG needed), ids P001…
    func blobsCSV(_ dir: URL, name: String = "features.csv") throws -> String {
        var lines = ["patient_id,hba1c,sbp,bmi"]
        for i in 0..<90 {
            let g = Double(i / 30)
            func jitter(_ f: Double) -> Double { let v = sin(Double(i) * 12.9898 + f * 78.233) * 43758.5453; return v - v.rounded(.down) - 0.5 }
            lines.append("P\(String(format: "%03d", i + 1)),\(5.5 + 3 * g + jitter(1)),\(120 + 25 * g + 4 * jitter(2)),\(24 + 6 * (g == 1 ? 1 : 0) + jitter(3))")
        }
        let url = dir.appendingPathComponent(name)
        try (lines.joined(separator: "\n") + "\n").write(to: url, atomically: true, encoding: .utf8)
        return url.path
    }

    func testHelpMatchesGolden() throws {
        let result = try CLI.run(["cluster", "--help"])
        XCTAssertEqual(result.status, 0)
        try assertGolden(result.stdout, "cluster-help.txt")
    }

    func testKMeansWritesAssignmentsAndJSON() throws {
        let dir = try CLI.tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let input = try blobsCSV(dir), out = dir.appendingPathComponent("clusters.csv").path
        let result = try CLI.run(["cluster", "--input", input, "--id", "patient_id", "--method", "kmeans", "--k", "3", "--seed", "7",
                                  "--standardize", "--bootstrap", "5", "--output", out, "--json"])
        XCTAssertEqual(result.status, 0, result.stderr)
        let json = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        XCTAssertEqual(json["method"] as? String, "kmeans")
        XCTAssertEqual(json["k"] as? Int, 3)
        XCTAssertEqual(json["sizes"] as? [Int], [30, 30, 30])
        XCTAssertEqual(json["converged"] as? Bool, true)
        XCTAssertNotNil(json["inertia"] as? Double)
        XCTAssertGreaterThan(try XCTUnwrap(json["silhouette"] as? Double), 0.5)
        let stability = try XCTUnwrap(json["stability"] as? [String: Any])
        XCTAssertEqual(stability["mean_ari"] as? Double ?? 0, 1, accuracy: 1e-9)
        let csv = try String(contentsOfFile: out, encoding: .utf8).split(separator: "\n")
        XCTAssertEqual(csv.first, "patient_id,cluster")
        XCTAssertEqual(csv.count, 91)
        XCTAssertEqual(csv[1].split(separator: ",").first, "P001")
        // Rows of one planted group share a cluster.
        let clusters = csv.dropFirst().map { $0.split(separator: ",")[1] }
        for g in 0..<3 { XCTAssertEqual(Set(clusters[(g * 30)..<(g * 30 + 30)]).count, 1) }
        // Same seed, same file.
        let again = dir.appendingPathComponent("again.csv").path
        XCTAssertEqual(try CLI.run(["cluster", "--input", input, "--id", "patient_id", "--k", "3", "--seed", "7", "--standardize", "--output", again]).status, 0)
        XCTAssertEqual(try String(contentsOfFile: again, encoding: .utf8), try String(contentsOfFile: out, encoding: .utf8))
    }

    func testKRangeFitsRecommendedKAndWritesCharts() throws {
        let dir = try CLI.tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let input = try blobsCSV(dir), out = dir.appendingPathComponent("c.csv").path
        let kPlot = dir.appendingPathComponent("k.svg").path, profile = dir.appendingPathComponent("p.svg").path
        let result = try CLI.run(["cluster", "--input", input, "--id", "patient_id", "--method", "gmm", "--covariance", "diag", "--k-range", "2..5",
                                  "--seed", "1", "--restarts", "2", "--standardize", "--k-plot", kPlot, "--profile-svg", profile, "--output", out, "--json"])
        XCTAssertEqual(result.status, 0, result.stderr)
        let json = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        XCTAssertEqual(json["recommended_k"] as? Int, 3)
        XCTAssertEqual(json["k"] as? Int, 3)
        XCTAssertEqual(json["k_criterion"] as? String, "bic")
        XCTAssertEqual((json["k_table"] as? [[String: Any]])?.compactMap { $0["k"] as? Int }, [2, 3, 4, 5])
        XCTAssertNotNil(json["bic"] as? Double)
        XCTAssertEqual(try String(contentsOfFile: out, encoding: .utf8).split(separator: "\n").first, "patient_id,cluster,probability")
        for path in [kPlot, profile] {
            let svg = try String(contentsOfFile: path, encoding: .utf8)
            XCTAssertTrue(svg.hasPrefix("<svg") && !svg.contains("<script"), path)
        }
        XCTAssertTrue(try String(contentsOfFile: profile, encoding: .utf8).contains("hba1c"))
        // Text output: summary and profile table.
        let text = try CLI.run(["cluster", "--input", input, "--id", "patient_id", "--method", "ward", "--k", "3", "--output", out])
        XCTAssertEqual(text.status, 0, text.stderr)
        XCTAssertTrue(text.stdout.contains("ward, k = 3, 90 rows × 3 features"), text.stdout)
        XCTAssertTrue(text.stdout.contains("cluster 1: 30 rows (33.3%); most different:"), text.stdout)
    }

    func testBadCellNamesLineAndColumnButNeverTheValue() throws {
        let dir = try CLI.tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let input = dir.appendingPathComponent("bad.csv")
        try "patient_id,hba1c,sbp\nMRN-778812,6.1,130\nMRN-990017,SECRET-7.2,128\n".write(to: input, atomically: true, encoding: .utf8)
        let out = dir.appendingPathComponent("o.csv").path
        let result = try CLI.run(["cluster", "--input", input.path, "--id", "patient_id", "--k", "1", "--output", out])
        XCTAssertEqual(result.status, 3)
        XCTAssertTrue(result.stderr.contains("bad.csv: line 3, column 'hba1c' (2): not a number"), result.stderr)
        XCTAssertFalse(result.stderr.contains("SECRET"), result.stderr)
        XCTAssertFalse(result.stderr.contains("MRN"), result.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: out))
    }

    func testMissingCellsNeedImputeAndConstantColumnsCannotBeStandardised() throws {
        let dir = try CLI.tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let input = dir.appendingPathComponent("na.csv")
        try "id,a,b,c\n1,1,NA,5\n2,2,3,5\n3,9,,5\n4,10,4,5\n".write(to: input, atomically: true, encoding: .utf8)
        let out = dir.appendingPathComponent("o.csv").path
        let missing = try CLI.run(["cluster", "--input", input.path, "--id", "id", "--k", "2", "--output", out])
        XCTAssertEqual(missing.status, 3)
        XCTAssertTrue(missing.stderr.contains("na.csv: line 2, column 'b' (3): empty or NA value (use --impute median"), missing.stderr)
        let imputed = try CLI.run(["cluster", "--input", input.path, "--id", "id", "--k", "2", "--impute", "median", "--output", out, "--json"])
        XCTAssertEqual(imputed.status, 0, imputed.stderr)
        XCTAssertTrue(imputed.stdout.contains("\"b\" : 2"), imputed.stdout)
        let constant = try CLI.run(["cluster", "--input", input.path, "--id", "id", "--k", "2", "--impute", "median", "--standardize", "--output", out])
        XCTAssertEqual(constant.status, 3)
        XCTAssertTrue(constant.stderr.contains("column 'c' is constant"), constant.stderr)
        let ragged = dir.appendingPathComponent("ragged.csv")
        try "id,a\n1,2\n2,3,4\n".write(to: ragged, atomically: true, encoding: .utf8)
        let r = try CLI.run(["cluster", "--input", ragged.path, "--id", "id", "--k", "1", "--output", out])
        XCTAssertEqual(r.status, 3)
        XCTAssertTrue(r.stderr.contains("ragged.csv: line 3: more fields than the 2 columns of the header"), r.stderr)
        let noID = try CLI.run(["cluster", "--input", ragged.path, "--id", "person", "--k", "1", "--output", out])
        XCTAssertEqual(noID.status, 3)
        XCTAssertTrue(noID.stderr.contains("no column named 'person'"), noID.stderr)
    }

    func testUsageErrorsExitWithTwo() throws {
        XCTAssertEqual(try CLI.run(["cluster", "--input", "x.csv", "--id", "id", "--output", "o.csv"]).status, 2)  // no --k / --k-range
        XCTAssertEqual(try CLI.run(["cluster", "--input", "x.csv", "--id", "id", "--k-range", "1..4", "--output", "o.csv"]).status, 2)
        XCTAssertEqual(try CLI.run(["cluster", "--input", "x.csv", "--id", "id", "--k", "2", "--method", "dbscan", "--output", "o.csv"]).status, 2)
        XCTAssertEqual(try CLI.run(["cluster", "--input", "x.csv", "--id", "id", "--k", "2", "--k-plot", "k.svg", "--output", "o.csv"]).status, 2)
    }
}
