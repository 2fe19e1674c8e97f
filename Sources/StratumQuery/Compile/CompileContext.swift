/// State shared while compiling one statement: the temp tables it creates (named from a
/// per-statement prefix, never from script text), the value-set tables it needs, and how to
/// find the definition id of a cohort it refers to.
final class CompileContext {
    let prefix: String
    /// Setup statements: value-set tables filled before the main steps.
    var setup: [CompiledStep] = []
    var cleanup: [String] = []
    private var codesets: [String: String] = [:]
    private var codesetDomains: [String: Set<String>] = [:]
    let cohortID: (String) -> Int64
    /// Whether criteria only see events inside the entry's observation period (event entries).
    var restrictToObservation = false
    /// The entry day when every entry row has the same one (calendar cohorts).
    var constantEntryDay: Int?
    private var aliasCounter = 0
    /// The temp table of continuous drug exposures, when the exit needs one.
    var erasTable: String?
    var selectionCounter = 1

    init(prefix: String, cohortID: @escaping (String) -> Int64) {
        self.prefix = prefix
        self.cohortID = cohortID
    }

    func alias(_ base: String = "x") -> String {
        aliasCounter += 1
        return "\(base)\(aliasCounter)"
    }

    func table(_ name: String) -> String {
        let full = "\(prefix)_\(name)"
        if !cleanup.contains(full) { cleanup.append(full) }
        return full
    }

    /// The temp table holding a value set's codes, created on first use. Wildcards are expanded
    /// against the codes present in the tables the value set is used with, so matching is an
    /// indexed equality join.
    func codeset(_ set: BoundValueSet, domain: DomainTable) -> (codes: String, concepts: String) {
        let key = set.key
        let name: String
        if let existing = codesets[key] {
            name = existing
        } else {
            name = table("vs\(codesets.count + 1)")
            codesets[key] = name
            createCodeset(name, set)
        }
        if !(codesetDomains[key]?.contains(domain.table) ?? false) {
            codesetDomains[key, default: []].insert(domain.table)
            expandPrefixes(name, set, in: domain)
        }
        return (name + "_codes", name + "_concepts")
    }

    func hasConcepts(_ set: BoundValueSet) -> Bool { !set.conceptIDs.isEmpty || !set.descendantsOf.isEmpty }

    private func createCodeset(_ name: String, _ set: BoundValueSet) {
        let codes = name + "_codes", concepts = name + "_concepts"
        cleanup.append(codes); cleanup.append(concepts)
        setup.append(CompiledStep(label: "value set \(set.name)", statement: .dropTable(codes)))
        setup.append(CompiledStep(label: "value set \(set.name)", statement: .dropTable(concepts)))
        setup.append(CompiledStep(label: "value set \(set.name)",
                                  statement: .createTempTable(codes, columns: [("code", "TEXT NOT NULL"), ("system", "TEXT NOT NULL"), ("", "PRIMARY KEY (code, system)")])))
        setup.append(CompiledStep(label: "value set \(set.name)",
                                  statement: .createTempTable(concepts, columns: [("concept_id", "INTEGER PRIMARY KEY")])))
        let unique = Array(Set(set.codes + set.descendantsOf.filter { $0.system != "omop" }))
            .sorted { ($0.system, $0.code) < ($1.system, $1.code) }
        for chunk in stride(from: 0, to: unique.count, by: 400) {
            let rows = unique[chunk..<min(chunk + 400, unique.count)].map { [SQLExpr.text($0.code), .text($0.system)] }
            setup.append(CompiledStep(label: "value set \(set.name)", statement: .insertValues(codes, columns: ["code", "system"], rows: rows, orIgnore: true)))
        }
        let ids = Array(Set(set.conceptIDs + set.descendantsOf.filter { $0.system == "omop" }.compactMap { Int64($0.code) })).sorted()
        for chunk in stride(from: 0, to: ids.count, by: 400) {
            let rows = ids[chunk..<min(chunk + 400, ids.count)].map { [SQLExpr.param(.integer($0))] }
            setup.append(CompiledStep(label: "value set \(set.name)", statement: .insertValues(concepts, columns: ["concept_id"], rows: rows, orIgnore: true)))
        }
        // Descendants through the vocabulary, when the store has one.
        for code in set.descendantsOf {
            let ancestor: SQLExpr
            if code.system == "omop", let id = Int64(code.code) {
                ancestor = .param(.integer(id))
            } else {
                var s = SQLSelect(columns: [(.col("c", "concept_id"), nil)], from: .table("concept", alias: "c"),
                                  filter: .col("c", "concept_code") == .text(code.code)
                                      && .inList(.call(.lower, [.col("c", "vocabulary_id")]), CompileContext.vocabularies(code.system).map { .text($0) }))
                s.limit = .int(1)
                ancestor = .subquery(s)
            }
            var descendants = SQLSelect(columns: [(.col("ca", "descendant_concept_id"), nil)],
                                        from: .table("concept_ancestor", alias: "ca"),
                                        filter: .col("ca", "ancestor_concept_id") == ancestor)
            descendants.compound = [(.union, SQLSelect(columns: [(ancestor, nil)], from: nil))]
            setup.append(CompiledStep(label: "value set \(set.name): descendants",
                                      statement: .insert(concepts, columns: ["concept_id"], descendants, orIgnore: true)))
            if code.system != "omop" {
                // The descendants' own codes, so events coded in the source system match too.
                var byCode = SQLSelect(columns: [(.col("d", "concept_code"), nil), (.text(code.system), nil)],
                                       from: .table("concept_ancestor", alias: "ca"),
                                       filter: .col("ca", "ancestor_concept_id") == ancestor)
                byCode.joins = [SQLJoin(kind: .inner, source: .table("concept", alias: "d"), on: .col("d", "concept_id") == .col("ca", "descendant_concept_id"))]
                setup.append(CompiledStep(label: "value set \(set.name): descendant codes",
                                          statement: .insert(codes, columns: ["code", "system"], byCode, orIgnore: true)))
            }
        }
        _ = concepts
    }

