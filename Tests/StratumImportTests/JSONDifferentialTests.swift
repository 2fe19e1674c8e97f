import Foundation
import XCTest
@testable import StratumImport

/// Random damage to a FHIR-like document: the tape parser must agree with Foundation's
/// JSONSerialization on what is valid JSON, and must read every value of what it accepts.
final class JSONDifferentialTests: XCTestCase {
    static let sample = #"""
    {"resourceType": "Bundle", "type": "collection", "entry": [
      {"fullUrl": "urn:uuid:1", "resource": {"resourceType": "Observation", "id": "o-1",
        "code": {"coding": [{"system": "http://loinc.org", "code": "8480-6", "display": "Systolic \u00e9 \"BP\""}]},
        "valueQuantity": {"value": 120.5, "unit": "mm[Hg]"}, "effectiveDateTime": "2020-01-01T10:00:00Z",
        "component": [], "flag": true, "other": null, "n": [-0.5e-3, 0, 12345678901234567890]}},
      {"resource": {"resourceType": "Patient", "name": [{"given": ["Zoë", "李"], "family": "O'Brien\t"}]}}
    ]}
    """#

    /// Reads every value under `value` (strings decoded, numbers converted); counts the numbers
    /// beyond Double's range in `overflows` (valid JSON that Foundation refuses, and we read as ±inf).
    private func walk(_ value: JSONValue, _ overflows: inout Int) -> Int {
        switch value.kind {
        case .object: return value.members.reduce(1) { $0 + walk($1.name, &overflows) + walk($1.value, &overflows) }
        case .array: return value.elements.reduce(1) { $0 + walk($1, &overflows) }
        case .string: return value.string == nil ? 0 : 1
        case .number:
            guard let number = value.double else { return 0 }
            if !number.isFinite { overflows += 1 }
            return 1
        default: return 1
        }
    }

    /// A `,` followed (after whitespace) by `]` or `}`, outside strings.
    static func hasTrailingComma(_ bytes: [UInt8]) -> Bool {
        var inString = false, escaped = false, afterComma = false
        for c in bytes {
            if inString {
                if escaped { escaped = false } else if c == 0x5C { escaped = true } else if c == 0x22 { inString = false }
                continue
            }
            switch c {
            case 0x22: inString = true; afterComma = false
            case 0x2C: afterComma = true
            case 0x5D, 0x7D: if afterComma { return true }
            case 0x20, 0x0A, 0x0D, 0x09: break
            default: afterComma = false
            }
        }
        return false
    }

    func testAgreesWithFoundationOnRandomDamage() throws {
        let original = Array(Self.sample.utf8)
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next(_ bound: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(bound))
        }
        let alphabet = Array(#"{}[]:,"\ u0123456789abcdefntrl.-+eE"#.utf8) + [0x00, 0x1F, 0x7F, 0x80, 0xC3, 0xA9, 0xED, 0xF0, 0xFF]
        var accepted = 0, rejected = 0
        let document = JSONDocument()
        for _ in 0..<5000 {
            var bytes = original
            for _ in 0..<(1 + next(3)) {
                switch next(3) {
                case 0: bytes[next(bytes.count)] = alphabet[next(alphabet.count)]
                case 1: bytes.remove(at: next(bytes.count))
                default: bytes.insert(alphabet[next(alphabet.count)], at: next(bytes.count))
                }
            }
            if next(10) == 0 { bytes.removeLast(next(bytes.count)) }
            let foundation = (try? JSONSerialization.jsonObject(with: Data(bytes), options: [.fragmentsAllowed])) != nil
            var overflows = 0
            let ours: Bool = bytes.withUnsafeBytes { buffer in
                do throws(JSONError) {
                    try document.parse(buffer)
                    XCTAssertGreaterThan(walk(document.root, &overflows), 0)
                    return true
                } catch {
                    XCTAssertLessThanOrEqual(error.offset, buffer.count)
                    return false
                }
            }
            if ours { accepted += 1 } else { rejected += 1 }
            // Foundation is lenient where RFC 8259 is not: it accepts a trailing comma before `]`
            // or `}`. We follow the RFC.
            if !ours && foundation && Self.hasTrailingComma(bytes) { continue }
            if ours != foundation && !(ours && overflows > 0) {
                let at = (0..<min(bytes.count, original.count)).first { bytes[$0] != original[$0] } ?? min(bytes.count, original.count)
                let window = bytes[max(0, at - 20)..<min(bytes.count, at + 20)]
                XCTFail("disagreement (ours \(ours), Foundation \(foundation)) near byte \(at): \(String(decoding: window, as: UTF8.self).debugDescription) \(Array(window))")
            }
        }
        XCTAssertGreaterThan(accepted, 50)
        XCTAssertGreaterThan(rejected, 2000)
    }
}
