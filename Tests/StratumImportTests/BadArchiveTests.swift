import Foundation
@testable import StratumImport
import StratumStore
import XCTest

/// Hostile and damaged inputs: each fails with an error that names the input (and entry) and
/// leaves the store exactly as it was.
final class BadArchiveTests: XCTestCase {
    var dir: URL!
    var store: Store!
    var before: String!

    override func setUpWithError() throws {
        dir = try TempDir.make()
        store = try Store(path: dir.appendingPathComponent("store.sqlite").path)
        // Something already stored, which a failed import must not touch.
        try store.db.run("INSERT INTO person (person_id, year_of_birth, import_id) VALUES (1, 1950, NULL)")
        before = try storeFingerprint(store)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: dir)
    }

    private func expectFailure(_ path: String, options: ImportOptions = ImportOptions(), file: StaticString = #filePath, line: UInt = #line,
                               _ check: (ImportError) -> Void) throws {
        do {
            _ = try Importer(store: store, options: options).importSource(path)
            XCTFail("import of \(path) should fail", file: file, line: line)
        } catch let error as ImportError {
            check(error)
        }
        XCTAssertEqual(try storeFingerprint(store), before, "store changed after a failed import", file: file, line: line)
    }

    func testTruncatedTarGzNamesTheDamage() throws {
        let original = try Data(contentsOf: URL(fileURLWithPath: try SharedData.path("synthea-csv-27.tar.gz")))
        let path = dir.appendingPathComponent("truncated.tar.gz").path
        try original.prefix(original.count / 2).write(to: URL(fileURLWithPath: path))
        try expectFailure(path) { error in
            XCTAssertEqual(error.kind, .input)
            XCTAssertTrue(error.description.contains("truncated.tar.gz"), error.description)
            XCTAssertTrue(error.description.lowercased().contains("truncated") || error.description.contains("damaged"), error.description)
        }
    }

    func testZipEntryThatEscapesWithDotDotIsRefused() throws {
        let path = dir.appendingPathComponent("slip.zip").path
        try ArchiveFixture.write(path, kind: .zip, entries: [("ok.csv", ArchiveFixture.text("a,b\n")), ("../../x.csv", ArchiveFixture.text("a\n"))])
        try expectFailure(path) { error in
            XCTAssertEqual(error.entry, "../../x.csv")
            XCTAssertTrue(error.message.contains("unsafe entry name"), error.message)
        }
    }

    func testAbsoluteEntryNameIsRefused() throws {
        let path = dir.appendingPathComponent("abs.tar.gz").path
        try ArchiveFixture.write(path, kind: .tarGzip, entries: [("/etc/cron.d/x.csv", ArchiveFixture.text("a\n"))])
        try expectFailure(path) { error in
            XCTAssertTrue(error.message.contains("unsafe entry name"), error.message)
        }
    }

    func testDecompressionBombIsBounded() throws {
        let path = dir.appendingPathComponent("bomb.tar.gz").path
        try ArchiveFixture.write(path, kind: .tarGzip, entries: [("Patient.ndjson", [UInt8](repeating: 0x20, count: 24 << 20))])
        var options = ImportOptions()
        options.limits.maxRatio = 100
        options.limits.floorBytes = 1 << 20
        try expectFailure(path, options: options) { error in
            XCTAssertEqual(error.entry, "Patient.ndjson")
            XCTAssertTrue(error.message.contains("decompression bomb"), error.message)
        }
    }

    func testEmptyArchiveIsAnError() throws {
        let path = dir.appendingPathComponent("empty.tar.gz").path
        try ArchiveFixture.write(path, kind: .tarGzip, entries: [])
        try expectFailure(path) { error in
            XCTAssertEqual(error.kind, .unknownFormat)
            XCTAssertTrue(error.message.contains("empty"), error.message)
        }
    }

    func testUnknownFormatIsAnError() throws {
        let path = dir.appendingPathComponent("notes.tar").path
        try ArchiveFixture.write(path, kind: .tar, entries: [("notes.txt", ArchiveFixture.text("dear diary\n"))])
        try expectFailure(path) { error in
            XCTAssertEqual(error.kind, .unknownFormat)
            XCTAssertTrue(error.message.contains("no entry is in a known format"), error.message)
        }
    }

    func testRandomBytesAreAnUnknownFormat() throws {
        let path = dir.appendingPathComponent("noise.bin").path
        var generator = SystemRandomNumberGenerator()
        try Data((0..<4096).map { _ in UInt8.random(in: 0...255, using: &generator) }).write(to: URL(fileURLWithPath: path))
        try expectFailure(path) { error in
            XCTAssertEqual(error.kind, .unknownFormat)
        }
    }

    func testMissingFileIsNamed() throws {
        try expectFailure(dir.appendingPathComponent("nope.tar.gz").path) { error in
            XCTAssertTrue(error.description.contains("nope.tar.gz"))
            XCTAssertTrue(error.message.contains("no such file"))
        }
    }

    func testSHA256MatchesKnownVectors() {
        var empty = SHA256()
        XCTAssertEqual(empty.finalize(), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        var abc = SHA256()
        abc.update(Array("abc".utf8))
        XCTAssertEqual(abc.finalize(), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        var long = SHA256()
        let million = [UInt8](repeating: UInt8(ascii: "a"), count: 1_000_000)
        long.update(Array(million[0..<333]))
        long.update(Array(million[333...]))
        XCTAssertEqual(long.finalize(), "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }
}

/// Entry names that may name a patient never reach messages or the store.
final class EntryNameTests: XCTestCase {
    func testPerPatientFileNamesAreWithheld() {
        let synthea = "SYNTHEA/Adalberto_Hartmann_44ec4447-9e2c-4eb9-bd4f-0bdb416b806e.json"
        let shown = EntryName.redacted(synthea)
        XCTAssertFalse(shown.contains("Hartmann"), shown)
        XCTAssertTrue(shown.hasPrefix("SYNTHEA/[per-patient file "), shown)
        XCTAssertTrue(shown.hasSuffix(", name withheld].json"), shown)
        XCTAssertEqual(EntryName.redacted(synthea), shown, "stable")
        XCTAssertFalse(EntryName.redacted("exports/MRN_00123456.ndjson").contains("00123456"))
        for name in ["PERSON.csv", "csv/patients.0003.csv", "Observation.000001.ndjson", "../../x.csv", "a/b/DRUG_EXPOSURE.csv"] {
            XCTAssertEqual(EntryName.redacted(name), name)
        }
    }

    func testErrorsAndDiagnosticsUseTheWithheldName() throws {
        let error = ImportError(.data, source: "x.tar.gz", entry: "Jane_Doe_44ec4447-9e2c-4eb9-bd4f-0bdb416b806e.json", line: 3, "bad")
        XCTAssertFalse(error.description.contains("Jane"), error.description)
        let diagnostics = ImportDiagnostics(source: "x", strict: false)
        try diagnostics.skip("FHIR Observation", reason: "bad date", entry: "p/Jane_Doe_44ec4447-9e2c-4eb9-bd4f-0bdb416b806e.json", line: 9)
        XCTAssertFalse(diagnostics.all[0].examples[0].contains("Jane"), diagnostics.all[0].examples[0])
        XCTAssertTrue(diagnostics.all[0].examples[0].hasSuffix(".json:9"))
    }
}
