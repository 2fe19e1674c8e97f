import Foundation
import StratumQuery
import XCTest

/// Regression tests for bugs found in the diagnostics (each was a skipped known-bug test until
/// fixed); the description says what went wrong.
final class KnownBugTests: XCTestCase {
    func knownBug(_ bug: String, file: StaticString = #filePath, line: UInt = #line, _ check: () throws -> Bool) throws {
        XCTAssertTrue(try check(), "regression: \(bug)", file: file, line: line)
    }

    func diagnostics(_ text: String) -> [Diagnostic] {
        var binder = Binder(environment: Environment(), loader: nil)
        _ = binder.bind(SourceFile(name: "bug.stratum", text: text))
        return binder.diagnostics
    }

    /// Golden: diagnostics/entry_first_without_event, unknown_event_kind, unterminated_string.
    func testNoMissingEntryErrorWhenTheEntryClauseDidNotParse() throws {
        try knownBug("""
            a cohort whose entry clause has a syntax error also gets "cohort 'T2D' has no entry clause": \
            Binder.bindCohort counts errors from the start of the cohort's binding, but the parser's errors \
            were all added before binding began, so its "only if nothing else was reported" guard never \
            sees them (script: `cohort T2D\\n  entry first\\n\\ncount T2D by sex` → 3 errors, expected 1)
            """) {
            let found = diagnostics("valueset DM = snomed:44054006\ncohort T2D\n  entry first\n\ncount T2D by sex\n")
            return !found.contains { if case .missingEntry = $0.message { return true } else { return false } }
        }
    }

    /// Golden: diagnostics/wrong_statement_keyword_after_statement (and clause_outside_cohort's case
    /// when the clause follows another statement).
    func testMisspeltStatementKeywordAfterAStatementGetsASuggestion() throws {
        try knownBug("""
            a misspelt statement keyword after another statement (`valueset … \\n cohrt T2D`) gives \
            "expected the start of a new statement, found 'cohrt'" with no "did you mean 'cohort'?": \
            Parser.parseScript reports that message itself instead of going through parseStatement's \
            unknown-statement path, which only runs for the first statement or after re-synchronising
            """) {
            let found = diagnostics("valueset DM = snomed:44054006\ncohrt T2D\n  entry first condition in DM\n")
            return found.contains { $0.notes.contains("did you mean 'cohort'?") }
        }
    }

    /// Golden: diagnostics/empty_value_set.
    func testAnEmptyValueSetDoesNotSwallowTheNextStatement() throws {
        try knownBug("""
            `valueset Empty =` with nothing after the '=' takes the next line's statement keyword as a \
            value-set name: "unknown value set 'cohort'" then "expected the start of a new statement, \
            found 'Anyone'", instead of "expected a code …, found 'cohort'" (Parser.parseValueSetItem \
            reads any identifier as a reference, even a statement keyword that starts a line)
            """) {
            let found = diagnostics("valueset Empty =\ncohort Anyone\n  entry first condition in snomed:1\n")
            let swallowed = found.contains { if case .unknownName(kind: "value set", name: "cohort") = $0.message { return true } else { return false } }
            let expectedCode = found.contains { if case .expected(let what, found: let got) = $0.message { return what.hasPrefix("a code") && got == "'cohort'" } else { return false } }
            return !swallowed && expectedCode
        }
    }
}
