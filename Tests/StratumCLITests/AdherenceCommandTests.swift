import Foundation
import XCTest

/// `stratum adherence cma`: the CSV tables on AdhereR's med.events, JSON summary, usage and data errors.
final class AdherenceCommandTests: XCTestCase {
    var medEvents: String {
        CLI.repoRoot.deletingLastPathComponent().appendingPathComponent("shared/reference/adherence/med_events.csv").path
    }
    let columns = ["--id", "PATIENT_ID", "--date", "DATE", "--date-format", "%m/%d/%Y", "--duration", "DURATION",
                   "--dose", "PERDAY", "--class", "CATEGORY"]

    func table(_ path: String) throws -> [[String]] {
        try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
    }

    func testHelpMatchesGolden() throws {
        let result = try CLI.run(["adherence", "cma", "--help"])
        XCTAssertEqual(result.status, 0)
        try assertGolden(result.stdout, "adherence-cma-help.txt")
    }

    func testPerPatientTableMatchesTheVignetteCMA1() throws {
        let dir = try CLI.tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let out = dir.appendingPathComponent("cma.csv").path
        let result = try CLI.run(["adherence", "cma", "--input", medEvents] + columns +
                                 ["--followup-start", "0", "--followup-days", "730", "--observation-start", "182", "--observation-days", "365",
                                  "--cma", "1..9", "--output", out, "--json"])
        XCTAssertEqual(result.status, 0, result.stderr)
        let json = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        XCTAssertEqual(json["events"] as? Int, 1080)
        XCTAssertEqual(json["patients"] as? Int, 100)
        XCTAssertEqual(json["rows"] as? Int, 100)
        let rows = try table(out)
        XCTAssertEqual(rows.first, ["PATIENT_ID"] + (1...9).map { "CMA\($0)" })
        XCTAssertEqual(rows.count, 101)
        let byID = Dictionary(uniqueKeysWithValues: rows.dropFirst().map { ($0[0], $0) })
        // Vignette: CMA1 = 0.4035874 (37) and 1.4 (76); CMA3 is CMA1 capped at 1.
        XCTAssertEqual(Double(try XCTUnwrap(byID["37"])[1]) ?? 0, 0.4035874, accuracy: 5e-7)
        XCTAssertEqual(Double(try XCTUnwrap(byID["76"])[1]) ?? 0, 1.4, accuracy: 1e-9)
        XCTAssertEqual(byID["76"]?[3], "1")
        for row in rows.dropFirst() {
            XCTAssertEqual(row.count, 10)
            for k in [3, 4, 5, 6, 7, 8, 9] where !row[k].isEmpty { XCTAssertLessThanOrEqual(Double(row[k]) ?? 2, 1 + 1e-9) }
        }
        // Undefined CMAs are empty cells, not NA or 0.
        XCTAssertTrue(rows.dropFirst().contains { $0[1].isEmpty })
    }

    func testPerEpisodeAndSlidingWindowTables() throws {
        let dir = try CLI.tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let episodes = dir.appendingPathComponent("e.csv").path, windows = dir.appendingPathComponent("w.csv").path
        let common = ["adherence", "cma", "--input", medEvents] + columns + ["--observation-days", "730", "--cma", "9"]
        let e = try CLI.run(common + ["--per-episode", "--max-gap", "180", "--output", episodes])
        XCTAssertEqual(e.status, 0, e.stderr)
        let eRows = try table(episodes)
        XCTAssertEqual(eRows.first, ["PATIENT_ID", "episode", "episode_start", "episode_end", "episode_days", "end_gap_days", "CMA9"])
        // Vignette, patient 76, episode 2: 2036-12-21 to 2037-08-12, 234 days, gap 60, CMA9 0.3846154.
        let row = try XCTUnwrap(eRows.first { $0[0] == "76" && $0[1] == "2" })
        XCTAssertEqual(Array(row[2...5]), ["2036-12-21", "2037-08-12", "234", "60"])
        XCTAssertEqual(Double(row[6]) ?? 0, 0.3846154, accuracy: 5e-7)
        let w = try CLI.run(common + ["--sliding-window", "120", "--step", "120", "--output", windows])
        XCTAssertEqual(w.status, 0, w.stderr)
        let wRows = try table(windows)
        XCTAssertEqual(wRows.first, ["PATIENT_ID", "window", "window_start", "window_end", "CMA9"])
        XCTAssertEqual(wRows.count, 1 + 100 * 6)
        let w37 = try XCTUnwrap(wRows.first { $0[0] == "37" && $0[1] == "2" })
        XCTAssertEqual(Array(w37[2...3]), ["2036-08-08", "2036-12-06"])
        XCTAssertEqual(Double(w37[4]) ?? 0, 0.6489297, accuracy: 5e-7)
        let step30 = try CLI.run(common + ["--sliding-window", "120", "--step", "30", "--output", windows])
        XCTAssertEqual(step30.status, 0, step30.stderr)
        XCTAssertEqual(try table(windows).count, 1 + 100 * ((730 - 120) / 30 + 1))
    }

    func testDataErrorsNameFileLineColumnNotValues() throws {
        let dir = try CLI.tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let input = dir.appendingPathComponent("events.csv"), out = dir.appendingPathComponent("o.csv").path
        try "PATIENT_ID,DATE,DURATION\nP1,04/10/2036,30\nSECRET-ID,04/31/2036,30\n".write(to: input, atomically: true, encoding: .utf8)
        let args = ["adherence", "cma", "--input", input.path, "--id", "PATIENT_ID", "--date", "DATE", "--duration", "DURATION", "--output", out]
        let bad = try CLI.run(args)
        XCTAssertEqual(bad.status, 3)
        XCTAssertTrue(bad.stderr.contains("events.csv:3:2"), bad.stderr)
        XCTAssertFalse(bad.stderr.contains("SECRET") || bad.stderr.contains("04/31"), bad.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: out))
        try "PATIENT_ID,DATE,DURATION\nP1,04/10/2036,-5\n".write(to: input, atomically: true, encoding: .utf8)
        let negative = try CLI.run(args)
        XCTAssertEqual(negative.status, 3)
        XCTAssertTrue(negative.stderr.contains("events.csv:2:3"), negative.stderr)
        XCTAssertFalse(negative.stderr.contains("-5"), negative.stderr)
        try "PATIENT_ID,WHEN,DURATION\nP1,04/10/2036,30\n".write(to: input, atomically: true, encoding: .utf8)
        XCTAssertEqual(try CLI.run(args).status, 3)
    }

    func testUsageErrors() throws {
        let base = ["adherence", "cma", "--input", medEvents, "--id", "PATIENT_ID", "--date", "DATE", "--duration", "DURATION", "--output", "/tmp/never.csv"]
        XCTAssertEqual(try CLI.run(base + ["--cma", "0..10"]).status, 2)
        XCTAssertEqual(try CLI.run(base + ["--per-episode", "--sliding-window", "120"]).status, 2)
        XCTAssertEqual(try CLI.run(base + ["--carry-only-same-medication"]).status, 2)
        XCTAssertEqual(try CLI.run(base + ["--date-format", "%d %b %Y"]).status, 2)
        XCTAssertEqual(try CLI.run(base + ["--step", "30"]).status, 2)
    }
}
