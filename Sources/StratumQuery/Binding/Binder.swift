import Foundation
import StratumStore

/// Resolves names, value sets, units and dates in a parsed script against an `Environment`,
/// producing bound statements for the compiler, and reports every problem it finds with a
/// source range and, where it can, a "did you mean".
public struct Binder {
    public var environment: Environment
    public internal(set) var diagnostics: [Diagnostic] = []
    public internal(set) var sources: [String: SourceFile] = [:]
    let loader: (any ValueSetLoading)?
    /// Files being included, to stop `include` cycles.
    var includeStack: [String] = []
    var file = "<input>"
    var source: SourceFile?

    public init(environment: Environment, loader: (any ValueSetLoading)?) {
        self.environment = environment
        self.loader = loader
    }

    /// Parses and binds a source; returns bound statements in order. Check `diagnostics`.
    public mutating func bind(_ source: SourceFile) -> [BoundStatement] {
        sources[source.name] = source
        let (script, parseDiagnostics) = Parser.parse(source)
        diagnostics += parseDiagnostics
        let savedFile = file, savedSource = self.source
        file = source.name
        self.source = source
        defer { file = savedFile; self.source = savedSource }
        var out: [BoundStatement] = []
        for statement in script.statements { out += bindStatement(statement) }
        return out
    }

    public var hasErrors: Bool { diagnostics.contains { $0.severity == .error } }

    /// How far `diagnostics` has been scanned for an error, and whether one was found: asking
    /// "any error so far?" once per statement was quadratic in a script full of warnings.
    var errorScan = (checked: 0, found: false)

    mutating func anyErrorSoFar() -> Bool {
        if errorScan.checked > diagnostics.count { errorScan = (0, false) }
        while !errorScan.found && errorScan.checked < diagnostics.count {
            if diagnostics[errorScan.checked].severity == .error { errorScan.found = true }
            errorScan.checked += 1
        }
        return errorScan.found
    }

    /// Whether an error was reported after the first `count` diagnostics.
    func hasErrors(after count: Int) -> Bool {
        diagnostics[min(count, diagnostics.count)...].contains { $0.severity == .error }
    }

    mutating func error(_ message: DiagnosticMessage, _ range: SourceRange, notes: [String] = []) {
        diagnostics.append(Diagnostic(message, range: range, notes: notes, file: file))
    }

