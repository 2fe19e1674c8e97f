import XCTest
@testable import StratumImport

final class CSVReaderTests: XCTestCase {
    private func read(_ text: String, chunkSize: Int = 1 << 20) throws -> [(line: Int, fields: [String])] {
        try CSVTestSupport.records(Array(text.utf8), chunkSize: chunkSize)
    }

    func testPlainRecordsAndLineNumbers() throws {
        let records = try read("a,b,c\n1,2,3\n4,,6\n")
        XCTAssertEqual(records.map(\.fields), [["a", "b", "c"], ["1", "2", "3"], ["4", "", "6"]])
        XCTAssertEqual(records.map(\.line), [1, 2, 3])
    }

    func testQuotedFieldsEscapesAndEmbeddedBreaks() throws {
        let text = "id,text\n1,\"say \"\"hi\"\", then, go\"\n2,\"two\nlines\r\nthree\"\n3,\"\"\n"
        let records = try read(text)
        XCTAssertEqual(records.map(\.fields), [["id", "text"], ["1", "say \"hi\", then, go"], ["2", "two\nlines\r\nthree"], ["3", ""]])
        // A record's line is where it starts; the quoted line breaks still count.
        XCTAssertEqual(records.map(\.line), [1, 2, 3, 6])
    }

    func testCRLFAndBareCRAndNoFinalBreak() throws {
        XCTAssertEqual(try read("a,b\r\n1,2\r\n3,4").map(\.fields), [["a", "b"], ["1", "2"], ["3", "4"]])
        XCTAssertEqual(try read("a,b\r1,2\r").map(\.fields), [["a", "b"], ["1", "2"]])
        XCTAssertEqual(try read("a,b\r\n\r\n1,2\r\n").map(\.line), [1, 3])
    }

    func testBlankLinesAreSkippedButAnEmptyQuotedFieldIsARecord() throws {
        let records = try read("a\n\n\"\"\n\nb\n")
        XCTAssertEqual(records.map(\.fields), [["a"], [""], ["b"]])
        XCTAssertEqual(records.map(\.line), [1, 3, 5])
    }

    func testByteOrderMarkIsDroppedEvenWhenSplitAcrossChunks() throws {
        let bytes: [UInt8] = [0xEF, 0xBB, 0xBF] + Array("Id,NAME\n1,x\n".utf8)
        for size in [1, 2, 3, 1 << 20] {
            XCTAssertEqual(try CSVTestSupport.records(bytes, chunkSize: size).map(\.fields), [["Id", "NAME"], ["1", "x"]], "chunk \(size)")
        }
        // Only at the start: a BOM-like sequence later is data.
        XCTAssertEqual(try CSVTestSupport.records(Array("a\n".utf8) + [0xEF, 0xBB, 0xBF, 0x0A]).last?.fields, ["\u{FEFF}"])
    }

    /// Chunk boundaries may fall anywhere (inside quotes, between `""`, between CR and LF):
    /// every chunk size must read the same records on the same lines.
    func testEveryChunkSizeReadsTheSame() throws {
        let text = "h1,h2,h3\r\n\"a,\"\"b\"\"\",x,\"multi\r\nline\"\r\n,,\r\n\"q\"\"\",\"\",z\n\nlast,1,2"
        let whole = try read(text)
        XCTAssertEqual(whole.count, 5)
        for size in 1...12 {
            let chunked = try read(text, chunkSize: size)
            XCTAssertEqual(chunked.map(\.fields), whole.map(\.fields), "chunk size \(size)")
            XCTAssertEqual(chunked.map(\.line), whole.map(\.line), "chunk size \(size)")
        }
        XCTAssertEqual(whole.map(\.line), [1, 2, 4, 5, 7])
    }

    func testLenientQuotes() throws {
        // A quote inside an unquoted field is a character; text after a closing quote is kept.
        XCTAssertEqual(try read("5\" tall,\"a\"b\n").first?.fields, ["5\" tall", "ab"])
    }

    func testUnterminatedQuoteIsAnErrorNamingItsLine() throws {
        XCTAssertThrowsError(try read("a,b\n1,\"open\n2,3\n")) { error in
            XCTAssertEqual(error as? CSVReaderError, .unterminatedQuote(line: 2))
        }
    }

