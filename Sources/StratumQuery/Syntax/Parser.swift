/// A hand-written recursive-descent parser: one `parseX()` per grammar rule (docs/LANGUAGE.md),
/// a nesting limit, and a progress check in every loop so no input can hang it. Errors are
/// recorded and the parser re-synchronises at the next statement keyword, so one run reports
/// several errors.
public struct Parser {
    public static let maxDepth = 48
    public static let statementKeywords: Set<String> = [
        "valueset", "param", "let", "cohort", "count", "list", "explain", "include", "measure", "features", "cluster", "forecast", "adherence",
    ]
    public static let clauseKeywords: Set<String> = [
        "entry", "require", "rule", "exclude", "keep", "exit", "censor", "collapse",
    ]
    /// Words that end a unit or a name list because they start the next part of a sentence.
    static let reserved: Set<String> = statementKeywords.union(clauseKeywords).union([
        "during", "within", "from", "to", "before", "after", "on", "between", "value", "at", "same",
        "distinct", "where", "starting", "ending", "and", "or", "of", "in", "by", "with", "as", "limit",
        "not", "no", "all", "any", "first", "last", "lowest", "highest", "exactly", "gap", "offset",
        "days", "day", "exclusive", "for", "union", "intersect", "minus", "except",
    ])

    let source: SourceFile
    var tokens: [Token] = []
    /// Whether token i is the first on its line (used to re-synchronise after an error).
    var lineStart: [Bool] = []
    var index = 0
    var depth = 0
    public private(set) var diagnostics: [Diagnostic] = []
    /// Where errors were reported, so "one error per position" is a set lookup, not a scan of
    /// every diagnostic so far (quadratic in a long script full of errors).
    private var errorPositions: Set<Int> = []

    public init(source: SourceFile) {
        self.source = source
        let (raw, lexDiagnostics) = Lexer.tokenize(source)
        var atStart = true
        for token in raw {
            if token.kind == .newline { atStart = true; continue }
            tokens.append(token)
            lineStart.append(atStart)
            atStart = false
        }
        diagnostics = lexDiagnostics.map { var d = $0; d.file = source.name; return d }
        errorPositions = Set(diagnostics.filter { $0.severity == .error }.map(\.range.start))
    }

    /// Parses a whole script. Always returns a script (possibly partial) and the diagnostics.
    public static func parse(_ source: SourceFile) -> (Script, [Diagnostic]) {
        var parser = Parser(source: source)
        let script = parser.parseScript()
        return (script, parser.diagnostics)
    }

    /// True when the text ends in the middle of a statement (an open group, a missing value):
    /// the REPL then asks for another line instead of reporting an error.
    public static func needsMoreInput(_ text: String) -> Bool {
        let (_, diagnostics) = parse(SourceFile(name: "<input>", text: text))
        return diagnostics.contains { d in
            if case .expected(_, let found) = d.message, found == "end of input" { return true }
            return false
        }
    }

    // MARK: - Token helpers

    var current: Token { tokens[min(index, tokens.count - 1)] }
    func peek(_ offset: Int) -> Token { tokens[min(index + offset, tokens.count - 1)] }
    var atEnd: Bool { current.kind == .endOfFile }

    mutating func advance() -> Token {
        let token = current
        if index < tokens.count - 1 { index += 1 }
        return token
    }

    func check(_ keyword: String) -> Bool { current.isKeyword(keyword) }
    func check(_ keywords: String...) -> Bool {
        for (offset, keyword) in keywords.enumerated() where !peek(offset).isKeyword(keyword) { return false }
        return true
    }

    mutating func accept(_ keyword: String) -> Bool {
        if check(keyword) { _ = advance(); return true }
        return false
    }

    mutating func acceptSymbol(_ symbol: String) -> Bool {
        if current.isSymbol(symbol) { _ = advance(); return true }
        return false
    }

    /// Records "expected X, found Y" at the current token.
    mutating func error(expected what: String) {
        report(.expected(what, found: current.display), at: current.range)
    }