    /// The source text of a range on one line (titles and labels are shown in tables).
    func text(_ range: SourceRange) -> String {
        (source?.text(of: range) ?? "").split(whereSeparator: { $0 == "\n" || $0 == "\r" || $0 == "\t" })
            .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }.joined(separator: " ")
    }

    mutating func unknown(_ kind: String, _ name: Name, candidates: [String]) {
        var notes: [String] = []
        if let s = Suggestions.closest(to: name.text, among: candidates) { notes.append("did you mean '\(s)'?") }
        error(.unknownName(kind: kind, name: name.text), name.range, notes: notes)
    }

    // MARK: - Statements

    mutating func bindStatement(_ statement: Statement) -> [BoundStatement] {
        switch statement {
        case .valueSet(let decl):
            let key = Environment.key(decl.name.text)
            var set = BoundValueSet(name: decl.name.text)
            for item in decl.items { bindValueSetItem(item, into: &set) }
            if set.isEmpty && !decl.items.isEmpty && !anyErrorSoFar() {
                diagnostics.append(Diagnostic(.emptyValueSet(decl.name.text), range: decl.name.range, severity: .warning, file: file))
            }
            environment.valueSets[key] = .init(name: decl.name.text, value: set)
            return [.declaration("valueset \(decl.name.text): \(describe(set))")]
        case .param(let decl):
            let key = Environment.key(decl.name.text)
            guard var value = bindValue(decl.value) else { return [] }
            if let override = environment.overrides[key] {
                // `--param cutoff=75` for `param cutoff = 9 %` keeps the declared unit.
                if case .number(let n, nil) = override, case .number(_, let unit?) = value { value = .number(n, unit: unit) } else { value = override }
            }
            environment.params[key] = .init(name: decl.name.text, value: value)
            return [.declaration("param \(decl.name.text) = \(value.display)")]
        case .letBinding(let decl):
            let key = Environment.key(decl.name.text)
            switch decl.value {
            case .value(let expr):
                guard let value = bindValue(expr) else { return [] }
                environment.values[key] = .init(name: decl.name.text, value: value)
                return [.declaration("let \(decl.name.text) = \(value.display)")]
            case .criterion(let c):
                guard let bound = bindCriterion(c, inCohort: true) else { return [] }
                environment.criteria[key] = .init(name: decl.name.text, value: bound)
                return [.declaration("let \(decl.name.text) (a criterion)")]
            }
        case .cohort(let decl):
            guard let cohort = bindCohort(decl) else {
                // Known by name from here on, so its uses do not report it a second time.
                environment.storedCohorts[Environment.key(decl.name.text)] = decl.name.text
                return []
            }
            environment.cohorts[Environment.key(decl.name.text)] = .init(name: decl.name.text, value: cohort)
            return [.cohort(cohort)]
        case .count(let stmt):
            guard let cohort = bindCohortExpr(stmt.cohort) else { return [] }
            var dims: [BoundDimension] = []
            for d in stmt.by { if let b = bindDimension(d) { dims.append(b) } }
            return [.count(cohort, dims, title: text(stmt.range))]
        case .list(let stmt):
            guard let cohort = bindCohortExpr(stmt.cohort) else { return [] }
            var columns: [BoundListColumn] = []
            for c in stmt.columns { if let b = bindListColumn(c) { columns.append(b) } }
            return [.list(cohort, columns, limit: stmt.limit, title: text(stmt.range))]
        case .explain(let stmt):
            guard environment.hasCohort(stmt.cohort.text) else {
                unknown("cohort", stmt.cohort, candidates: environment.cohortNames)
                return []
            }
            return [.explain(environment.cohortDisplayName(stmt.cohort.text))]
        case .include(let path, let range):
            return bindInclude(path, range: range)
        case .measure(let decl):
            return bindMeasure(decl)
        case .features(let decl):
            return bindFeatures(decl)
        case .cluster(let decl):
            return bindCluster(decl)
        case .forecast(let decl):
            return bindForecast(decl)
        case .adherence(let decl):
            return bindAdherence(decl)
        }
    }

    static let populationCodes = ["initial-population", "denominator", "denominator-exclusion", "denominator-exception",
                                  "numerator", "numerator-exclusion"]

    mutating func bindMeasure(_ decl: MeasureDecl) -> [BoundStatement] {
        var ok = true
        var measure = BoundMeasure(name: decl.name.text, title: decl.title, version: nil, cms: nil, url: nil, improvement: "increase",
                                   groups: [], evidence: [], sourceFile: file)
        for (key, value, _) in decl.properties {
            switch key {
            case "version": measure.version = value
            case "cms": measure.cms = value
            case "url": measure.url = value
            case "improvement": measure.improvement = value
            default: break
            }
        }
        if decl.groups.isEmpty {
            error(.other("a measure needs its populations: 'initial population C', 'denominator C', 'numerator C'"), decl.name.range)
            return []
        }
        var ids = Set<String>()
        for (index, group) in decl.groups.enumerated() {
            let id = group.id ?? String(index + 1)
            if !ids.insert(id).inserted { error(.other("group '\(id)' is declared twice"), group.range); ok = false }
            var populations: [(code: String, cohort: String)] = []
            for (code, cohort) in group.populations {
                if populations.contains(where: { $0.code == code }) {
                    error(.other("'\(code)' is given twice in group '\(id)'"), cohort.range); ok = false; continue
                }
                guard environment.hasCohort(cohort.text) else {
                    unknown("cohort", cohort, candidates: environment.cohortNames); ok = false; continue
                }
                populations.append((code, environment.cohortDisplayName(cohort.text)))
            }
            for required in ["initial-population", "denominator", "numerator"] where !populations.contains(where: { $0.code == required }) {
                error(.other("group '\(id)' of measure \(decl.name.text) has no \(required.replacingOccurrences(of: "-", with: " "))"), group.range)
                ok = false
            }
            populations.sort { Binder.populationCodes.firstIndex(of: $0.code)! < Binder.populationCodes.firstIndex(of: $1.code)! }
            measure.groups.append(.init(id: id, title: group.title ?? "", populations: populations))
        }
        for column in decl.evidence {
            if let bound = bindListColumn(column) { measure.evidence.append(bound) } else { ok = false }
        }
        guard ok else { return [] }
        environment.measures[Environment.key(decl.name.text)] = .init(name: decl.name.text, value: measure)
        return [.declaration("measure \(decl.name.text)")]
    }

    mutating func bindInclude(_ path: String, range: SourceRange) -> [BoundStatement] {
        let base = file.contains("/") ? (file as NSString).deletingLastPathComponent : FileManager.default.currentDirectoryPath
        let resolved = path.hasPrefix("/") ? path : (base as NSString).appendingPathComponent(path)
        let standardized = (resolved as NSString).standardizingPath
        if includeStack.contains(standardized) || standardized == (file as NSString).standardizingPath {
            error(.includeFailed(path: path, reason: "it includes itself (a cycle)"), range)
            return []
        }
        guard includeStack.count < 16 else {
            error(.includeFailed(path: path, reason: "includes are nested more than 16 deep"), range)
            return []
        }
        guard let data = FileManager.default.contents(atPath: standardized), let text = String(data: data, encoding: .utf8) else {
            error(.includeFailed(path: path, reason: FileManager.default.fileExists(atPath: standardized) ? "not UTF-8 text" : "no such file"), range)
            return []
        }
        includeStack.append(standardized)
        defer { includeStack.removeLast() }
        return bind(SourceFile(name: standardized, text: text))
    }

    func describe(_ set: BoundValueSet) -> String {
        var parts: [String] = []
        if !set.codes.isEmpty { parts.append("\(set.codes.count) code\(set.codes.count == 1 ? "" : "s")") }
        if !set.prefixes.isEmpty { parts.append("\(set.prefixes.count) pattern\(set.prefixes.count == 1 ? "" : "s")") }
        if !set.descendantsOf.isEmpty { parts.append("\(set.descendantsOf.count) with descendants") }
        if !set.conceptIDs.isEmpty { parts.append("\(set.conceptIDs.count) concept id\(set.conceptIDs.count == 1 ? "" : "s")") }
        return parts.isEmpty ? "empty" : parts.joined(separator: ", ")
    }

    // MARK: - Value sets

    static let knownSystems: Set<String> = [
        CodeSystem.snomed, CodeSystem.loinc, CodeSystem.rxnorm, CodeSystem.icd10cm, CodeSystem.icd9cm, CodeSystem.icd10pcs,
        CodeSystem.cpt, CodeSystem.hcpcs, CodeSystem.cvx, CodeSystem.ndc, CodeSystem.ucum, "icd10", "omop", "actcode",
    ]

    mutating func bindSystem(_ written: String, range: SourceRange) -> String? {
        let lower = written.lowercased()
        if lower == "omop" || lower == "concept" { return "omop" }
        let normalized = CodeSystem.normalize(lower)
        if Binder.knownSystems.contains(normalized) { return normalized }
        var notes = ["known systems: snomed, loinc, rxnorm, icd10cm, icd9cm, icd10pcs, cpt, hcpcs, cvx, ndc, omop (concept ids)"]
        if let s = Suggestions.closest(to: lower, among: Array(Binder.knownSystems)) { notes.insert("did you mean '\(s)'?", at: 0) }
        error(.unknownCodeSystem(written), range, notes: notes)
        return nil
    }

    mutating func bindValueSetItem(_ item: ValueSetItem, into set: inout BoundValueSet) {
        switch item {
        case .code(let system, let code, let range):
            guard let system = bindSystem(system, range: range) else { return }
            if let star = code.firstIndex(of: "*") {
                guard star == code.index(before: code.endIndex) else { error(.badWildcard(code), range); return }
                set.prefixes.append(.init(system: system, code: String(code.dropLast())))
            } else if system == "omop" {
                guard let id = Int64(code) else { error(.other("an omop concept id is a number, not '\(code)'"), range); return }
                set.conceptIDs.append(id)
            } else {
                set.codes.append(.init(system: system, code: code))
            }
        case .descendants(let system, let code, let range):
            guard let system = bindSystem(system, range: range) else { return }
            if code.contains("*") { error(.badWildcard(code), range); return }
            set.descendantsOf.append(.init(system: system, code: code))
        case .load(let reference, let range):
            guard let loader else { error(.valueSetLoad("no value-set loader in this session"), range); return }
            do {
                let base = file.contains("/") ? (file as NSString).deletingLastPathComponent : nil
                set.merge(try loader.load(reference, relativeTo: base, valueSetDirectory: environment.valueSetDirectory))
            } catch {
                self.error(.valueSetLoad(String(describing: error)), range)
            }
        case .reference(let name):
            guard let other = environment.valueSets[Environment.key(name.text)] else {
                unknown("value set", name, candidates: environment.valueSets.values.map(\.name))
                return
            }
            set.merge(other.value)
        case .except(let inner, let range):
            var removed = BoundValueSet(name: "")
            bindValueSetItem(inner, into: &removed)
            if !removed.descendantsOf.isEmpty || !removed.conceptIDs.isEmpty {
                error(.notAllowedHere("'except' with descendants or concept ids"), range, notes: ["except removes source codes (system:code, or a pattern with *)"])
            }
            set.excluded += removed.codes + removed.prefixes.map { .init(system: $0.system, code: $0.code + "*") }
        }
    }

    mutating func bindValueSetRef(_ ref: ValueSetRef) -> BoundValueSet? {
        switch ref {
        case .named(let name):
            if let set = environment.valueSets[Environment.key(name.text)] { return set.value }
            unknown("value set", name, candidates: environment.valueSets.values.map(\.name))
            return nil
        case .inline(let items, let range):
            var set = BoundValueSet(name: text(range))
            for item in items { bindValueSetItem(item, into: &set) }
            return set
        }
    }
}
