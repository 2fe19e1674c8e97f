import XCTest
@testable import StratumQuery

/// Found by reading the parser for stratum-fuzz: `except` in a value set recursed without the
/// nesting limit, so `except except … snomed:1` overflowed the stack.
final class ExceptChainTests: XCTestCase {
    func testExceptChainsHitTheNestingLimit() {
        let text = "valueset V = " + String(repeating: "except ", count: 200_000) + "snomed:1\ncount X\n"
        let started = Date()
        var binder = Binder(environment: Environment(), loader: nil)
        _ = binder.bind(SourceFile(name: "except.stratum", text: text))
        XCTAssertEqual(binder.diagnostics.filter { $0.message == .tooDeeplyNested(limit: Parser.maxDepth) }.count, 1)
        XCTAssertLessThan(Date().timeIntervalSince(started), 2)
    }

    func testAFewExceptsAreFine() {
        var binder = Binder(environment: Environment(), loader: nil)
        let statements = binder.bind(SourceFile(name: "except.stratum", text: "valueset V = snomed:1, snomed:2, except except snomed:2"))
        XCTAssertEqual(binder.diagnostics.map(\.text), [])
        XCTAssertEqual(statements.count, 1)
    }
}
