import StratumStore

/// Reading a ValueSet resource (already decoded by `JSONSerialization`) into `FHIRValueSet`.
/// Fields of the wrong type are ignored with a warning, so no input can crash the reader.
extension FHIRValueSet {
    /// Nested `contains` deeper than this are not walked (a guard against hostile input; real
    /// expansions nest two or three levels).
    static let maximumNesting = 64

    /// Reads a resource whose `resourceType` is `ValueSet`. A compose-only resource has no codes
    /// yet: `ValueSetResolution.expandAll` expands it once the value sets it may reference are
    /// known (every public way of loading runs it).
    init(resource: [String: Any], file: String?) {
        var warnings: [String] = []
        func string(_ key: String) -> String? {
            guard let value = resource[key] else { return nil }
            if let text = value as? String { return text.isEmpty ? nil : text }
            warnings.append("'\(key)' is not a string; ignored")
            return nil
        }
        let url = string("url")
        let id = string("id")
        self.init(url: url, version: string("version"), name: string("name"), title: string("title"),
                  id: id, oid: nil, file: file, codes: [], source: .compose, warnings: [])
        oid = Self.findOID(identifier: resource["identifier"], url: url, id: id)

        let compose = (resource["compose"] as? [String: Any]).map { Self.readCompose($0, warnings: &warnings) }
        if resource["compose"] != nil && compose == nil { warnings.append("'compose' is not an object; ignored") }
        self.compose = compose

        if let expansion = resource["expansion"] as? [String: Any],
           let expanded = Self.readExpansion(expansion, warnings: &warnings),
           !(expanded.isEmpty && compose != nil) {
            // An empty expansion beside a compose is taken as "not expanded", not as "no codes".
            codes = expanded
            source = .expansion
        } else {
            if resource["expansion"] != nil && !(resource["expansion"] is [String: Any]) {
                warnings.append("'expansion' is not an object; ignored")
            }
            source = .compose
            if compose == nil { warnings.append("it has neither an expansion nor a compose") }
        }
        readWarnings = warnings
        self.warnings = warnings
    }

    /// The first OID among `identifier[].value`, the url's last segment and the id.
    private static func findOID(identifier: Any?, url: String?, id: String?) -> String? {
        var identifiers: [[String: Any]] = []
        if let list = identifier as? [[String: Any]] { identifiers = list }
        else if let one = identifier as? [String: Any] { identifiers = [one] }  // STU3 allowed one
        for entry in identifiers {
            if let value = entry["value"] as? String, let oid = OID.from(value) { return oid }
        }
        if let url, let oid = OID.from(Canonical.tail(url)) { return oid }
        if let id, let oid = OID.from(id) { return oid }
        return nil
    }

    // MARK: expansion

    /// The codes of `expansion.contains`, or nil when the expansion has no `contains`.
    private static func readExpansion(_ expansion: [String: Any], warnings: inout [String]) -> [ValueSetCode]? {
        guard let top = expansion["contains"] else { return nil }
        guard let list = top as? [Any] else {
            warnings.append("'expansion.contains' is not an array; ignored")
            return nil
        }
        var codes = CodeList()
        var entries = 0, noSystem = 0, noCode = 0, notObjects = 0, tooDeep = 0
        func walk(_ items: [Any], depth: Int) {
            for item in items {
                guard let entry = item as? [String: Any] else { notObjects += 1; continue }
                entries += 1
                if let nested = entry["contains"] as? [Any] {
                    if depth < maximumNesting { walk(nested, depth: depth + 1) } else { tooDeep += 1 }
                }
                if flag(entry["abstract"]) || flag(entry["inactive"]) { continue }
                guard let code = entry["code"] as? String, !code.isEmpty else {
                    // A pure grouping entry (display and nested contains only) is not a code.
                    if entry["contains"] == nil { noCode += 1 }
                    continue
                }
                guard let system = entry["system"] as? String, !system.isEmpty else { noSystem += 1; continue }
                codes.append(ValueSetCode(system: system, code: code, display: entry["display"] as? String))
            }
        }
        walk(list, depth: 0)
        if noSystem > 0 { warnings.append("\(noSystem) expansion entries have a code but no system; left out") }
        if noCode > 0 { warnings.append("\(noCode) expansion entries have no code; left out") }
        if notObjects > 0 { warnings.append("\(notObjects) expansion entries are not objects; left out") }
        if tooDeep > 0 { warnings.append("expansion nests deeper than \(maximumNesting) levels; the deeper entries are left out") }
        if let total = expansion["total"] as? Int, total > entries {
            let offset = (expansion["offset"] as? Int).map { " from offset \($0)" } ?? ""
            warnings.append("the expansion is paged: it holds \(entries) of \(total) entries\(offset); the rest needs a terminology server")
        }
        return codes.codes
    }

