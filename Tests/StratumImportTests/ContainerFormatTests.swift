import Foundation
import StratumImport
import StratumStore
import XCTest

/// The same records read the same from every container libarchive reads, from a single
/// compressed file, and from a directory.
final class ContainerFormatTests: XCTestCase {
    private let patients = """
        {"resourceType":"Patient","id":"p1","gender":"female","birthDate":"1960-05-01"}
        {"resourceType":"Patient","id":"p2","gender":"male","birthDate":"1948-11-30"}

        """
    private let conditions = """
        {"resourceType":"Condition","id":"c1","subject":{"reference":"Patient/p1"},"code":{"coding":[{"system":"http://snomed.info/sct","code":"44054006"}]},"onsetDateTime":"2020-03-04"}

        """

    private func importAndCount(_ path: String) throws -> (persons: Int, conditions: Int) {
        let dir = try TempDir.make()
        defer { try? FileManager.default.removeItem(at: dir) }
        let store = try Store(path: dir.appendingPathComponent("s.sqlite").path)
        _ = try Importer(store: store).importSource(path)
        return (try store.count("person"), try store.count("condition_occurrence"))
    }

    func testEveryContainerGivesTheSameRows() throws {
        let dir = try TempDir.make()
        defer { try? FileManager.default.removeItem(at: dir) }
        let entries = [("export/Patient.ndjson", ArchiveFixture.text(patients)), ("export/Condition.ndjson", ArchiveFixture.text(conditions))]
        for (name, kind) in [("a.tar.gz", ArchiveFixture.Kind.tarGzip), ("a.tar.bz2", .tarBzip2), ("a.tar.xz", .tarXz),
                             ("a.zip", .zip), ("a.tar", .tar)] {
            let path = dir.appendingPathComponent(name).path
            try ArchiveFixture.write(path, kind: kind, entries: entries)
            let counts = try importAndCount(path)
            XCTAssertEqual(counts.persons, 2, name)
            XCTAssertEqual(counts.conditions, 1, name)
        }
        // A directory of plain files.
        let folder = dir.appendingPathComponent("folder/export")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try patients.write(to: folder.appendingPathComponent("Patient.ndjson"), atomically: true, encoding: .utf8)
        try conditions.write(to: folder.appendingPathComponent("Condition.ndjson"), atomically: true, encoding: .utf8)
        XCTAssertEqual(try importAndCount(dir.appendingPathComponent("folder").path).persons, 2)
        // A single gzip-compressed NDJSON file.
        let single = dir.appendingPathComponent("Patient.ndjson.gz").path
        try ArchiveFixture.write(single, kind: .gzipFile, entries: [("Patient.ndjson", ArchiveFixture.text(patients))])
        XCTAssertEqual(try importAndCount(single).persons, 2)
        // A single plain file.
        let plain = folder.appendingPathComponent("Patient.ndjson").path
        XCTAssertEqual(try importAndCount(plain).persons, 2)
    }
}
