import Foundation
import XCTest

/// `stratum adherence pdc`: PQA's worked example from a CSV, the reasons patients leave the
/// denominator, errors, and an output given as a relative path replaced on a second run.
final class AdherencePDCCommandTests: XCTestCase {
    let columns = ["--id", "PATIENT_ID", "--date", "DATE", "--supply", "DAYS_SUPPLY", "--drug", "DRUG"]

    func testHelpMatchesGolden() throws {
        let result = try CLI.run(["adherence", "pdc", "--help"])
        XCTAssertEqual(result.status, 0)
        try assertGolden(result.stdout, "adherence-pdc-help.txt")
    }

    func testWorkedExampleAndReasons() throws {
        let dir = try CLI.tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let input = dir.appendingPathComponent("fills.csv").path
        try """
            PATIENT_ID,DATE,DAYS_SUPPLY,DRUG
            1,2018-07-05,90,atorvastatin
            1,2018-09-25,90,atorvastatin
            2,2018-11-01,30,atorvastatin
            2,2018-12-01,30,atorvastatin
            3,2018-03-01,30,atorvastatin
            """.write(toFile: input, atomically: true, encoding: .utf8)
        let out = dir.appendingPathComponent("pdc.csv").path
        let result = try CLI.run(["adherence", "pdc", "--input", input] + columns + ["--period", "2018", "--output", out, "--json"])
        XCTAssertEqual(result.status, 0, result.stderr)
        let json = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        XCTAssertEqual(json["patients"] as? Int, 3)
        XCTAssertEqual(json["in_denominator"] as? Int, 1)
        XCTAssertEqual(try String(contentsOfFile: out, encoding: .utf8), """
            PATIENT_ID,index_date,covered_days,treatment_days,pdc,adherent
            1,2018-07-05,180,180,1.000000,yes
            2,2018-11-01,,,,first fill less than 91 days before the period ends
            3,2018-03-01,,,,fewer than two fill dates

            """)
    }

    func testErrorsAndARelativeOutputReplacedTwice() throws {
        let dir = try CLI.tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let input = dir.appendingPathComponent("fills.csv").path
        try "PATIENT_ID,DATE,DAYS_SUPPLY,DRUG\n1,2018-07-05,90,a\n1,2018-09-25,ninety,a\n".write(toFile: input, atomically: true, encoding: .utf8)
        let bad = try CLI.run(["adherence", "pdc", "--input", input] + columns + ["--period", "2018", "--output", dir.appendingPathComponent("x.csv").path])
        XCTAssertEqual(bad.status, 3)
        XCTAssertTrue(bad.stderr.contains("fills.csv:3"), bad.stderr)
        XCTAssertFalse(bad.stderr.contains("ninety"), "no cell value in errors: \(bad.stderr)")
        XCTAssertEqual(try CLI.run(["adherence", "pdc", "--input", input] + columns + ["--period", "18", "--output", "x.csv"]).status, 2)

        try "PATIENT_ID,DATE,DAYS_SUPPLY,DRUG\n1,2018-07-05,90,a\n1,2018-09-25,90,a\n".write(toFile: input, atomically: true, encoding: .utf8)
        let relative = ".build/pdc-relative-\(UUID().uuidString).csv"
        defer { try? FileManager.default.removeItem(atPath: relative) }
        for run in 1...2 {
            let result = try CLI.run(["adherence", "pdc", "--input", input] + columns + ["--period", "2018", "--output", relative])
            XCTAssertEqual(result.status, 0, "run \(run): \(result.stderr)")
        }
        XCTAssertTrue(FileManager.default.fileExists(atPath: relative))
    }
}