    func testRecordsAreCappedSoMemoryStaysBounded() throws {
        let reader = CSVReader(maxRecordBytes: 64)
        let text = "ok\n\"" + String(repeating: "x", count: 1000) + "\"\n"
        XCTAssertThrowsError(try CSVTestSupport.records(Array(text.utf8), chunkSize: 16, reader: reader)) { error in
            XCTAssertEqual(error as? CSVReaderError, .recordTooLarge(line: 2, limit: 64))
        }
    }

    func testUTF8Validation() throws {
        func valid(_ bytes: [UInt8]) throws -> Bool {
            var result: [Bool] = []
            var reader = CSVReader()
            try bytes.withUnsafeBytes { try reader.consume($0) { result.append($0.isValidUTF8) } }
            try reader.finish { result.append($0.isValidUTF8) }
            return result.allSatisfy { $0 }
        }
        XCTAssertTrue(try valid(Array("plain,ascii,0123456789abcdef\n".utf8)))
        XCTAssertTrue(try valid(Array("Víctor493,Noriega,Ærø,日本\n".utf8)))
        XCTAssertFalse(try valid([0x61, 0x2C, 0xFF, 0x62, 0x0A]))          // a,\xFFb
        XCTAssertFalse(try valid([0x61, 0xC3, 0x2C, 0xA9, 0x0A]))          // é split by a delimiter
        XCTAssertFalse(try valid([0xED, 0xA0, 0x80, 0x0A]))                // a UTF-16 surrogate
    }

    func testTabDelimiter() throws {
        let reader = CSVReader(delimiter: UInt8(ascii: "\t"))
        XCTAssertEqual(try CSVTestSupport.records(Array("a\tb,c\n".utf8), reader: reader).first?.fields, ["a", "b,c"])
    }

    func testFieldParsers() {
        func integer(_ s: String) -> Int64? { Array(s.utf8).withUnsafeBytes { CSVField.integer($0) } }
        func double(_ s: String) -> Double? { Array(s.utf8).withUnsafeBytes { CSVField.double($0) } }
        XCTAssertEqual(integer("10204"), 10204)
        XCTAssertEqual(integer("10204.0"), 10204)
        XCTAssertEqual(integer("4180628.000"), 4_180_628)
        XCTAssertEqual(integer(" -7 "), -7)
        XCTAssertEqual(integer("1e3"), 1000)
        XCTAssertEqual(integer("9223372036854775807"), .max)
        XCTAssertNil(integer("12.5"))
        XCTAssertNil(integer("abc"))
        XCTAssertNil(integer("99999999999999999999999"))
        XCTAssertEqual(double("48.1"), 48.1)
        XCTAssertEqual(double("-0.25"), -0.25)
        XCTAssertEqual(double("0.1"), 0.1)
        XCTAssertEqual(double("1.5e2"), 150)
        XCTAssertEqual(double("0.36474946640619377"), 0.36474946640619377)
        XCTAssertEqual(double("49112.87100000001"), 49112.87100000001)
        XCTAssertNil(double("12,5"))
        XCTAssertNil(double("1.2.3"))
        XCTAssertTrue(double("NaN")?.isNaN == true)
    }

    func testHeaderSniffingSkipsGiBleedPlaceholder() {
        let text = "column0,column1,column2\nPERSON_ID,DEATH_DATE,CAUSE_CONCEPT_ID\n"
        let header = Array(text.utf8).withUnsafeBytes { CSVHeader.sniff($0) }
        XCTAssertEqual(header?.names, ["person_id", "death_date", "cause_concept_id"])
        XCTAssertEqual(header?.index("Death_Date"), 1)
        let plain = Array("Id,BIRTHDATE\n".utf8).withUnsafeBytes { CSVHeader.sniff($0) }
        XCTAssertEqual(plain?.names, ["id", "birthdate"])
        XCTAssertNil(Array("column0,column1\n".utf8).withUnsafeBytes { CSVHeader.sniff($0) })
    }
}
