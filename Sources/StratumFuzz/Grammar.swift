/// Random scripts from the language's productions (Parser*.swift): mostly well formed, with
/// names drawn from the fuzz environment so binding gets past name lookup, and with a small
/// chance at every choice of a wrong word, a missing piece or an out-of-range value.
struct Grammar {
    var rng: FuzzRandom
    /// How far criteria may still nest; usually small, sometimes far beyond `Parser.maxDepth`.
    var budget = 4
    /// Criteria generated so far: groups branch, so depth alone does not bound the size.
    var nodes = 0

    static let valueSets = ["Diabetes", "HbA1c", "Metformin", "Statins", "Inpatient", "CKD", "SBP", "Smoking", "Procedures", "Loaded"]
    static let cohorts = ["T2D", "Poor", "Stored"]
    static let params = ["period", "cutoff", "label"]
    static let criteria = ["adult"]
    static let systems = ["snomed", "icd10cm", "loinc", "rxnorm", "omop", "cpt", "actcode", "icd9cm", "cvx", "ndc", "SNOMED", "sct", "concept", "nosuch"]
    static let codes = ["44054006", "E11.*", "E11.9", "4548-4", "8480-6", "201826", "99213", "N18.*", "E*1", "*", "IMP", "123-", "A.B.C", "00"]
    static let quotedCodes = ["x'; DROP TABLE person; --", "a\"b", "/* c */", "#1", "", "e\u{301}", "\u{0}", "12 34"]
    static let domains = ["condition", "drug", "measurement", "procedure", "observation", "visit", "death", "encounter"]
    static let units = ["%", "mmHg", "kPa", "mg/dL", "mmol/L", "mmol/mol", "kg/m2", "kg", "lb", "cm", "mL/min/1.73m2", "/min", "\"mm[Hg]\"", "\"furlongs\"", "bpm", "mg/g"]
    static let strings = ["\"\"", "\"plain\"", "\"it's\"", "'single'", "\"a;b\"", "\"-- not a comment\"", "\"/* x */\"",
                          "\"x'; DROP TABLE person; --\"", "\"\"\"\"", "\"tab\there\"", "\"caf\u{e9}\"", "\"\u{1F600}\"", "\"\\\"esc\\\"\""]
    static let keywords = Array(Set(["valueset", "param", "let", "cohort", "count", "list", "explain", "include", "entry", "require", "rule",
                                     "exclude", "keep", "exit", "censor", "collapse", "during", "within", "from", "to", "before", "after", "on",
                                     "between", "value", "at", "same", "distinct", "where", "starting", "ending", "and", "or", "of", "in", "by",
                                     "with", "as", "limit", "not", "no", "all", "any", "first", "last", "lowest", "highest", "exactly", "gap",
                                     "offset", "days", "day", "exclusive", "for", "union", "intersect", "minus", "except", "age", "sex", "gender",
                                     "observation", "ever", "members", "everyone", "end", "start", "entry", "index", "load", "descendants",
                                     "continuous", "supply", "pad", "least", "most", "band", "care", "site", "provider", "year", "race",
                                     "ethnicity", "person", "id", "time", "hours", "weeks", "months", "years", "is", "female", "male"])).sorted()
    static let symbols = ["(", ")", ",", "=", "<", ">", "<=", ">=", "!=", "<>", "==", "..", "%", "/", ";", ":", "[", "]", "{", "}", "+", "-", "*"]

    init(rng: FuzzRandom) { self.rng = rng }

    // MARK: - Leaves

    mutating func identifier() -> String {
        switch rng.int(10) {
        case 0: return rng.pick(Grammar.keywords)
        case 1: return "n\u{e4}me\u{1F600}"
        case 2: return String(repeating: "a", count: rng.int(1...300))
        default:
            let letters = Array("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_0123456789")
            var s = String(rng.pick(Array(letters.prefix(53))))
            for _ in 0..<rng.int(12) { s.append(rng.pick(letters)) }
            return s
        }
    }

    mutating func name(_ pool: [String]) -> String { rng.chance(0.85) ? rng.pick(pool) : identifier() }

