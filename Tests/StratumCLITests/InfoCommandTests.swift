import Foundation
import XCTest

/// `stratum info` reports what a store holds and what looks wrong, as text and as JSON.
final class InfoCommandTests: XCTestCase {
    func testDataQualityFindingsOnGiBleed() throws {
        let archive = try CLI.sharedData("gibleed-omop53.zip")
        let dir = try CLI.tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let db = dir.appendingPathComponent("g.sqlite").path
        XCTAssertEqual(try CLI.run(["import", archive, "--db", db, "--quiet"]).status, 0)

        let result = try CLI.run(["info", "--db", db, "--json"])
        XCTAssertEqual(result.status, 0, result.stderr)
        let json = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let tables = try XCTUnwrap(json["tables"] as? [String: [String: Any]])
        XCTAssertEqual(tables["person"]?["rows"] as? Int, 2694)
        XCTAssertEqual(tables["condition_occurrence"]?["rows"] as? Int, 65_332)
        XCTAssertEqual(tables["condition_occurrence"]?["first_date"] as? String, "1908-10-30")
        // GiBleed's observation periods cover 5,343 persons, of whom PERSON.csv holds 2,694.
        XCTAssertEqual(tables["observation_period"]?["orphans"] as? Int, 2649)
        XCTAssertEqual(json["persons_without_observation_period"] as? Int, 0)
        XCTAssertEqual(json["events_outside_observation"] as? Int, 187)
        let issues = try XCTUnwrap(json["issues"] as? [[String: Any]])
        XCTAssertEqual(issues.filter { $0["severity"] as? String == "kept" }.compactMap { $0["count"] as? Int }.sorted(), [6, 2183, 4384])
        XCTAssertTrue(issues.contains { $0["severity"] as? String == "not imported" && ($0["reason"] as? String)?.contains("condition_era") == true })

        let text = try CLI.run(["info", "--db", db])
        XCTAssertEqual(text.status, 0)
        XCTAssertTrue(text.stdout.contains("orphan events (person missing): 2,649"), text.stdout)
        XCTAssertTrue(text.stdout.contains("gibleed-omop53.zip [omop-csv] 291,184 rows"), text.stdout)
    }
}
