import Foundation
import XCTest
import StratumStore

/// `stratum forecast hba1c`: CSV output, JSON, backtest, charts, exit codes, and that errors
/// never print patient values or ids.
final class ForecastCommandTests: XCTestCase {
    /// A store with HbA1c for 60 patients (one in mmol/mol, one implausible) and one without.
    func makeStore(_ dir: URL, hba1c: Bool = true) throws -> String {
        let path = dir.appendingPathComponent("s.sqlite").path
        let store = try Store(path: path)
        guard hba1c else { return path }
        var state: UInt64 = 7
        func uniform() -> Double { state = state &* 6364136223846793005 &+ 1442695040888963407; return Double(state >> 11) / Double(1 << 53) }
        try store.db.transaction {
            for p in 1...60 {
                let base = 6.5 + 2 * uniform(), slope = -0.2 + 0.6 * uniform()
                for k in 0..<6 {
                    let day = 19_000 + 120 * k
                    let value = base + slope * Double(120 * k) / 365.25 + 0.2 * (uniform() - 0.5)
                    try store.db.run("INSERT INTO measurement (person_id, measurement_date, value_as_number, unit_source_value, source_system, source_code) VALUES (?, ?, ?, '%', 'loinc', '4548-4')",
                                     [.integer(Int64(5_000 + p)), .integer(Int64(day)), .real(value)])
                }
            }
            try store.db.run("INSERT INTO measurement (person_id, measurement_date, value_as_number, unit_source_value, source_system, source_code) VALUES (5001, 19700, 64, 'mmol/mol', 'loinc', '59261-8')")
            try store.db.run("INSERT INTO measurement (person_id, measurement_date, value_as_number, unit_source_value, source_system, source_code) VALUES (5002, 19700, 42.5, '%', 'loinc', '4548-4')")
        }
        return path
    }

    func testWritesForecastCSVAndPrintsSummaryAndBacktest() throws {
        let dir = try CLI.tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let db = try makeStore(dir)
        let csv = dir.appendingPathComponent("f.csv").path, svg = dir.appendingPathComponent("p.svg").path, cohort = dir.appendingPathComponent("c.svg").path
        let result = try CLI.run(["forecast", "hba1c", "--db", db, "--horizon", "365", "--threshold", "8", "--output", csv, "--backtest",
                                  "--chart-person", "5003", "--svg", svg, "--cohort-svg", cohort])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertTrue(result.stdout.contains("60 patients, 361 results"), result.stdout)
        XCTAssertTrue(result.stdout.contains("1 converted from mmol/mol; dropped 1 implausible"), result.stdout)
        XCTAssertTrue(result.stdout.contains("mixed model") && result.stdout.contains("last value"), result.stdout)
        XCTAssertTrue(result.stderr.contains("fitting the trajectory model"), "progress on stderr")
        let lines = try String(contentsOfFile: csv, encoding: .utf8).split(separator: "\n")
        XCTAssertEqual(lines.first, "person_id,n_results,last_date,last_value,forecast_date,forecast,lo80,hi80,lo95,hi95,crosses_threshold")
        XCTAssertEqual(lines.count, 61)
        let first = lines[1].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        XCTAssertEqual(first[0], "5001")
        XCTAssertEqual(first[1], "7")
        XCTAssertEqual(first[2], "2023-12-09")  // day 19,700: the mmol/mol result
        XCTAssertEqual(first[4], "2024-12-08")
        let (mean, lo95, hi95) = (Double(first[5])!, Double(first[8])!, Double(first[9])!)
        XCTAssertTrue(lo95 < mean && mean < hi95)
        XCTAssertTrue(["true", "false"].contains(first[10]))
        XCTAssertTrue(try String(contentsOfFile: svg, encoding: .utf8).contains("person 5003"))
        XCTAssertTrue(FileManager.default.fileExists(atPath: cohort))
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasPrefix(".") }, [], "no temp files left")
    }

    func testJSONAndAsOf() throws {
        let dir = try CLI.tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let db = try makeStore(dir)
        let result = try CLI.run(["forecast", "hba1c", "--db", db, "--as-of", "2023-06-01", "--json", "--backtest"])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(result.stderr, "", "no progress with --json")
        let doc = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        XCTAssertEqual(doc["patients"] as? Int, 60)
        XCTAssertEqual(doc["as_of"] as? String, "2023-06-01")
        // 2023-06-01 is day 19,509: results on days 19,600 and later (each patient's last, and the two extra ones) are left out.
        XCTAssertEqual(doc["dropped_after_as_of"] as? Int, 62)
        XCTAssertNotNil(doc["backtest"] as? [String: Any])
        XCTAssertNotNil((doc["fixed_effects"] as? [String: Any])?["slope_per_year"])
    }

    func testCSVInput() throws {
        let dir = try CLI.tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        var text = "person,date,value\n"
        for p in 1...30 { for k in 0..<4 { text += "\(p),\(k == 0 ? "2020-01-0\(1 + p % 9)" : String(18_300 + 100 * k)),\(7 + 0.1 * Double(p % 7) + 0.05 * Double(k))\n" } }
        let input = dir.appendingPathComponent("in.csv")
        try text.write(to: input, atomically: true, encoding: .utf8)
        let result = try CLI.run(["forecast", "hba1c", "--input", input.path, "--json"])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertTrue(result.stdout.contains("\"patients\" : 30"), result.stdout)
        try "person,date,value\n1,not-a-date,7.1\n".write(to: input, atomically: true, encoding: .utf8)
        let bad = try CLI.run(["forecast", "hba1c", "--input", input.path])
        XCTAssertEqual(bad.status, 3)
        XCTAssertTrue(bad.stderr.contains("line 2"), bad.stderr)
        XCTAssertFalse(bad.stderr.contains("7.1"), "no patient values in errors")
    }

    func testErrorsAndExitCodes() throws {
        let dir = try CLI.tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let empty = try makeStore(dir, hba1c: false)
        let none = try CLI.run(["forecast", "hba1c", "--db", empty])
        XCTAssertEqual(none.status, 3)
        XCTAssertTrue(none.stderr.contains("no HbA1c results in the store"), none.stderr)
        XCTAssertEqual(try CLI.run(["forecast", "hba1c"]).status, 2)
        XCTAssertEqual(try CLI.run(["forecast", "hba1c", "--db", empty, "--as-of", "2025-13-01"]).status, 2)
        XCTAssertEqual(try CLI.run(["forecast", "hba1c", "--db", empty, "--chart-person", "1"]).status, 2)
        XCTAssertEqual(try CLI.run(["forecast", "hba1c", "--db", dir.appendingPathComponent("missing.sqlite").path]).status, 1)
        let dir2 = try CLI.tempDir()
        defer { try? FileManager.default.removeItem(at: dir2) }
        let db = try makeStore(dir2)
        let unknown = try CLI.run(["forecast", "hba1c", "--db", db, "--chart-person", "987654321", "--svg", dir2.appendingPathComponent("x.svg").path])
        XCTAssertEqual(unknown.status, 3)
        XCTAssertFalse(unknown.stderr.contains("987654321"), "errors never print patient ids: \(unknown.stderr)")
        let early = try CLI.run(["forecast", "hba1c", "--db", db, "--as-of", "2000-01-01"])
        XCTAssertEqual(early.status, 3)
        XCTAssertTrue(early.stderr.contains("after the as-of date"), early.stderr)
    }
}

