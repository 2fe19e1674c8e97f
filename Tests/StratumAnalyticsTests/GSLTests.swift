import XCTest
@testable import StratumAnalytics

final class GSLTests: XCTestCase {
    func testNotPositiveDefiniteThrowsInsteadOfAborting() {
        let m = Matrix([[1, 2], [2, 1]])
        XCTAssertThrowsError(try Cholesky(m, context: "test matrix")) { error in
            let gsl = error as? GSLError
            XCTAssertNotNil(gsl)
            XCTAssertTrue(gsl?.isNotPositiveDefinite ?? false)
            XCTAssertTrue("\(error)".hasPrefix("test matrix: "), "\(error)")
        }
    }

    func testCholeskySolveInverseAndDeterminant() throws {
        let a = Matrix([[4, 2, 0.6], [2, 2, 0.4], [0.6, 0.4, 3]])
        let c = try Cholesky(a)
        let x = try c.solve([1, 2, 3])
        for i in 0..<3 {
            let ax = (0..<3).reduce(0.0) { $0 + a[i, $1] * x[$1] }
            XCTAssertEqual(ax, [1, 2, 3][i], accuracy: 1e-12)
        }
        // det = 4(6 - 0.16) - 2(6 - 0.24) + 0.6(0.8 - 1.2)
        XCTAssertEqual(c.logDeterminant, log(4 * 5.84 - 2 * 5.76 + 0.6 * -0.4), accuracy: 1e-12)
        let inv = try c.inverse()
        for i in 0..<3 { for j in 0..<3 {
            let v = (0..<3).reduce(0.0) { $0 + a[i, $1] * inv[$1, j] }
            XCTAssertEqual(v, i == j ? 1 : 0, accuracy: 1e-12)
        } }
        let y = c.forwardSolve([1, 2, 3])
        XCTAssertEqual(y.reduce(0) { $0 + $1 * $1 }, zip(x, [1.0, 2, 3]).reduce(0) { $0 + $1.0 * $1.1 }, accuracy: 1e-12)
    }

    func testSeededRandomIsDeterministicAndSplitsDiffer() {
        let a = SeededRandom(seed: 42), b = SeededRandom(seed: 42)
        XCTAssertEqual((0..<5).map { _ in a.uniform() }, (0..<5).map { _ in b.uniform() })
        let s1 = SeededRandom(seed: 42).split(0), s2 = SeededRandom(seed: 42).split(1)
        XCTAssertNotEqual(s1.uniform(), s2.uniform())
        let sample = SeededRandom(seed: 7).sample(100, count: 10)
        XCTAssertEqual(sample.count, 10)
        XCTAssertEqual(sample, sample.sorted())
        XCTAssertEqual(Set(sample).count, 10)
    }
}
