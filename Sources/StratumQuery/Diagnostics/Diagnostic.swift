/// A problem found in a script, as a value: what (a message from the catalogue), where (a range
/// in a file) and notes such as "did you mean". Rendering is `DiagnosticRenderer`'s job.
public struct Diagnostic: Sendable, Equatable {
    public enum Severity: String, Sendable { case error, warning, note }
    public var message: DiagnosticMessage
    public var severity: Severity
    public var range: SourceRange
    public var file: String?
    public var notes: [String]

    public init(_ message: DiagnosticMessage, range: SourceRange, severity: Severity = .error, notes: [String] = [], file: String? = nil) {
        self.message = message
        self.range = range
        self.severity = severity
        self.notes = notes
        self.file = file
    }

    public var text: String { message.text }
}

/// Every message the language can produce, in one catalogue, so wording stays consistent and
/// tests can match on the case rather than the text. Messages never contain patient data: only
/// script text and names.
public enum DiagnosticMessage: Sendable, Equatable {
    case unexpectedCharacter(String)
    case unterminatedString
    case badDate(String)
    case expected(String, found: String)
    case expectedStatement(found: String)
    case unknownStatement(String)
    case tooDeeplyNested(limit: Int)
    case unknownName(kind: String, name: String)
    case duplicateName(kind: String, name: String)
    case wrongKind(name: String, expected: String, actual: String)
    case unknownUnit(String)
    case unitNotAllowed(String)
    case unknownCodeSystem(String)
    case badWildcard(String)
    case valueSetLoad(String)
    case emptyValueSet(String)
    case badParameter(name: String, reason: String)
    case unknownAttribute(String, domain: String)
    case notAllowedHere(String)
    case missingEntry(cohort: String)
    case cyclicDefinition(String)
    case includeFailed(path: String, reason: String)
    case invalidNumber(String)
    case other(String)

    public var text: String {
        switch self {
        case .unexpectedCharacter(let c): return "unexpected character \(c)"
        case .unterminatedString: return "unterminated string: a closing quote is missing on this line"
        case .badDate(let text): return "'\(text)' is not a valid date (write YYYY-MM-DD, e.g. 2024-12-31)"
        case .expected(let what, let found): return "expected \(what), found \(found)"
        case .expectedStatement(let found):
            return "expected a statement (valueset, param, let, cohort, count, list, explain, include), found \(found)"
        case .unknownStatement(let word): return "'\(word)' does not start a statement"
        case .tooDeeplyNested(let limit): return "nesting is deeper than \(limit) levels"
        case .unknownName(let kind, let name): return "unknown \(kind) '\(name)'"
        case .duplicateName(let kind, let name): return "\(kind) '\(name)' is already defined"
        case .wrongKind(let name, let expected, let actual): return "'\(name)' is \(actual), but \(expected) is needed here"
        case .unknownUnit(let unit): return "unknown unit '\(unit)'"
        case .unitNotAllowed(let unit): return "a unit ('\(unit)') is only allowed on a measurement or observation value"
        case .unknownCodeSystem(let system): return "unknown code system '\(system)'"
        case .badWildcard(let code): return "'\(code)': a wildcard '*' may only end a code"
        case .valueSetLoad(let reason): return "cannot load value set: \(reason)"
        case .emptyValueSet(let name): return "value set '\(name)' has no codes"
        case .badParameter(let name, let reason): return "parameter '\(name)': \(reason)"
        case .unknownAttribute(let attribute, let domain): return "\(domain) has no attribute '\(attribute)'"
        case .notAllowedHere(let what): return "\(what) is not allowed here"
        case .missingEntry(let cohort): return "cohort '\(cohort)' has no entry clause (add e.g. 'entry first condition in ...')"
        case .cyclicDefinition(let name): return "'\(name)' is defined in terms of itself"
        case .includeFailed(let path, let reason): return "cannot include '\(path)': \(reason)"
        case .invalidNumber(let text): return "'\(text)' is not a valid number here"
        case .other(let text): return text
        }
    }
}

/// Thrown when a script has errors; carries all of them.
public struct QueryError: Error, CustomStringConvertible, Sendable {
    public var diagnostics: [Diagnostic]
    public var sources: [String: SourceFile]
    public init(diagnostics: [Diagnostic], sources: [String: SourceFile] = [:]) {
        self.diagnostics = diagnostics
        self.sources = sources
    }
    public var description: String { DiagnosticRenderer(sources: sources).render(diagnostics) }
}

/// An error while running compiled SQL: the statement that failed and the database's message
/// (the SQL holds no patient values: every value is a bound parameter).
public struct ExecutionError: Error, CustomStringConvertible, Sendable {
    public var message: String
    public var statement: String?
    public init(_ message: String, statement: String? = nil) { self.message = message; self.statement = statement }
    public var description: String { message }
}
