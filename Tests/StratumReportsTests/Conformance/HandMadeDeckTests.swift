import Foundation
import XCTest
@testable import StratumReports

/// The hand-made test decks of the measures that have no official deck in the eCQM content
/// (CMS131, CMS951, CMS347, CMS135, CMS144): a few patients each, in the deck shape MADiE
/// exports (`Fixtures/decks/<measure>/<patient>/`, written by `Fixtures/decks/make_decks.py`),
/// run through the measure scripts with the official value-set expansions, exactly as
/// `stratum conformance ecqm` does. Every patient must pass.
final class HandMadeDeckTests: XCTestCase {
    static var repoRoot: URL { ECQMReference.repoRoot }

    static var decks: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/decks")
    }

    func check(measure: String, patients: Int) throws {
        let library = MeasureLibrary(directory: Self.repoRoot.appendingPathComponent("Reports/measures"))
        let runner = try ECQMConformanceRunner(library: library, valueSetDirectory: try ECQMReference.valueSets.path)
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