    mutating func report(_ message: DiagnosticMessage, at range: SourceRange, notes: [String] = []) {
        // One error per position: a second complaint about the same token adds nothing.
        guard errorPositions.insert(range.start).inserted else { return }
        diagnostics.append(Diagnostic(message, range: range, notes: notes, file: source.name))
    }

    @discardableResult
    mutating func expect(_ keyword: String, _ what: String? = nil) -> Bool {
        if accept(keyword) { return true }
        error(expected: what ?? "'\(keyword)'")
        return false
    }

    @discardableResult
    mutating func expectSymbol(_ symbol: String) -> Bool {
        if acceptSymbol(symbol) { return true }
        error(expected: "'\(symbol)'")
        return false
    }

    mutating func parseName(_ what: String) -> Name? {
        // A statement keyword at the start of a line begins the next statement, not a name.
        if let text = current.identifier, !(lineStart[min(index, lineStart.count - 1)] && Parser.statementKeywords.contains(text.lowercased())) {
            let token = advance()
            return Name(text: text, range: token.range)
        }
        error(expected: what)
        return nil
    }

    mutating func parseInteger(_ what: String) -> Int? {
        if case .number(let value, let text) = current.kind {
            let token = advance()
            guard value.rounded() == value, value >= 0, value < 1e9 else {
                report(.invalidNumber(text), at: token.range, notes: ["a whole number is needed here"])
                return nil
            }
            return Int(value)
        }
        error(expected: what)
        return nil
    }

    mutating func parseString(_ what: String) -> String? {
        if case .string(let text) = current.kind { _ = advance(); return text }
        error(expected: what)
        return nil
    }

    /// Skips to the next token that starts a line with a statement keyword.
    mutating func synchronize() {
        while !atEnd {
            if lineStart[index], let word = current.identifier?.lowercased(), Parser.statementKeywords.contains(word) { return }
            _ = advance()
        }
    }

    // MARK: - Script and statements

    mutating func parseScript() -> Script {
        var statements: [Statement] = []
        while !atEnd {
            let before = index
            while acceptSymbol(";") {}
            if atEnd { break }
            let errorsBefore = diagnostics.count
            if let statement = parseStatement() { statements.append(statement) }
            while acceptSymbol(";") {}
            if diagnostics.count > errorsBefore || index == before {
                if index == before { _ = advance() }
                synchronize()
            } else if !atEnd, !(current.identifier.map { Parser.statementKeywords.contains($0.lowercased()) } ?? false) {
                let notes = current.identifier.flatMap { Suggestions.closest(to: $0, among: Array(Parser.statementKeywords)) }.map { ["did you mean '\($0)'?"] } ?? []
                report(.expected("the start of a new statement", found: current.display), at: current.range, notes: notes)
                synchronize()
            }
        }
        return Script(file: source.name, statements: statements)
    }

    mutating func parseStatement() -> Statement? {
        guard let word = current.identifier?.lowercased() else {
            report(.expectedStatement(found: current.display), at: current.range)
            return nil
        }
        switch word {
        case "valueset": return parseValueSet()
        case "param": return parseParam()
        case "let": return parseLet()
        case "cohort": return parseCohort()
        case "count": return parseCount()
        case "list": return parseList()
        case "explain": return parseExplain()
        case "measure": return parseMeasure()
        case "features": return parseFeatures()
        case "cluster": return parseCluster()
        case "forecast": return parseForecast()
        case "adherence": return parseAdherence()
        case "include":
            let start = advance().range
            guard let path = parseString("a file path in quotes") else { return nil }
            return .include(path: path, range: start.union(peek(-1).range))
        default:
            var notes: [String] = []
            if let suggestion = Suggestions.closest(to: word, among: Array(Parser.statementKeywords)) {
                notes.append("did you mean '\(suggestion)'?")
            } else if Parser.clauseKeywords.contains(word) {
                notes.append("'\(word)' is a clause of a cohort: it belongs after a 'cohort NAME' line, before the next statement")
            }
            report(.unknownStatement(current.identifier ?? word), at: current.range, notes: notes)
            return nil
        }
    }

