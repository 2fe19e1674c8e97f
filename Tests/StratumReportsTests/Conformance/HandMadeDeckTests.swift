import Foundation
import XCTest
@testable import StratumReports

/// The hand-made test decks of the measures that have no official deck in the eCQM content
/// (CMS131, CMS951, CMS347, CMS135, CMS144): a few patients each, in the deck shape MADiE
/// exports (`Fixtures/decks/<measure>/<patient>/`, written by `Fixtures/decks/make_decks.py`),
/// run through the measure scripts with the official value-set expansions, exactly as
/// `stratum conformance ecqm` does. Every patient must pass.
final class HandMadeDeckTests: XCTestCase {
    static var repoRoot: URL { ECQMDeckTests.repoRoot }

    static var decks: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/decks")
    }

    /// The value-set expansions of the eCQM reference bundle, extracted once for the class.
    nonisolated(unsafe) static var valueSets: URL?
    static let extraction = NSLock()

    func valueSetDirectory() throws -> URL {
        Self.extraction.lock()
        defer { Self.extraction.unlock() }
        if let dir = Self.valueSets { return dir }
        let archive = Self.repoRoot.deletingLastPathComponent().appendingPathComponent("shared/reference/ecqm-qicore-2024-dev.tar.gz").path
        guard FileManager.default.fileExists(atPath: archive) else { throw XCTSkip("the eCQM reference bundle is not at \(archive)") }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("stratum-handmade-vs-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let tar = Process()
        tar.executableURL = URL(fileURLWithPath: "/usr/bin/tar")
        tar.arguments = ["-xzf", archive, "-C", dir.path, "input/vocabulary/valueset/external"]
        try tar.run()
        tar.waitUntilExit()
        XCTAssertEqual(tar.terminationStatus, 0)
        let external = dir.appendingPathComponent("input/vocabulary/valueset/external")
        Self.valueSets = external
        return external
    }

    override class func tearDown() {
        if let dir = valueSets { try? FileManager.default.removeItem(at: dir.deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()) }
        valueSets = nil
        super.tearDown()
    }

    func check(measure: String, patients: Int) throws {
        let library = MeasureLibrary(directory: Self.repoRoot.appendingPathComponent("Reports/measures"))
        let runner = try ECQMConformanceRunner(library: library, valueSetDirectory: try valueSetDirectory().path)
        let cases = try ECQMTestCase.loadDeck(Self.decks.appendingPathComponent(measure))
        XCTAssertEqual(cases.count, patients)
        var passed = 0
        for testCase in cases {
            let outcome = runner.run(testCase, measure: measure)
            XCTAssertNil(outcome.error, ECQMConformanceRunner.line(outcome))
            XCTAssertTrue(outcome.passed, ECQMConformanceRunner.line(outcome))
            if outcome.passed { passed += 1 }
        }
        print("\(measure) hand-made deck: \(passed) passed, \(cases.count - passed) failed")
    }

    func testCMS131EyeExam() throws { try check(measure: "cms131", patients: 4) }

    func testCMS951KidneyHealthEvaluation() throws { try check(measure: "cms951", patients: 4) }

    func testCMS347StatinTherapyFourGroups() throws { try check(measure: "cms347", patients: 4) }

    func testCMS135ACEIorARBorARNI() throws { try check(measure: "cms135", patients: 4) }

    func testCMS144BetaBlocker() throws { try check(measure: "cms144", patients: 6) }
}
