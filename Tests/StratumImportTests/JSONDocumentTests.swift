import XCTest
@testable import StratumImport

final class JSONDocumentTests: XCTestCase {
    /// Parses `text` and hands the root to `body`.
    private func parse<R>(_ text: String, maxDepth: Int = 512, _ body: (JSONValue) throws -> R) throws -> R {
        try JSONDocument.withRoot(of: Array(text.utf8), maxDepth: maxDepth, body)
    }

    private func parse<R>(bytes: [UInt8], _ body: (JSONValue) throws -> R) throws -> R {
        try JSONDocument.withRoot(of: bytes, body)
    }

    /// The error parsing `bytes` gives, or nil when it parses.
    private func error(_ bytes: [UInt8], maxDepth: Int = 512) -> JSONError? {
        do {
            try JSONDocument.withRoot(of: bytes, maxDepth: maxDepth) { _ in }
            return nil
        } catch let error as JSONError {
            return error
        } catch {
            XCTFail("unexpected error type \(error)")
            return nil
        }
    }

    private func error(_ text: String, maxDepth: Int = 512) -> JSONError? { error(Array(text.utf8), maxDepth: maxDepth) }

    func testObjectsArraysAndLookup() throws {
        try parse(#" { "a": 1, "b": [true, false, null, "x"], "c": {"d": {}}, "e": [] } "#) { root in
            XCTAssertEqual(root.kind, .object)
            XCTAssertEqual(root.count, 4)
            XCTAssertEqual(root["a"]?.int64, 1)
            let b = try XCTUnwrap(root["b"])
            XCTAssertEqual(b.count, 4)
            XCTAssertEqual(b[0]?.bool, true)
            XCTAssertEqual(b[1]?.bool, false)
            XCTAssertEqual(b[2]?.isNull, true)
            XCTAssertEqual(b[3]?.string, "x")
            XCTAssertNil(b[4])
            XCTAssertEqual(root["c"]?["d"]?.kind, .object)
            XCTAssertEqual(root["c"]?["d"]?.count, 0)
            XCTAssertEqual(root["e"]?.count, 0)
            XCTAssertNil(root["zz"])
            XCTAssertNil(root["a"]?["a"])
            XCTAssertEqual(root.members.map { $0.name.string ?? "?" }, ["a", "b", "c", "e"])
            XCTAssertEqual(b.elements.map(\.kind), [.bool, .bool, .null, .string])
        }
    }

    func testScalarRoots() throws {
        XCTAssertEqual(try parse("42") { $0.int64 }, 42)
        XCTAssertEqual(try parse(" \"s\" ") { $0.string }, "s")
        XCTAssertEqual(try parse("null") { $0.isNull }, true)
        // A byte-order mark is ignored.
        XCTAssertEqual(try parse(bytes: [0xEF, 0xBB, 0xBF] + Array("[1]".utf8)) { $0.count }, 1)
    }