    var previousEnd: Int { index > 0 ? tokens[index - 1].range.end : 0 }

    mutating func parseValueSet() -> Statement? {
        let start = advance().range.start
        guard let name = parseName("a value set name") else { return nil }
        expectSymbol("=")
        var items: [ValueSetItem] = []
        repeat {
            let before = index
            if let item = parseValueSetItem() { items.append(item) }
            if index == before { break }
        } while acceptSymbol(",")
        return .valueSet(ValueSetDecl(name: name, items: items, range: SourceRange(start, previousEnd)))
    }

    mutating func parseValueSetItem() -> ValueSetItem? {
        let token = current
        switch token.kind {
        case .code(let system, let code):
            _ = advance()
            return .code(system: system, code: code, range: token.range)
        case .identifier(let word):
            switch word.lowercased() {
            case "descendants":
                _ = advance()
                expect("of")
                if case .code(let system, let code) = current.kind {
                    let codeToken = advance()
                    return .descendants(system: system, code: code, range: token.range.union(codeToken.range))
                }
                error(expected: "a code such as snomed:44054006 after 'descendants of'")
                return nil
            case "load":
                _ = advance()
                guard let path = parseString("a file name or value-set name in quotes after 'load'") else { return nil }
                return .load(path, range: token.range.union(peek(-1).range))
            case "except":
                _ = advance()
                // `except except except …` recursed without limit (a stack overflow).
                guard enter() else { depth -= 1; return nil }
                defer { depth -= 1 }
                guard let inner = parseValueSetItem() else { return nil }
                return .except(inner, range: token.range.union(peek(-1).range))
            default:
                if lineStart[index], Parser.statementKeywords.contains(word.lowercased()) {
                    error(expected: "a code such as snomed:44054006, 'load \"file.json\"' or a value set name")
                    return nil
                }
                _ = advance()
                return .reference(Name(text: word, range: token.range))
            }
        default:
            error(expected: "a code such as snomed:44054006, 'load \"file.json\"' or a value set name")
            return nil
        }
    }

    mutating func parseParam() -> Statement? {
        let start = advance().range.start
        guard let name = parseName("a parameter name") else { return nil }
        expectSymbol("=")
        guard let value = parseValueExpr() else { return nil }
        return .param(ParamDecl(name: name, value: value, range: SourceRange(start, previousEnd)))
    }

    mutating func parseLet() -> Statement? {
        let start = advance().range.start
        guard let name = parseName("a name") else { return nil }
        expectSymbol("=")
        let value: LetDecl.Value
        if startsValue() {
            guard let v = parseValueExpr() else { return nil }
            value = .value(v)
        } else {
            guard let c = parseCriterion() else { return nil }
            value = .criterion(c)
        }
        return .letBinding(LetDecl(name: name, value: value, range: SourceRange(start, previousEnd)))
    }

    /// Whether the next tokens are a value (number, date, string, range) rather than a criterion.
    func startsValue() -> Bool {
        switch current.kind {
        case .number, .date, .string: return true
        case .identifier(let word):
            let lower = word.lowercased()
            if lower == "start" || lower == "end" { return peek(1).isKeyword("of") }
            return false
        default: return false
        }
    }

    mutating func parseCount() -> Statement? {
        let start = advance().range.start
        guard let cohort = parseCohortExpr() else { return nil }
        var dimensions: [Dimension] = []
        if accept("by") {
            repeat {
                let before = index
                if let d = parseDimension() { dimensions.append(d) }
                if index == before { break }
            } while acceptSymbol(",")
        }
        return .count(CountStmt(cohort: cohort, by: dimensions, range: SourceRange(start, previousEnd)))
    }

