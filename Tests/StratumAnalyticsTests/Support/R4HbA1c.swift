import Foundation
import XCTest
import Stratum
@testable import StratumAnalytics

/// The HbA1c results of the Synthea FHIR R4 dev archive (../shared/data), imported once per test
/// process into a temporary store.
enum R4HbA1c {
    private static let cached: Result<HbA1cResults, Error>? = {
        let archive = PeerPython.shared.appendingPathComponent("data/synthea-fhir-r4-dev.tar.gz").path
        guard FileManager.default.fileExists(atPath: archive) else { return nil }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("stratum-traj-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        return Result {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            let store = try Store(path: directory.appendingPathComponent("r4.sqlite").path)
            _ = try Importer(store: store, options: ImportOptions()).importSource(archive)
            return try HbA1cResults.read(from: store.db)
        }
    }()

    static func results() throws -> HbA1cResults {
        guard let cached else { throw XCTSkip("synthea-fhir-r4-dev.tar.gz not found in ../shared/data") }
        return try cached.get()
    }

    static func series() throws -> [PatientSeries] { PatientSeries.build(from: try results().observations) }
}