    func testEscapes() throws {
        try parse(#"["a\"b\\c\/d\b\f\n\r\t", "\u00e9\u4e2d", "\ud83d\ude00", "plain", "\u0041", "x\u0000y"]"#) { root in
            XCTAssertEqual(root[0]?.string, "a\"b\\c/d\u{8}\u{c}\n\r\t")
            XCTAssertEqual(root[0]?.hasEscapes, true)
            XCTAssertEqual(root[1]?.string, "é中")
            XCTAssertEqual(root[2]?.string, "😀")
            XCTAssertEqual(root[3]?.hasEscapes, false)
            XCTAssertEqual(root[4]?.string, "A")
            XCTAssertEqual(root[4]?.stringEquals("A"), true)
            XCTAssertEqual(root[5]?.string, "x\u{0}y")
        }
        // An escaped key still matches its decoded name.
        XCTAssertEqual(try parse(#"{"k\u0065y": 7}"#) { $0["key"]?.int64 }, 7)
        // Raw UTF-8 passes through unchanged.
        XCTAssertEqual(try parse("[\"Alcántar ☃ 😀\"]") { $0[0]?.string }, "Alcántar ☃ 😀")
    }

    func testInvalidEscapes() {
        XCTAssertEqual(error(#"["\x"]"#)?.reason, .invalidEscape)
        XCTAssertEqual(error(#"["\u12g4"]"#)?.reason, .invalidEscape)
        XCTAssertEqual(error(#"["\ud83d"]"#)?.reason, .unpairedSurrogate)
        XCTAssertEqual(error(#"["\ud83d\u0041"]"#)?.reason, .unpairedSurrogate)
        XCTAssertEqual(error(#"["\ude00"]"#)?.reason, .unpairedSurrogate)
        XCTAssertEqual(error("[\"a\tb\"]")?.reason, .controlCharacterInString)
        XCTAssertEqual(error("[\"a\tb\"]")?.offset, 3)
    }

    func testNumbers() throws {
        try parse("[0, -0, 1.5, -2.25e2, 1E+2, 166.82501702858627, 12345678901234567890, 9223372036854775807, -9223372036854775808, 3.0, 1e400, 0.1]") { root in
            XCTAssertEqual(root[0]?.int64, 0)
            XCTAssertEqual(root[1]?.double, 0)
            XCTAssertEqual(root[2]?.double, 1.5)
            XCTAssertEqual(root[2]?.int64, nil)
            XCTAssertEqual(root[3]?.double, -225)
            XCTAssertEqual(root[4]?.double, 100)
            XCTAssertEqual(root[5]?.double, 166.82501702858627)
            XCTAssertEqual(root[6]?.int64, nil)
            XCTAssertEqual(root[6]?.double, 12345678901234567890.0)
            XCTAssertEqual(root[7]?.int64, Int64.max)
            XCTAssertEqual(root[8]?.int64, Int64.min)
            XCTAssertEqual(root[9]?.int64, 3)
            XCTAssertEqual(root[10]?.double, .infinity)
            XCTAssertEqual(root[11]?.double, 0.1)
        }
        // The fast path and the standard library agree on many short decimals.
        for value in [0.001, 98.6, 7.25, 123456.789, 5e-10, 4.35] {
            XCTAssertEqual(try parse("[\(value)]") { $0[0]?.double }, value)
        }
    }

    func testInvalidNumbers() {
        for text in ["[01]", "[-]", "[1.]", "[.5]", "[1e]", "[1e+]", "[+1]", "[1.2.3]", "[0x10]", "[-a]", "[1x]"] {
            let error = self.error(text)
            XCTAssertNotNil(error, text)
            XCTAssertTrue(error?.reason == .invalidNumber || error?.reason == .unexpectedCharacter, "\(text): \(String(describing: error))")
        }
    }

    func testGrammarErrorsWithOffsets() {
        XCTAssertEqual(error(""), JSONError(offset: 0, .emptyInput))
        XCTAssertEqual(error("   "), JSONError(offset: 3, .emptyInput))
        XCTAssertEqual(error(#"{"a" 1}"#), JSONError(offset: 5, .expectedColon))
        XCTAssertEqual(error(#"{"a":1,}"#), JSONError(offset: 7, .expectedKey))
        XCTAssertEqual(error(#"{a:1}"#), JSONError(offset: 1, .expectedKey))
        XCTAssertEqual(error("[1,]"), JSONError(offset: 3, .unexpectedCharacter))
        XCTAssertEqual(error("[1 2]"), JSONError(offset: 3, .expectedCommaOrArrayEnd))
        XCTAssertEqual(error(#"{"a":1 "b":2}"#), JSONError(offset: 7, .expectedCommaOrObjectEnd))
        XCTAssertEqual(error("[tru]"), JSONError(offset: 1, .invalidLiteral))
        XCTAssertEqual(error("nul"), JSONError(offset: 0, .invalidLiteral))
        XCTAssertEqual(error("{} {}"), JSONError(offset: 3, .trailingContent))
        XCTAssertEqual(error("[1] x"), JSONError(offset: 4, .trailingContent))
        XCTAssertEqual(error("]"), JSONError(offset: 0, .unexpectedCharacter))
        XCTAssertEqual(error("invalid JSON")?.offset, 0)
        XCTAssertEqual(JSONError(offset: 17, .expectedColon).description, "invalid JSON at byte 17: expected ':'")
    }

    func testTruncatedInput() {
        let whole = #"{"resourceType": "Patient", "name": [{"given": ["A\u00e9"]}], "n": -1.5e3}"#
        let bytes = Array(whole.utf8)
        XCTAssertNil(error(bytes))
        // Every proper prefix is an error located at or before its end.
        for length in 1..<bytes.count {
            guard let error = error(Array(bytes[0..<length])) else {
                XCTFail("prefix of \(length) bytes parsed")
                continue
            }
            XCTAssertLessThanOrEqual(error.offset, length)
        }
        XCTAssertEqual(error(#"{"a": "abc"#), JSONError(offset: 10, .unexpectedEnd))
        XCTAssertEqual(error("[1, "), JSONError(offset: 4, .unexpectedEnd))
        XCTAssertEqual(error(#"{"a":"#), JSONError(offset: 5, .unexpectedEnd))
    }

    func testInvalidUTF8() {
        let cases: [[UInt8]] = [
            [0x80],                   // lone continuation byte
            [0xC0, 0xAF],             // overlong '/'
            [0xC3],                   // truncated 2-byte sequence before the quote
            [0xE0, 0x80, 0xAF],       // overlong 3-byte
            [0xED, 0xA0, 0x80],       // UTF-16 surrogate D800 encoded in UTF-8
            [0xF4, 0x90, 0x80, 0x80], // above U+10FFFF
            [0xF5, 0x80, 0x80, 0x80], // invalid lead byte
            [0xFF],
        ]
        for bad in cases {
            let text: [UInt8] = Array(#"{"k": "ab"#.utf8) + bad + Array(#"cd"}"#.utf8)
            XCTAssertEqual(error(text)?.reason, .invalidUTF8, "\(bad)")
            XCTAssertEqual(error(text)?.offset, 9, "\(bad)")
        }
        // Non-ASCII outside a string is a syntax error.
        XCTAssertEqual(error([0x5B, 0xC3, 0xA9, 0x5D])?.reason, .unexpectedCharacter)
        // Valid multi-byte sequences at the edges of the 8-byte scan.
        for pad in 0..<10 {
            let text = "[\"" + String(repeating: "x", count: pad) + "é中😀\"]"
            XCTAssertNil(error(text), "pad \(pad)")
        }
    }

    func testNestingLimit() throws {
        let deep = { (levels: Int) in String(repeating: "[", count: levels) + String(repeating: "]", count: levels) }
        XCTAssertNil(error(deep(512)))
        XCTAssertEqual(error(deep(513)), JSONError(offset: 512, .tooDeep))
        XCTAssertEqual(error(deep(4), maxDepth: 3)?.reason, .tooDeep)
        let objects = String(repeating: #"{"a":"#, count: 600) + "1" + String(repeating: "}", count: 600)
        XCTAssertEqual(error(objects)?.reason, .tooDeep)
        // A deep but allowed document reads back to its innermost value.
        let nested = String(repeating: #"{"a":"#, count: 100) + "7" + String(repeating: "}", count: 100)
        try parse(nested) { root in
            var value: JSONValue? = root
            for _ in 0..<100 { value = value?["a"] }
            XCTAssertEqual(value?.int64, 7)
        }
    }

    func testStringScanAcrossBlockBoundaries() throws {
        // Quotes, escapes and ends at every offset relative to the 8-byte blocks.
        for pad in 0..<20 {
            let text = "{\"" + String(repeating: "k", count: pad) + "\": \"" + String(repeating: "v", count: pad) + "\\n\", \"z\": 1}"
            try parse(text) { root in
                XCTAssertEqual(root.count, 2)
                XCTAssertEqual(root["z"]?.int64, 1)
                XCTAssertEqual(root.members.first { _ in true }?.value.string, String(repeating: "v", count: pad) + "\n")
            }
        }
    }

    func testTapeNodesStaySmall() {
        XCTAssertEqual(MemoryLayout<JSONNode>.stride, 16)
    }

    func testDocumentReuseKeepsWorking() throws {
        let document = JSONDocument()
        // Large enough to grow the tape past its initial capacity.
        let big = "[" + (0..<5000).map { "{\"i\": \($0)}" }.joined(separator: ",") + "]"
        for text in [big, "[{\"i\": 0}]", big] {
            try Array(text.utf8).withUnsafeBytes { buffer in
                try document.parse(buffer)
                let root = document.root
                XCTAssertEqual(root[root.count - 1]?["i"]?.int64, Int64(root.count - 1))
            }
        }
        XCTAssertThrowsError(try Array("[".utf8).withUnsafeBytes { try document.parse($0) })
        XCTAssertEqual(document.nodeCount, 0)
    }
}