/// The backtest on a real `stratum synth` archive (1,500 patients, seed 7): its diabetics' HbA1c
/// drifts per patient, so the model should beat last value carried forward (when written: model
/// MAE 0.351 vs 0.390, 95 % coverage 96.2 %, 157 patients held out).
final class ForecastSynthBacktestTests: XCTestCase {
    func testModelBeatsLastValueOnSynthArchive() throws {
        let dir = try CLI.tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let archive = dir.appendingPathComponent("s.tar.gz").path, db = dir.appendingPathComponent("s.sqlite").path
        XCTAssertEqual(try CLI.run(["synth", "--patients", "1500", "--seed", "7", "-o", archive, "-q"]).status, 0)
        XCTAssertEqual(try CLI.run(["import", archive, "--db", db, "-q"]).status, 0)
        let result = try CLI.run(["forecast", "hba1c", "--db", db, "--backtest", "--json"])
        XCTAssertEqual(result.status, 0, result.stderr)
        let doc = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let backtest = try XCTUnwrap(doc["backtest"] as? [String: Any])
        let model = try XCTUnwrap(backtest["model"] as? [String: Any]), lvcf = try XCTUnwrap(backtest["last_value"] as? [String: Any])
        let (mae, lvcfMAE, cover) = (model["mae"] as! Double, lvcf["mae"] as! Double, model["coverage95"] as! Double)
        print(String(format: "backtest[stratum synth 1500/7]: %d held out; model MAE %.3f RMSE %.3f cover95 %.1f%%; LVCF MAE %.3f RMSE %.3f cover95 %.1f%%",
                     backtest["patients"] as! Int, mae, model["rmse"] as! Double, 100 * cover, lvcfMAE, lvcf["rmse"] as! Double, 100 * (lvcf["coverage95"] as! Double)))
        XCTAssertGreaterThan(backtest["patients"] as! Int, 100)
        XCTAssertLessThan(mae, lvcfMAE)
        XCTAssertGreaterThanOrEqual(cover, 0.90)
        XCTAssertLessThanOrEqual(cover, 0.98)
        XCTAssertEqual(doc["correlation"] as? String, "independent")

        // The exponential (serial correlation) model via --correlation.
        let serial = try CLI.run(["forecast", "hba1c", "--db", db, "--backtest", "--json", "--correlation", "exponential"])
        XCTAssertEqual(serial.status, 0, serial.stderr)
        let sdoc = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(serial.stdout.utf8)) as? [String: Any])
        XCTAssertEqual(sdoc["correlation"] as? String, "exponential")
        let sb = try XCTUnwrap(sdoc["backtest"] as? [String: Any]), sm = try XCTUnwrap(sb["model"] as? [String: Any])
        let (smae, scover) = (sm["mae"] as! Double, sm["coverage95"] as! Double)
        print(String(format: "backtest[stratum synth 1500/7, exponential]: model MAE %.3f RMSE %.3f cover95 %.1f%%; τ² = %.4f, ρ = %.3f years, σ = %.3f",
                     smae, sm["rmse"] as! Double, 100 * scover, sdoc["serial_variance"] as! Double, sdoc["serial_range_years"] as! Double,
                     sdoc["residual_sd"] as! Double))
        XCTAssertLessThan(smae, lvcfMAE)
        XCTAssertGreaterThanOrEqual(scover, 0.90)
        XCTAssertLessThanOrEqual(scover, 0.98)
        XCTAssertEqual(try CLI.run(["forecast", "hba1c", "--db", db, "--correlation", "ar2"]).status, 2)
    }
}
