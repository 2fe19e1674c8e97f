import StratumStore
import XCTest
@testable import StratumReports

final class NameUUIDTests: XCTestCase {
    /// The allocation-free SHA-256 agrees with the store's streaming one at every padding boundary.
    func testHashMatchesStratumStoreSHA256() {
        for length in [0, 1, 3, 31, 55, 56, 57, 63, 64, 65, 100, 119, 120, 128, 200, 1000] {
            let message = (0..<length).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }
            var reference = SHA256()
            reference.update(message)
            let hex = NameUUID.sha256(message).map { String($0, radix: 16) }.map { $0.count == 1 ? "0" + $0 : $0 }.joined()
            XCTAssertEqual(hex, reference.finalize(), "length \(length)")
        }
        // FIPS 180-4's "abc".
        XCTAssertEqual(NameUUID.sha256(Array("abc".utf8)).prefix(4), [0xba, 0x78, 0x16, 0xbf])
    }

    func testUUIDsAreVersion8AndDistinct() {
        let uuids = NameUUID(namespace: "run-a")
        let a = uuids.uuid("Patient/1"), b = uuids.uuid("Patient/2")
        for uuid in [a, b] {
            XCTAssertNotNil(uuid.range(of: "^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$", options: .regularExpression), uuid)
        }
        XCTAssertNotEqual(a, b)
        XCTAssertEqual(a, NameUUID(namespace: "run-a").uuid("Patient/1"), "deterministic")
        XCTAssertNotEqual(a, NameUUID(namespace: "run-b").uuid("Patient/1"), "another run, other identifiers")
    }
}