    mutating func integer() -> String {
        switch rng.int(12) {
        case 0: return "0"
        case 1: return "999999999"
        case 2: return "1000000000"
        case 3: return String(repeating: "9", count: rng.int(10...400))
        case 4: return "1.5"
        default: return String(rng.skewed(400))
        }
    }

    mutating func number() -> String {
        switch rng.int(10) {
        case 0: return integer()
        case 1: return "-" + integer()
        case 2: return "\(rng.int(200)).\(rng.int(100))"
        case 3: return "0." + String(repeating: "0", count: rng.int(1...350)) + "1"
        default: return String(rng.skewed(300))
        }
    }

    mutating func date() -> String {
        switch rng.int(10) {
        case 0: return "2024-02-30"
        case 1: return "0000-01-01"
        case 2: return "9999-12-31"
        case 3: return "2024-1-1"
        default: return "20\(10 + rng.int(20))-\(String(format2: 1 + rng.int(12)))-\(String(format2: 1 + rng.int(28)))"
        }
    }

    mutating func string() -> String { rng.pick(Grammar.strings) }

    mutating func code() -> String {
        let system = rng.pick(Grammar.systems)
        if rng.chance(0.15) {
            let inner = rng.pick(Grammar.quotedCodes).replacingOccurrences(of: "\"", with: "\"\"")
            return "\(system):\"\(inner)\""
        }
        return "\(system):\(rng.pick(Grammar.codes))"
    }

    mutating func timeUnit() -> String { rng.pick(["days", "day", "weeks", "months", "years", "hours", "week", "fortnights"]) }

    // MARK: - Values

    mutating func valueExpr(_ depth: Int = 0) -> String {
        switch rng.int(depth > 3 ? 5 : 9) {
        case 0: return number() + (rng.chance(0.3) ? " " + rng.pick(Grammar.units) : "")
        case 1: return date()
        case 2: return string()
        case 3, 4: return name(Grammar.params)
        case 5: return valueExpr(depth + 1) + " .. " + valueExpr(depth + 1)
        case 6: return "start of " + valueExpr(depth + 1)
        case 7: return "end of " + valueExpr(depth + 1)
        default: return "\(integer()) \(timeUnit()) \(rng.pick(["before", "after"])) " + valueExpr(depth + 1)
        }
    }

    mutating func comparison() -> String {
        if rng.chance(0.2) { return "between \(valueExpr()) and \(valueExpr())" }
        return rng.pick(["<", "<=", ">", ">=", "=", "!=", "<>", "=="]) + " " + valueExpr()
    }

    mutating func anchor() -> String {
        switch rng.int(6) {
        case 0: return "entry"
        case 1: return "entry end"
        case 2: return "index start"
        default: return valueExpr()
        }
    }

    mutating func bound() -> String {
        switch rng.int(4) {
        case 0: return "any time"
        case 1: return "\(integer()) \(timeUnit()) \(rng.pick(["before", "after"])) \(anchor())" + (rng.chance(0.2) ? " exclusive" : "")
        default: return anchor() + (rng.chance(0.2) ? " exclusive" : "")
        }
    }

    mutating func window() -> String {
        let prefix = rng.chance(0.15) ? rng.pick(["starting ", "ending "]) : ""
        switch rng.int(8) {
        case 0: return prefix + "during " + valueExpr()
        case 1: return prefix + "within \(integer()) \(timeUnit()) \(rng.pick(["before", "after", "around", "beside"])) \(anchor())"
        case 2: return prefix + "before " + anchor()
        case 3: return prefix + "after " + anchor()
        case 4: return prefix + "on " + rng.pick(["", "or before ", "or after ", "or "]) + anchor()
        case 5: return prefix + "from \(bound()) to \(bound())"
        case 6: return prefix + "between \(bound()) and \(bound())"
        default: return prefix + "during period"
        }
    }

    mutating func valueSetRef() -> String {
        switch rng.int(6) {
        case 0: return code()
        case 1: return "(" + (0..<rng.int(1...4)).map { _ in valueSetItem() }.joined(separator: ", ") + ")"
        default: return name(Grammar.valueSets)
        }
    }