    /// FHIR booleans; a number or string spelling is accepted rather than rejected.
    private static func flag(_ value: Any?) -> Bool {
        switch value {
        case let bool as Bool: return bool
        case let text as String: return text.lowercased() == "true"
        default: return false
        }
    }

    // MARK: compose

    private static func readCompose(_ compose: [String: Any], warnings: inout [String]) -> Compose {
        func rules(_ key: String) -> [ComposeRule] {
            guard let value = compose[key] else { return [] }
            guard let list = value as? [Any] else {
                warnings.append("'compose.\(key)' is not an array; ignored")
                return []
            }
            var result: [ComposeRule] = []
            for (position, item) in list.enumerated() {
                guard let entry = item as? [String: Any] else {
                    warnings.append("'compose.\(key)[\(position)]' is not an object; ignored")
                    continue
                }
                result.append(readRule(entry, context: "compose.\(key)[\(position)]", warnings: &warnings))
            }
            return result
        }
        return Compose(include: rules("include"), exclude: rules("exclude"))
    }

    private static func readRule(_ entry: [String: Any], context: String, warnings: inout [String]) -> ComposeRule {
        let system = (entry["system"] as? String).flatMap { $0.isEmpty ? nil : $0 }
        var concepts: [ValueSetCode] = []
        if let list = entry["concept"] as? [Any] {
            var missing = 0
            for item in list {
                guard let concept = item as? [String: Any], let code = concept["code"] as? String, !code.isEmpty else {
                    missing += 1
                    continue
                }
                concepts.append(ValueSetCode(system: system ?? "", code: code, display: concept["display"] as? String))
            }
            if missing > 0 { warnings.append("\(context): \(missing) concepts have no code; left out") }
        }
        var filters: [String] = []
        if let list = entry["filter"] as? [Any] {
            for item in list {
                let filter = item as? [String: Any] ?? [:]
                let parts = ["property", "op", "value"].map { (filter[$0] as? String) ?? "?" }
                filters.append(parts.joined(separator: " "))
            }
        }
        var valueSets: [String] = []
        if let list = entry["valueSet"] as? [Any] {
            valueSets = list.compactMap { $0 as? String }.filter { !$0.isEmpty }
        } else if let one = entry["valueSet"] as? String, !one.isEmpty {
            valueSets = [one]  // STU3 wrote a single reference
        }
        return ComposeRule(system: system, concepts: concepts, filters: filters, valueSets: valueSets)
    }
}

/// Codes in first-seen order, each (system, code) once.
struct CodeList {
    private(set) var codes: [ValueSetCode] = []
    private var seen: Set<CodeKey> = []

    mutating func append(_ code: ValueSetCode) {
        if seen.insert(CodeKey(code)).inserted { codes.append(code) }
    }

    mutating func append(contentsOf list: [ValueSetCode]) {
        for code in list { append(code) }
    }
}

/// A code's identity: system and code, without the display.
struct CodeKey: Hashable {
    var system: String
    var code: String
    init(_ code: ValueSetCode) {
        system = code.system
        self.code = code.code
    }
}
