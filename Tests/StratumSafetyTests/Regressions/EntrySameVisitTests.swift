import Stratum
import XCTest
@testable import StratumQuery

/// Found by `stratum-fuzz --execute`: 'same visit' on an entry event bound and compiled to
/// SQL SQLite rejects ('near ".": syntax error') — the entry event is the row the visit would
/// be compared with, and the compiler referred to a row that does not exist. It is now
/// reported when binding, like a window relative to entry.
final class EntrySameVisitTests: XCTestCase {
    func testSameVisitOnAnEntryEventIsAnError() {
        var binder = Binder(environment: Environment(), loader: nil)
        let statements = binder.bind(SourceFile(name: "s.stratum", text: "cohort X \"x\"\n  entry first procedure in cpt:99213 same visit\n"))
        XCTAssertEqual(binder.diagnostics.map(\.message), [.notAllowedHere("'same visit'")])
        XCTAssertTrue(statements.isEmpty)
    }

    /// After entry (rules, censoring) it still means the entry event's visit, and runs.
    func testSameVisitInRulesRuns() throws {
        let temp = try TempStore(self)
        try temp.person(1, female: true, born: 1960)
        try temp.condition(1, "snomed", "44054006")
        let session = try Session(store: temp.store)
        XCTAssertNoThrow(try session.run(SourceFile(name: "s.stratum", text: """
            cohort X "x"
              entry condition in snomed:44054006
              require procedure in cpt:99213 same visit
              censor on drug in rxnorm:1 same visit
            """)))
    }
}
