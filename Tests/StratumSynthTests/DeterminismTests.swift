import Foundation
import StratumSynth
import XCTest

final class DeterminismTests: XCTestCase {
    private func write(_ options: SynthOptions, _ name: String) throws -> Data {
        let path = ArchiveFixture.temporaryPath(name)
        defer { try? FileManager.default.removeItem(atPath: path) }
        try SyntheticArchiveWriter(options: options).write(to: path)
        return try Data(contentsOf: URL(fileURLWithPath: path))
    }

    func testSameSeedGivesIdenticalBytes() throws {
        let options = SynthOptions(patients: 300, seed: 11, chunkPatients: 120)
        let first = try write(options, "a.tar.gz")
        // A second later, so a wall-clock timestamp anywhere in the output would show.
        Thread.sleep(forTimeInterval: 1.1)
        let second = try write(options, "b.tar.gz")
        XCTAssertGreaterThan(first.count, 10_000)
        XCTAssertEqual(first, second, "same seed and N must give a byte-identical archive")
        // The gzip header's MTIME field (bytes 4–7) is zero: no build time in the file.
        XCTAssertEqual(Array(first[0..<4]), [0x1f, 0x8b, 8, 0])
        XCTAssertEqual(Array(first[4..<8]), [0, 0, 0, 0])
    }

    func testDifferentSeedGivesDifferentContent() throws {
        let a = try write(SynthOptions(patients: 100, seed: 1), "s1.tar.gz")
        let b = try write(SynthOptions(patients: 100, seed: 2), "s2.tar.gz")
        XCTAssertNotEqual(a, b)
    }

    func testZipIsDeterministicAndReadable() throws {
        let options = SynthOptions(patients: 80, seed: 5)
        let first = try write(options, "a.zip")
        let second = try write(options, "b.zip")
        XCTAssertEqual(first, second)
        let path = ArchiveFixture.temporaryPath("c.zip")
        defer { try? FileManager.default.removeItem(atPath: path) }
        try first.write(to: URL(fileURLWithPath: path))
        let resources = try ArchiveFixture.resources(of: path)
        XCTAssertEqual(resources["Patient"]?.count, 80)
    }

    /// A patient's content depends only on the seed and its index, not on how chunks are cut.
    func testContentDoesNotDependOnChunking() throws {
        func concatenated(chunkPatients: Int, _ name: String) throws -> [String: Data] {
            let path = ArchiveFixture.temporaryPath(name)
            defer { try? FileManager.default.removeItem(atPath: path) }
            try SyntheticArchiveWriter(options: SynthOptions(patients: 150, seed: 9, chunkPatients: chunkPatients))
                .write(to: path)
            var byType: [String: Data] = [:]
            for (name, data) in try ArchiveFixture.entries(of: path) {
                byType[String(name.prefix { $0 != "." }), default: Data()].append(data)
            }
            return byType
        }
        let small = try concatenated(chunkPatients: 40, "c40.tar.gz")
        let large = try concatenated(chunkPatients: 1_000, "c1000.tar.gz")
        XCTAssertEqual(small.keys.sorted(), large.keys.sorted())
        for key in small.keys { XCTAssertEqual(small[key], large[key], key) }
    }

    func testDirectoryOutput() throws {
        let path = ArchiveFixture.temporaryPath("dir-out")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let summary = try SyntheticArchiveWriter(options: SynthOptions(patients: 50, seed: 3)).write(to: path)
        let files = try FileManager.default.contentsOfDirectory(atPath: path).sorted()
        XCTAssertEqual(files, summary.entries.sorted())
        XCTAssertTrue(files.contains("Patient.000001.ndjson"))
    }

    func testInvalidOptionsAreRejected() {
        XCTAssertThrowsError(try SyntheticArchiveWriter(options: SynthOptions(patients: 0)).write(to: "/tmp/never.tar.gz"))
        XCTAssertThrowsError(try SyntheticArchiveWriter(options: SynthOptions(startYear: 2020, endYear: 2019))
            .write(to: "/tmp/never.tar.gz"))
        XCTAssertFalse(FileManager.default.fileExists(atPath: "/tmp/never.tar.gz"))
    }

    func testUnwritablePathFailsWithoutLeavingAFile() {
        let path = "/nonexistent-dir/out.tar.gz"
        XCTAssertThrowsError(try SyntheticArchiveWriter(options: SynthOptions(patients: 5)).write(to: path)) { error in
            XCTAssertTrue("\(error)".contains("nonexistent-dir"), "\(error)")
        }
    }
}
