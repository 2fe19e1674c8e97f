import XCTest
@testable import StratumAnalytics

final class NumericCSVTests: XCTestCase {
    func write(_ text: String) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("stratum-ft-\(UUID().uuidString).csv")
        try Data(text.utf8).write(to: url)
        return url
    }

    func testParsesQuotingCRLFBOMAndNumbersExactly() throws {
        let url = try write("\u{FEFF}a,\"person id\",b\r\n1.5,\"P,1\",-2e-3\r\n  7 ,\"Q\"\"2\",0.1\r\n1e308,R3,123456789012345678901\r\n")
        defer { try? FileManager.default.removeItem(at: url) }
        let t = try NumericCSV.read(path: url.path, idColumn: "person id")
        XCTAssertEqual(t.featureNames, ["a", "b"])
        XCTAssertEqual((0..<3).map(t.id), ["P,1", "Q\"2", "R3"])
        XCTAssertEqual(t.matrix.storage, [1.5, -2e-3, 7, 0.1, 1e308, 123456789012345678901])
    }

    func testFastPathMatchesCorrectRounding() throws {
        let random = SeededRandom(seed: 5)
        var values: [String] = []
        for _ in 0..<5_000 {
            let v = (random.uniform() - 0.5) * pow(10, Double(random.integer(below: 12)) - 4)
            values.append([String(format: "%.6f", v), String(format: "%.17g", v), String(format: "%.3e", v), "\(v)"][random.integer(below: 4)])
        }
        let url = try write("id,x\n" + values.enumerated().map { "\($0.offset),\($0.element)" }.joined(separator: "\n") + "\n")
        defer { try? FileManager.default.removeItem(at: url) }
        let t = try NumericCSV.read(path: url.path, idColumn: "id")
        XCTAssertEqual(t.matrix.storage, values.map { Double($0)! })
    }

    func testErrorsNameLineAndColumnNotValueAndMedianImputation() throws {
        let bad = try write("id,x,y\nA1,1,2\nMRN777,3,oops\n")
        defer { try? FileManager.default.removeItem(at: bad) }
        XCTAssertThrowsError(try NumericCSV.read(path: bad.path, idColumn: "id")) { error in
            let text = "\(error)"
            XCTAssertTrue(text.hasSuffix(": line 3, column 'y' (3): not a number"), text)
            XCTAssertFalse(text.contains("oops") || text.contains("MRN777"), text)
        }
        let holes = try write("id,x\n1,4\n2,NA\n3,\n4,1\n5,10\n")
        defer { try? FileManager.default.removeItem(at: holes) }
        XCTAssertThrowsError(try NumericCSV.read(path: holes.path, idColumn: "id"))
        let t = try NumericCSV.read(path: holes.path, idColumn: "id", imputeMedian: true)
        XCTAssertEqual(t.matrix.storage, [4, 4, 4, 1, 10])
        XCTAssertEqual(t.imputed, [2])
    }

    func testStandardizedRejectsConstantColumn() throws {
        let url = try write("id,x,c\n1,1,5\n2,3,5\n")
        defer { try? FileManager.default.removeItem(at: url) }
        let t = try NumericCSV.read(path: url.path, idColumn: "id")
        XCTAssertThrowsError(try t.standardized()) { XCTAssertTrue("\($0)".contains("'c' is constant")) }
    }
}
