import Foundation
import XCTest
@testable import StratumReports

final class CareGapReportWriterTests: XCTestCase {
    private var directory: URL!

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("stratum-writer-\(UUID().uuidString)")
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: directory)
    }

    private var out: String { directory.appendingPathComponent("out").path }

    private func read(_ relative: String) -> String? {
        try? String(contentsOfFile: out + "/" + relative, encoding: .utf8)
    }

    /// Everything in the output directory, relative paths, temporary directories included.
    private func listing() -> [String] {
        (FileManager.default.subpaths(atPath: out) ?? []).sorted()
    }

    func testWritesEveryFormat() throws {
        let run = SamplePanel.run
        let written = try CareGapReportWriter(run: run).write([.fhir, .html, .csv], to: out)
        let expected = CareGapFormat.allCases.flatMap(\.fileNames)
        XCTAssertEqual(written, expected.map { out + "/" + $0 })
        XCTAssertEqual(listing(), ["caregaps-patients.csv", "caregaps-summary.csv", "caregaps.html", "fhir",
                                   "fhir/caregaps.ndjson", "fhir/measurereport-individual.ndjson", "fhir/measurereport-summary.json"])
        XCTAssertEqual(read("caregaps-patients.csv"), CareGapCSVRenderer(run: run).patientsCSV())
        XCTAssertEqual(read("caregaps-summary.csv"), CareGapCSVRenderer(run: run).summaryCSV())
        XCTAssertEqual(read("caregaps.html"), CareGapHTMLRenderer(run: run).render())
        XCTAssertEqual(read("fhir/measurereport-summary.json"), CareGapFHIRRenderer(run: run).summaryBundle())
        XCTAssertEqual(read("fhir/measurereport-individual.ndjson"), CareGapFHIRRenderer(run: run).individualReports())
        XCTAssertEqual(read("fhir/caregaps.ndjson"), CareGapFHIRRenderer(run: run).careGapBundles())
    }

    func testFileBackedBufferFlushesInChunks() throws {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let path = directory.appendingPathComponent("chunks.txt").path
        _ = FileManager.default.createFile(atPath: path, contents: nil)
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        var buffer = ReportBuffer(handle: handle, chunkSize: 100)
        for line in 0..<1_000 {
            buffer.append("line \(line)\n")
            try buffer.flushIfFull()
            XCTAssertLessThan(buffer.bytes.count, 120)
        }
        try buffer.flush()
        try handle.close()
        let text = try String(contentsOfFile: path, encoding: .utf8)
        XCTAssertEqual(text, (0..<1_000).map { "line \($0)\n" }.joined())
        XCTAssertEqual(buffer.flushedCount, text.utf8.count)
    }

    /// A renderer that fails halfway (after part of its file reached the disk) leaves no partial
    /// file, no temporary directory, and the previous report exactly as it was.
    func testFailingRendererLeavesPreviousReportUntouched() throws {
        let writer = CareGapReportWriter(run: SamplePanel.run)
        try writer.write([.csv, .fhir], to: out)
        let before = try snapshot()

        var changed = SamplePanel.run
        changed.generatedAt = "2026-02-01T00:00:00Z"
        changed.outcomes.removeLast(5)
        struct Boom: Error {}
        var files = CareGapReportWriter(run: changed).files(for: [.csv, .fhir, .html])
        files.insert(ReportFile(path: "fhir/zz-partial.ndjson") { buffer in
            buffer.append("{\"resourceType\":\"Bundle\"}\n")
            try buffer.flush()   // really on disk before the failure
            buffer.append("{\"resourceType\":")
            throw Boom()
        }, at: 3)
        XCTAssertThrowsError(try CareGapReportWriter.writeAtomically(files, to: out)) { XCTAssertTrue($0 is Boom) }
        XCTAssertEqual(try snapshot(), before)
        XCTAssertFalse(listing().contains { $0.contains(".stratum-tmp-") || $0.contains("zz-partial") || $0 == "caregaps.html" })
    }

    /// A rename that fails halfway puts back the files already moved (old contents restored, new
    /// files removed, new directories removed).
    func testFailingRenameRollsBack() throws {
        try CareGapReportWriter(run: SamplePanel.run).write([.csv], to: out)
        let before = try snapshot()

        var changed = SamplePanel.run
        changed.outcomes.removeLast(5)
        let files = CareGapReportWriter(run: changed).files(for: [.csv, .fhir])
        var calls = 0
        struct RenameFailed: Error {}
        XCTAssertThrowsError(try CareGapReportWriter.writeAtomically(files, to: out) { source, target in
            calls += 1
            if calls == 4 { throw RenameFailed() }
            guard rename(source, target) == 0 else { throw RenameFailed() }
        })
        XCTAssertEqual(calls, 4)
        XCTAssertEqual(try snapshot(), before)
        XCTAssertEqual(listing(), ["caregaps-patients.csv", "caregaps-summary.csv"])
    }

    func testUnwritablePaths() throws {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        // The output "directory" is a file.
        let file = directory.appendingPathComponent("file").path
        _ = FileManager.default.createFile(atPath: file, contents: Data("keep".utf8))
        XCTAssertThrowsError(try CareGapReportWriter(run: SamplePanel.run).write([.csv], to: file)) {
            XCTAssertEqual($0 as? CareGapReportError, .notADirectory(file))
        }
        XCTAssertEqual(try String(contentsOfFile: file, encoding: .utf8), "keep")

        // A report file's place is taken by a directory: nothing is written.
        try FileManager.default.createDirectory(atPath: out + "/caregaps-summary.csv", withIntermediateDirectories: true)
        XCTAssertThrowsError(try CareGapReportWriter(run: SamplePanel.run).write([.csv], to: out)) {
            XCTAssertEqual($0 as? CareGapReportError, .isADirectory(out + "/caregaps-summary.csv"))
        }
        XCTAssertEqual(listing(), ["caregaps-summary.csv"])

        // Paths that would leave the output directory are refused before anything is rendered.
        for bad in ["../escape.csv", "/tmp/x.csv", "", "a//b", "./x"] {
            XCTAssertThrowsError(try CareGapReportWriter.writeAtomically([ReportFile(path: bad) { _ in }], to: out)) {
                XCTAssertEqual($0 as? CareGapReportError, .badPath(bad))
            }
        }
    }

    func testReadOnlyDirectoryFailsCleanly() throws {
        guard getuid() != 0 else { throw XCTSkip("root ignores directory permissions") }
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        try FileManager.default.setAttributes([.posixPermissions: 0o555], ofItemAtPath: out)
        defer { try? FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: out) }
        XCTAssertThrowsError(try CareGapReportWriter(run: SamplePanel.run).write([.csv], to: out))
        XCTAssertEqual(listing(), [])
    }

    private func snapshot() throws -> [String: Data] {
        var files: [String: Data] = [:]
        for path in listing() {
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: out + "/" + path, isDirectory: &isDirectory), !isDirectory.boolValue {
                files[path] = try Data(contentsOf: URL(fileURLWithPath: out + "/" + path))
            }
        }
        return files
    }
}