    mutating func valueSetItem(_ depth: Int = 0) -> String {
        switch rng.int(depth > 2 ? 6 : 8) {
        case 0, 1, 2: return code()
        case 3: return "descendants of " + code()
        case 4: return "load " + rng.pick(["\"diabetes.json\"", "\"missing.json\"", string()])
        case 5: return name(Grammar.valueSets)
        default: return "except " + valueSetItem(depth + 1)
        }
    }

    mutating func filter() -> String {
        switch rng.int(9) {
        case 0, 1, 2: return window()
        case 3: return "value " + comparison()
        case 4: return "at visit in " + valueSetRef()
        case 5: return "same visit"
        case 6: return "distinct by " + rng.pick(["day", "days", "code", "visit", "visits", "person"])
        default:
            return "where \(rng.pick(["days_supply", "quantity", "refills", "value", "unit", "text", "status", "colour"])) \(comparison())"
        }
    }

    mutating func pattern() -> String {
        let domain = rng.chance(0.1) ? "cohort " + name(Grammar.cohorts) : rng.pick(Grammar.domains)
        var out = domain
        if !domain.hasPrefix("cohort"), rng.chance(0.8) { out += " in " + valueSetRef() }
        for _ in 0..<rng.skewed(3) { out += " " + filter() }
        return out
    }

    // MARK: - Criteria

    mutating func criterion() -> String {
        nodes += 1
        guard budget > 0, nodes < 120 else { return rng.chance(0.5) ? "age >= 18" : "condition in Diabetes" }
        budget -= 1
        defer { budget += 1 }
        switch rng.int(16) {
        case 0, 1, 2: return pattern()
        case 3: return "no " + pattern()
        case 4: return rng.pick(["at least", "at most", "exactly"]) + " \(integer()) " + pattern()
        case 5: return rng.pick(["first", "last", "lowest", "highest", "lowest on last day", "highest on last day"]) + " " + pattern()
        case 6, 7:
            let kind = rng.pick(["any of", "all of", "at least 2 of", "at most 1 of"])
            let items = (0..<rng.int(1...4)).map { _ in criterion() }
            return "\(kind) (" + items.joined(separator: rng.chance(0.7) ? ", " : "\n    ") + ")"
        case 8: return "not " + criterion()
        case 9: return "(" + criterion() + ")"
        case 10: return "age " + (rng.chance(0.3) ? "at \(anchor()) " : "") + comparison()
        case 11:
            switch rng.int(4) {
            case 0: return "sex = " + rng.pick(["female", "male", "f", "other", "robot"])
            case 1: return "sex is " + (rng.chance(0.5) ? "not " : "") + rng.pick(["female", "male"])
            case 2: return "gender in (" + ["female", "male", "unknown"].prefix(rng.int(1...3)).joined(separator: ", ") + ")"
            default: return "sex != male"
            }
        case 12: return "observation \(integer()) days before entry" + (rng.chance(0.5) ? " and \(integer()) days after" : "")
        case 13: return name(Grammar.criteria + Grammar.cohorts)
        case 14: return "any " + pattern()
        default: return pattern()
        }
    }

    // MARK: - Statements

    mutating func clause() -> String {
        switch rng.int(12) {
        case 0: return "entry " + rng.pick(["", "first ", "last ", "all ", "first ever "]) + pattern()
            + (rng.chance(0.3) ? " or " + pattern() : "")
            + (rng.chance(0.2) ? " with observation \(integer()) days before entry and \(integer()) days after" : "")
        case 1: return "entry on \(valueExpr()) for " + (rng.chance(0.5) ? "everyone" : name(Grammar.cohorts))
        case 2: return "entry members of " + name(Grammar.cohorts)
        case 3, 4, 5: return "require " + (rng.chance(0.3) ? string() + " " : "") + criterion()
        case 6: return "rule \(string()) " + criterion()
        case 7: return "exclude " + criterion()
        case 8: return "keep " + rng.pick(["first", "last", "all", "some"])
        case 9:
            switch rng.int(5) {
            case 0: return "exit at end of observation"
            case 1: return "exit \(integer()) days after entry" + rng.pick(["", " end", " start"])
            case 2: return "exit on continuous drug in \(valueSetRef()) gap \(integer()) days offset \(integer()) days days supply \(integer())"
            case 3: return "exit at end of " + valueExpr()
            default: return "exit on " + valueExpr()
            }
        case 10: return "censor on " + pattern() + (rng.chance(0.3) ? " or " + pattern() : "")
        default: return "collapse" + (rng.chance(0.5) ? " pad \(integer()) days" : "")
        }
    }