    mutating func parseDimension() -> Dimension? {
        let token = current
        guard let word = token.identifier?.lowercased() else { error(expected: "a dimension (sex, age band 10, provider, care site, year, race, ethnicity)"); return nil }
        switch word {
        case "sex", "gender": _ = advance(); return .sex(token.range)
        case "provider": _ = advance(); return .provider(token.range)
        case "care":
            _ = advance(); expect("site", "'site' after 'care'"); return .careSite(token.range.union(peek(-1).range))
        case "site": _ = advance(); return .careSite(token.range)
        case "year": _ = advance(); return .year(token.range)
        case "race": _ = advance(); return .race(token.range)
        case "ethnicity": _ = advance(); return .ethnicity(token.range)
        case "age":
            _ = advance()
            if accept("band") {
                let width = check("at") ? 10 : (parseInteger("a band width in years, e.g. 'age band 10'") ?? 10)
                let anchor = accept("at") ? parseAnchor() : nil
                return .ageBand(width: max(1, width), at: anchor, range: token.range.union(peek(-1).range))
            }
            let anchor = accept("at") ? parseAnchor() : nil
            return .age(at: anchor, range: token.range.union(peek(-1).range))
        default:
            guard let criterion = parseCriterion() else { return nil }
            let label = accept("as") ? (current.identifier.map { _ in advance().identifier! } ?? parseString("a label")) : nil
            return .criterion(criterion, label: label, range: token.range.union(peek(-1).range))
        }
    }

    /// `measure NAME ["title"] { version "…" | cms "…" | url "…" | improvement increase|decrease
    ///  | group ["id"] ["title"] | initial population C | denominator [exclusion|exception] C
    ///  | numerator [exclusion] C | evidence column {, column} }`
    mutating func parseMeasure() -> Statement? {
        let start = advance().range.start
        guard let name = parseName("a measure name") else { return nil }
        var title: String?
        if case .string(let t) = current.kind { _ = advance(); title = t }
        var properties: [(key: String, value: String, range: SourceRange)] = []
        var groups: [MeasureDecl.Group] = []
        var evidence: [ListColumn] = []
        func population(_ code: String, _ token: Token) -> Bool {
            guard let cohort = parseName("a cohort name") else { return false }
            if groups.isEmpty { groups.append(.init(id: nil, title: nil, populations: [], range: token.range)) }
            groups[groups.count - 1].populations.append((code, cohort))
            return true
        }
        var steps = 0
        clauses: while steps < 10_000, !atEnd {
            steps += 1
            let token = current
            guard let word = token.identifier?.lowercased() else { break }
            switch word {
            case "version", "cms", "url":
                _ = advance()
                guard let value = parseString("a quoted \(word)") else { return nil }
                properties.append((word, value, token.range.union(peek(-1).range)))
            case "improvement":
                _ = advance()
                guard let value = current.identifier?.lowercased(), ["increase", "decrease"].contains(value) else {
                    error(expected: "'increase' or 'decrease' after 'improvement'")
                    return nil
                }
                _ = advance()
                properties.append(("improvement", value, token.range.union(peek(-1).range)))
            case "group":
                _ = advance()
                var id: String?, groupTitle: String?
                if case .string(let t) = current.kind { _ = advance(); id = t }
                if case .string(let t) = current.kind { _ = advance(); groupTitle = t }
                groups.append(.init(id: id, title: groupTitle, populations: [], range: token.range.union(peek(-1).range)))
            case "initial":
                _ = advance()
                expect("population", "'population' after 'initial'")
                guard population("initial-population", token) else { return nil }
            case "denominator":
                _ = advance()
                let code = accept("exclusion") ? "denominator-exclusion" : accept("exception") ? "denominator-exception" : "denominator"
                guard population(code, token) else { return nil }
            case "numerator":
                _ = advance()
                guard population(accept("exclusion") ? "numerator-exclusion" : "numerator", token) else { return nil }
            case "evidence":
                _ = advance()
                repeat {
                    let before = index
                    if let c = parseListColumn() { evidence.append(c) }
                    if index == before { break }
                } while acceptSymbol(",")
            default:
                break clauses
            }
        }
        return .measure(MeasureDecl(name: name, title: title, properties: properties, groups: groups, evidence: evidence,
                                    range: SourceRange(start, previousEnd)))
    }

