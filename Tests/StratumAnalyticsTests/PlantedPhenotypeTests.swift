import Foundation
import XCTest
import Stratum

/// Planted structure from `stratum synth --phenotypes` is recovered end to end: archive, import,
/// `features`, `cluster`, and the phenotype cohorts compared with the planted truth.
final class PlantedPhenotypeTests: XCTestCase {
    func testPlantedPhenotypesAreRecoveredByKMeansAndMixtures() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("stratum-planted-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        var options = SynthOptions(patients: 1_500, seed: 11)
        options.phenotypes = 3
        let archive = directory.appendingPathComponent("planted.tar.gz").path
        let summary = try SyntheticArchiveWriter(options: options).write(to: archive)
        XCTAssertGreaterThan(summary.plantedPhenotypes.count, 1_000)
        let store = try Store(path: directory.appendingPathComponent("planted.sqlite").path)
        _ = try Importer(store: store, options: ImportOptions()).importSource(archive)

        let charts = directory.appendingPathComponent("charts").path
        let session = try Session.withAnalytics(store: store)
        try session.run(SourceFile(name: "planted.stratum", text: """
            valueset BMI = loinc:39156-5
            valueset SBP = loinc:8480-6
            cohort Measured "Adults with a BMI and a systolic pressure"
              entry on 2025-12-31 for everyone
              require age at entry >= 28
              require measurement in BMI during 2015-01-01 .. 2025-12-31
              require measurement in SBP during 2015-01-01 .. 2025-12-31
            features F for Measured at 2025-12-31 standardize zscore
              measurement BMI: mean as bmi
              measurement SBP: mean as sbp
            cluster Measured using F method kmeans k 3 seed 1 as KM
            cluster Measured using F method gmm k 3 seed 1 as Mix
            cluster Measured using F method kmeans k 2..5 seed 1 as Chosen charts "\(charts)"
            """))
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: charts).sorted(), ["choosing-k.svg", "profiles.svg"])
        // Truth by person: the store keeps the FHIR Patient id as person_source_value.
        var truth: [Int64: Int] = [:]
        for row in try store.db.query("SELECT person_id, person_source_value FROM person") {
            if let id = row[0].int, let source = row[1].text, let phenotype = summary.plantedPhenotypes[source] { truth[id] = phenotype }
        }
        func assignments(_ name: String) throws -> [Int64: Int] {
            var out: [Int64: Int] = [:]
            for row in try store.db.query("SELECT person_id, cluster FROM phenotype_assignment WHERE name = ?", [.text(name)]) {
                out[row[0].int!] = Int(row[1].int!)
            }
            return out
        }
        for name in ["KM", "Mix"] {
            let found = try assignments(name)
            let persons = found.keys.filter { truth[$0] != nil }.sorted()
            XCTAssertGreaterThan(persons.count, 500, name)
            let ari = ClusterMetrics.adjustedRandIndex(persons.map { truth[$0]! }, persons.map { found[$0]! })
            print("planted phenotypes, \(name): ARI \(String(format: "%.3f", ari)) over \(persons.count) persons")
            XCTAssertGreaterThanOrEqual(ari, 0.9, name)
        }
        // Choosing k over 2…5 finds three groups.
        let chosen = try assignments("Chosen")
        XCTAssertEqual(Set(chosen.values).count, 3)
        XCTAssertEqual(try store.db.scalar("SELECT count(*) FROM cohort_definition WHERE name LIKE 'Chosen\\_%' ESCAPE '\\'").int, 5)
        XCTAssertEqual(try store.db.scalar("SELECT persons FROM cohort_definition WHERE name = 'Chosen_4'").int, 0)
    }
}