    mutating func cohortExpr() -> String {
        var out = name(Grammar.cohorts)
        for _ in 0..<rng.skewed(3) { out += " \(rng.pick(["union", "intersect", "minus", "except"])) \(name(Grammar.cohorts))" }
        return out
    }

    mutating func dimension() -> String {
        switch rng.int(10) {
        case 0: return "sex"
        case 1: return "age band \(integer())" + (rng.chance(0.3) ? " at " + anchor() : "")
        case 2: return "age" + (rng.chance(0.3) ? " at " + anchor() : "")
        case 3: return rng.pick(["provider", "care site", "site", "year", "race", "ethnicity", "gender"])
        default: return criterion() + (rng.chance(0.4) ? " as " + (rng.chance(0.5) ? string() : identifier()) : "")
        }
    }

    mutating func listColumn() -> String {
        let base: String
        switch rng.int(10) {
        case 0: base = rng.pick(["person", "id", "start", "end", "sex", "provider", "care site", "race", "ethnicity"])
        case 1: base = "age" + (rng.chance(0.3) ? " at " + anchor() : "")
        case 2: base = "count " + pattern()
        case 3, 4, 5: base = rng.pick(["first", "last", "lowest", "highest", "highest on last day"]) + " " + pattern()
        default: base = criterion()
        }
        return base + (rng.chance(0.4) ? " as " + (rng.chance(0.5) ? string() : identifier()) : "")
    }

    mutating func statement() -> String {
        switch rng.int(14) {
        case 0, 1: return "valueset \(identifier()) = " + (0..<rng.int(1...5)).map { _ in valueSetItem() }.joined(separator: ", ")
        case 2: return "param \(name(Grammar.params + ["p"])) = " + valueExpr()
        case 3: return "let \(identifier()) = " + (rng.chance(0.4) ? valueExpr() : criterion())
        case 4, 5, 6, 7:
            var out = "cohort \(identifier())" + (rng.chance(0.5) ? " " + string() : "")
            if rng.chance(0.15) { return out + " = " + cohortExpr() }
            if rng.chance(0.3) { out += " from \(name(Grammar.cohorts))" + (rng.chance(0.6) ? " at " + valueExpr() : "") }
            if rng.chance(0.7) { out += "\n  entry " + rng.pick(["first ", "", "last "]) + pattern() }
            for _ in 0..<rng.skewed(6) { out += "\n  " + clause() }
            return out
        case 8, 9: return "count \(cohortExpr())" + (rng.chance(0.8) ? " by " + (0..<rng.int(1...4)).map { _ in dimension() }.joined(separator: ", ") : "")
        case 10, 11:
            return "list \(cohortExpr())" + (rng.chance(0.8) ? " with " + (0..<rng.int(1...5)).map { _ in listColumn() }.joined(separator: ", ") : "")
                + (rng.chance(0.4) ? " limit \(integer())" : "")
        case 12: return "explain " + name(Grammar.cohorts)
        default: return "include " + rng.pick(["\"missing.stratum\"", "\"fuzz.stratum\"", string()])
        }
    }

    mutating func script() -> String {
        if rng.chance(0.03) { budget = 60 + rng.int(40) }   // past Parser.maxDepth
        let separator = rng.chance(0.9) ? "\n" : rng.pick(["; ", " ", "\r\n", "\n\n# comment\n"])
        return (0..<rng.int(1...6)).map { _ in statement() }.joined(separator: separator)
    }
}

extension String {
    init(format2 value: Int) { self = value < 10 ? "0\(value)" : "\(value)" }
}
