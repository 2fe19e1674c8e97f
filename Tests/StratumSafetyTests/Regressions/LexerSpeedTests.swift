import XCTest
@testable import StratumQuery

/// Found by profiling stratum-fuzz: symbols were looked up with Foundation's substring search
/// (about a microsecond each), and "did you mean" compared every long unknown word letter by
/// letter with every candidate.
final class LexerSpeedTests: XCTestCase {
    func testSymbolsLexQuickly() {
        let text = String(repeating: "( ) , = < > % / ; : [ ] { } + - * ", count: 60_000)   // about a million symbols
        let started = Date()
        let (tokens, diagnostics) = Lexer.tokenize(SourceFile(name: "s", text: text))
        XCTAssertLessThan(Date().timeIntervalSince(started), 2)
        XCTAssertEqual(diagnostics, [])
        XCTAssertEqual(tokens.count, 17 * 60_000 + 1)
        XCTAssertEqual(Array(tokens.prefix(18)).map(\.kind), "(),=<>%/;:[]{}+-*".map { .symbol(String($0)) } + [.symbol("(")])
    }

    func testTwoCharacterSymbols() {
        let (tokens, _) = Lexer.tokenize(SourceFile(name: "s", text: "<= >= != <> .. == < > = ."))
        XCTAssertEqual(tokens.map(\.kind), [.symbol("<="), .symbol(">="), .symbol("!="), .symbol("!="), .symbol(".."), .symbol("="),
                                            .symbol("<"), .symbol(">"), .symbol("="), .invalid("."), .endOfFile])
    }

    func testSuggestionsSkipWordsOfAnotherLength() {
        let long = String(repeating: "cohortx", count: 20_000)
        let started = Date()
        for _ in 0..<100 { XCTAssertNil(Suggestions.closest(to: long, among: Array(Parser.statementKeywords))) }
        XCTAssertLessThan(Date().timeIntervalSince(started), 1)
        XCTAssertEqual(Suggestions.closest(to: "cohrt", among: Array(Parser.statementKeywords)), "cohort")
        XCTAssertEqual(Suggestions.closest(to: "VALUESETS", among: ["valueset"]), "valueset")
        XCTAssertNil(Suggestions.closest(to: "valuesetsss", among: ["valueset"]))
    }
}