    private func expandPrefixes(_ name: String, _ set: BoundValueSet, in domain: DomainTable) {
        guard domain.hasCodes else { return }
        let codes = name + "_codes"
        for prefix in set.prefixes {
            let sources: [(table: String, extra: SQLExpr?)] = [(domain.table, nil), ("event_code", SQLExpr.col("t", "event_table") == .text(domain.table))]
            let codeColumn = "source_code", systemColumn = "source_system"
            for (table, extra) in sources {
                var s = SQLSelect(columns: [(.col("t", codeColumn), nil), (.col("t", systemColumn), nil)], from: .table(table, alias: "t"),
                                  filter: .all([.col("t", codeColumn) >= .text(prefix.code), .col("t", codeColumn) < .text(prefix.code + "\u{10FFFF}"),
                                                .col("t", systemColumn) == .text(prefix.system)] + (extra.map { [$0] } ?? [])))
                s.distinct = true
                setup.append(CompiledStep(label: "value set \(set.name): \(prefix.system):\(prefix.code)*",
                                          statement: .insert(codes, columns: ["code", "system"], s, orIgnore: true)))
            }
        }
        for excluded in set.excluded {
            let filter: SQLExpr
            if excluded.code.hasSuffix("*") {
                let p = String(excluded.code.dropLast())
                filter = SQLExpr.column(nil, "system") == .text(excluded.system) && SQLExpr.column(nil, "code") >= .text(p) && SQLExpr.column(nil, "code") < .text(p + "\u{10FFFF}")
            } else {
                filter = SQLExpr.column(nil, "system") == .text(excluded.system) && SQLExpr.column(nil, "code") == .text(excluded.code)
            }
            setup.append(CompiledStep(label: "value set \(set.name): except", statement: .delete(codes, filter: filter)))
        }
    }

    /// OMOP vocabulary_id spellings (lower-cased) for a short system name.
    static func vocabularies(_ system: String) -> [String] {
        switch system {
        case "snomed": return ["snomed"]
        case "loinc": return ["loinc"]
        case "rxnorm": return ["rxnorm", "rxnorm extension"]
        case "icd10cm": return ["icd10cm"]
        case "icd9cm": return ["icd9cm"]
        case "icd10pcs": return ["icd10pcs"]
        case "cpt": return ["cpt4"]
        case "hcpcs": return ["hcpcs"]
        case "cvx": return ["cvx"]
        case "ndc": return ["ndc"]
        default: return [system]
        }
    }
}

/// One SQL statement of a plan, with what it is for (shown by `explain`).
public struct CompiledStep: Sendable {
    public var label: String
    public var statement: SQLStatement
    /// The temp table the step fills, whose row count `explain` reports.
    public var table: String?
    public init(label: String, statement: SQLStatement, table: String? = nil) {
        self.label = label
        self.statement = statement
        self.table = table
    }
}
