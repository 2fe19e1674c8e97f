import XCTest
@testable import StratumQuery

/// Found by stratum-fuzz: a whole number too large for `Int` trapped when a declaration was
/// described (`param p = 99999999999999999999` killed `stratum run` and `stratum check`).
final class HugeNumberTests: XCTestCase {
    func bind(_ text: String) -> (statements: [BoundStatement], diagnostics: [Diagnostic]) {
        var binder = Binder(environment: Environment(), loader: nil)
        let statements = binder.bind(SourceFile(name: "n.stratum", text: text))
        return (statements, binder.diagnostics)
    }

    func testHugeWholeNumbersAreDescribedWithoutTrapping() {
        let (statements, diagnostics) = bind("""
            param p = 99999999999999999999
            param q = \(String(repeating: "9", count: 400))
            let r = 123456789012345678901234567890 %
            param s = 42
            """)
        XCTAssertEqual(diagnostics.filter { $0.severity == .error }.map(\.text), [])
        let described = statements.compactMap { s -> String? in if case .declaration(let d) = s { return d } else { return nil } }
        XCTAssertEqual(described, ["param p = 1e+20", "param q = inf", "let r = 1.2345678901234568e+29 %", "param s = 42"])
    }

    func testDisplay() {
        XCTAssertEqual(BoundValue.number(1e20, unit: nil).display, "1e+20")
        XCTAssertEqual(BoundValue.number(-1e300, unit: nil).display, "-1e+300")
        XCTAssertEqual(BoundValue.number(.infinity, unit: nil).display, "inf")
        XCTAssertEqual(BoundValue.number(123, unit: nil).display, "123")
        XCTAssertEqual(BoundValue.number(-7, unit: nil).display, "-7")
        XCTAssertEqual(BoundValue.number(2.5, unit: nil).display, "2.5")
    }
}
