import Foundation
import XCTest
import Stratum

/// Adherence planted by `stratum synth` (its dispensings, refill gaps, early refills, stops and
/// restarts) is recovered through the archive, import and the `adherence` statement: every
/// patient's covered and treatment days equal PQA's PDC computed directly from the planted fills.
final class PlantedAdherenceTests: XCTestCase {
    func testPDCFromTheStoreEqualsPDCOfThePlantedFills() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("stratum-planted-fills-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        var options = SynthOptions(patients: 1_500, seed: 3)
        options.recordFills = true
        let archive = directory.appendingPathComponent("fills.tar.gz").path
        let summary = try SyntheticArchiveWriter(options: options).write(to: archive)
        let store = try Store(path: directory.appendingPathComponent("fills.sqlite").path)
        _ = try Importer(store: store, options: ImportOptions()).importSource(archive)

        let period = CivilDate.days(year: 2024, month: 1, day: 1)...CivilDate.days(year: 2024, month: 12, day: 31)
        let classes = ["Statins": ["617312", "259255", "312961"], "RASAntagonists": ["314076", "979492", "979480"]]
        let session = try Session.withAnalytics(store: store)
        var script = "cohort Everyone\n  entry on 2024-12-31 for everyone\n"
        for (name, codes) in classes.sorted(by: { $0.key < $1.key }) {
            script += "valueset \(name) = " + codes.map { "rxnorm:\($0)" }.joined(separator: ", ") + "\n"
            script += "adherence \(name) for Everyone during 2024-01-01 .. 2024-12-31\n"
        }
        let tables = try session.run(SourceFile(name: "fills.stratum", text: script)).compactMap { r -> ResultTable? in
            if case .table(let t) = r { return t } else { return nil }
        }
        XCTAssertEqual(tables.count, 2)

        var source: [Int64: String] = [:]
        for row in try store.db.query("SELECT person_id, person_source_value FROM person") { source[row[0].int!] = row[1].text }
        var stays: [Int64: [ClosedRange<Int>]] = [:]
        for row in try store.db.query("""
            SELECT person_id, visit_start_date, coalesce(visit_end_date, visit_start_date) FROM visit_occurrence
            WHERE visit_concept_id IN (9201, 262, 8717)
            """) {
            stays[row[0].int!, default: []].append(Int(row[1].int!)...Int(row[2].int!))
        }
        for (table, codes) in zip(tables, classes.sorted(by: { $0.key < $1.key }).map(\.value)) {
            var compared = 0, eligible = 0
            for row in table.rows {
                let person = try XCTUnwrap(row[0].int)
                let planted = (summary.plantedFills[source[person] ?? ""] ?? []).filter { codes.contains($0.rxnorm) }
                let expected = PDCCalculator.compute(fills: planted.map { PDCFill(drug: $0.rxnorm, day: $0.day, daysSupply: $0.daysSupply) },
                                                     period: period, inpatientStays: stays[person] ?? [])
                // A prescription never picked up is primary non-adherence: no fills, not coverage.
                XCTAssertEqual(row[1].text, planted.isEmpty ? "none dispensed" : "dispensings", "person \(person)")
                XCTAssertEqual(row[4].int, Int64(expected.coveredDays), "covered days of person \(person)")
                XCTAssertEqual(row[5].int, Int64(expected.treatmentDays), "treatment days of person \(person)")
                compared += 1
                if expected.isEligible { eligible += 1 }
            }
            print("planted adherence \(table.title): \(compared) patients with fills compared, \(eligible) in the denominator")
            XCTAssertGreaterThan(eligible, 30)
        }
    }
}