    mutating func parseList() -> Statement? {
        let start = advance().range.start
        guard let cohort = parseCohortExpr() else { return nil }
        var columns: [ListColumn] = []
        if accept("with") {
            repeat {
                let before = index
                if let c = parseListColumn() { columns.append(c) }
                if index == before { break }
            } while acceptSymbol(",")
        }
        var limit: Int?
        if accept("limit") { limit = parseInteger("a row limit") }
        return .list(ListStmt(cohort: cohort, columns: columns, limit: limit, range: SourceRange(start, previousEnd)))
    }

    mutating func parseListColumn() -> ListColumn? {
        let token = current
        guard let word = token.identifier?.lowercased() else { error(expected: "a column (age, sex, provider, last measurement in …)"); return nil }
        var kind: ListColumn.Kind
        switch word {
        case "person", "id": _ = advance(); kind = .person
        case "start": _ = advance(); kind = .start
        case "end": _ = advance(); kind = .end
        case "sex", "gender": _ = advance(); kind = .sex
        case "provider": _ = advance(); kind = .provider
        case "race": _ = advance(); kind = .race
        case "ethnicity": _ = advance(); kind = .ethnicity
        case "care": _ = advance(); expect("site", "'site' after 'care'"); kind = .careSite
        case "site": _ = advance(); kind = .careSite
        case "age":
            _ = advance()
            kind = .age(at: accept("at") ? parseAnchor() : nil)
        case "count":
            _ = advance()
            guard let pattern = parseEventPattern() else { return nil }
            kind = .count(pattern)
        case "first", "last", "lowest", "highest":
            if Domain(rawValue: peek(1).identifier?.lowercased() ?? "") != nil || peek(1).isKeyword("encounter") || peek(1).isKeyword("on") {
                let selector = parseSelector() ?? .last
                guard let pattern = parseEventPattern() else { return nil }
                kind = .event(selector: selector, pattern)
            } else {
                guard let c = parseCriterion() else { return nil }
                kind = .criterion(c)
            }
        default:
            guard let c = parseCriterion() else { return nil }
            kind = .criterion(c)
        }
        var label: String?
        if accept("as") {
            if let id = current.identifier { _ = advance(); label = id } else { label = parseString("a column label") }
        }
        return ListColumn(kind: kind, label: label, range: token.range.union(peek(-1).range))
    }

    mutating func parseExplain() -> Statement? {
        let start = advance().range.start
        guard let name = parseName("a cohort name") else { return nil }
        return .explain(ExplainStmt(cohort: name, range: SourceRange(start, previousEnd)))
    }

    mutating func parseCohortExpr() -> CohortExpr? {
        guard let first = parseName("a cohort name") else { return nil }
        var expr = CohortExpr.name(first)
        var steps = 0
        while let word = current.identifier?.lowercased(), ["union", "intersect", "minus", "except"].contains(word) {
            steps += 1
            // Each operator nests the rows one level deeper in the generated SQL (and rendering
            // it grew with the square of the depth), so a chain counts as nesting.
            if steps > Parser.maxDepth {
                report(.tooDeeplyNested(limit: Parser.maxDepth), at: current.range)
                while !atEnd { _ = advance() }
                return nil
            }
            _ = advance()
            guard let rhs = parseName("a cohort name after '\(word)'") else { return expr }
            let range = first.range.union(rhs.range)
            switch word {
            case "union": expr = .union(expr, .name(rhs), range: range)
            case "intersect": expr = .intersect(expr, .name(rhs), range: range)
            default: expr = .minus(expr, .name(rhs), range: range)
            }
        }
        return expr
    }
}
