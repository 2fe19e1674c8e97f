/// Scripts meant to bind: the same productions as `Grammar`, but every choice respects what
/// the binder checks (names that exist, dates where dates go, values only on measurements,
/// windows relative to entry only after entry, one entry and one exit per cohort), so most of
/// them reach the compilers and the renderer — the deep end the random grammar rarely gets to.
struct ValidGrammar {
    var rng: FuzzRandom
    var valueSets = Grammar.valueSets
    var cohorts = Grammar.cohorts
    var criteria = Grammar.criteria
    var dates = ["cutoff"]
    var nodes = 0
    var fresh = 0

    init(rng: FuzzRandom) { self.rng = rng }

    mutating func newName(_ prefix: String) -> String {
        fresh += 1
        return rng.chance(0.1) ? "\(prefix)\u{e9}\(fresh)" : "\(prefix)\(fresh)"
    }

    mutating func small() -> Int { rng.skewed(400) }

    mutating func date() -> String { "20\(10 + rng.int(20))-\(String(format2: 1 + rng.int(12)))-\(String(format2: 1 + rng.int(28)))" }

    mutating func dateValue(_ depth: Int = 0) -> String {
        switch rng.int(depth > 1 ? 3 : 6) {
        case 0: return date()
        case 1: return rng.pick(dates)
        case 2: return rng.pick(["start of period", "end of period"])
        case 3: return "\(small()) \(rng.pick(["days", "weeks", "months", "years"])) \(rng.pick(["before", "after"])) " + dateValue(depth + 1)
        case 4: return "end of " + rng.pick(["period", "2023", "cutoff"])
        default: return "start of " + rng.pick(["period", "2022"])
        }
    }

    mutating func periodValue() -> String {
        switch rng.int(4) {
        case 0: return "period"
        case 1: return "2023"
        case 2: return "0001-01-01 .. " + dateValue()
        default: return dateValue()
        }
    }

    mutating func code() -> String {
        switch rng.int(8) {
        case 0: return "snomed:\(rng.pick(["44054006", "195967001", "38341003"]))"
        case 1: return "icd10cm:\(rng.pick(["E11.*", "E11.9", "I10", "N18.*"]))"
        case 2: return "loinc:\(rng.pick(["4548-4", "8480-6", "2345-7"]))"
        case 3: return "rxnorm:\(rng.pick(["6809", "36567"]))"
        case 4: return "omop:\(rng.int(1...999999))"
        case 5: return "snomed:\"\(rng.pick(["x'; DROP TABLE person; --", "a\"\"b", "/+ c +/", "#1", "caf\u{e9}"]))\""
        case 6: return "cpt:99213"
        default: return "icd10cm:\"E11.6*\""
        }
    }

    mutating func valueSetItem(_ depth: Int = 0) -> String {
        switch rng.int(depth > 0 ? 5 : 7) {
        case 0, 1, 2: return code()
        case 3: return "descendants of " + rng.pick(["snomed:44054006", "omop:201826", "icd10cm:E11"])
        case 4: return rng.chance(0.3) ? "load \"diabetes.json\"" : rng.pick(valueSets)
        default: return "except " + valueSetItem(depth + 1)
        }
    }

    mutating func valueSetRef() -> String {
        switch rng.int(5) {
        case 0: return code()
        case 1: return "(" + (0..<rng.int(1...3)).map { _ in code() }.joined(separator: ", ") + ")"
        default: return rng.pick(valueSets)
        }
    }

    mutating func anchor(relative: Bool) -> String {
        if relative && rng.chance(0.6) { return rng.pick(["entry", "entry end", "index", "entry start"]) }
        return dateValue()
    }

    mutating func bound(relative: Bool) -> String {
        switch rng.int(4) {
        case 0: return "any time"
        case 1: return "\(small()) \(rng.pick(["days", "weeks", "months", "years", "hours"])) \(rng.pick(["before", "after"])) \(anchor(relative: relative))"
            + (rng.chance(0.2) ? " exclusive" : "")
        default: return anchor(relative: relative) + (rng.chance(0.2) ? " exclusive" : "")
        }
    }

    mutating func window(relative: Bool) -> String {
        let prefix = rng.chance(0.15) ? rng.pick(["starting ", "ending "]) : ""
        switch rng.int(7) {
        case 0, 1: return prefix + "during " + periodValue()
        case 2: return prefix + "within \(small()) \(rng.pick(["days", "weeks", "months", "years", "hours"])) \(rng.pick(["before", "after", "around"])) \(anchor(relative: relative))"
        case 3: return prefix + rng.pick(["before ", "after "]) + anchor(relative: relative)
        case 4: return prefix + "on " + rng.pick(["", "or before ", "or after "]) + anchor(relative: relative)
        case 5: return prefix + "from \(bound(relative: relative)) to \(bound(relative: relative))"
        default: return prefix + "between \(bound(relative: relative)) and \(bound(relative: relative))"
        }
    }

    static let attributes: [String: [String]] = [
        "drug": ["days_supply", "quantity", "refills"], "measurement": ["value", "unit"],
        "observation": ["value", "text"], "condition": ["status"], "procedure": ["quantity"],
    ]

    mutating func numberComparison(units: Bool) -> String {
        let unit = units && rng.chance(0.5) ? " " + rng.pick(["%", "mmHg", "kPa", "mg/dL", "mmol/L", "mmol/mol", "kg", "lb", "\"mm[Hg]\""]) : ""
        if rng.chance(0.2) { return "between \(small()) and \(small() + 400)\(unit)" }
        return rng.pick(["<", "<=", ">", ">=", "=", "!="]) + " \(rng.chance(0.3) ? "\(small()).5" : "\(small())")\(unit)"
    }

    /// An event pattern; `relative` when windows may refer to the entry event.
    mutating func pattern(relative: Bool, domain fixed: String? = nil) -> (text: String, domain: String) {
        if fixed == nil && rng.chance(0.08) {
            return ("cohort " + rng.pick(cohorts) + (rng.chance(0.5) ? " " + window(relative: relative) : ""), "cohort")
        }
        let domain = fixed ?? rng.pick(["condition", "drug", "measurement", "measurement", "procedure", "observation", "visit", "death"])
        var out = domain
        if domain != "death" || rng.chance(0.3) { out += " in " + valueSetRef() }
        for _ in 0..<rng.skewed(3) {
            switch rng.int(7) {
            case 0, 1, 2: out += " " + window(relative: relative)
            case 3 where domain == "measurement" || domain == "observation": out += " value " + numberComparison(units: true)
            case 4 where domain != "death": out += " at visit in " + valueSetRef()
            case 5 where relative && domain != "death": out += " same visit"
            case 6: out += " distinct by " + rng.pick(["day", "code", "visit"])
            default:
                if let attribute = ValidGrammar.attributes[domain].map({ rng.pick($0) }) {
                    out += " where \(attribute) " + (["status", "text", "unit"].contains(attribute) ? "= \"\(rng.pick(["confirmed", "current", "%"]))\"" : numberComparison(units: false))
                }
            }
        }
        return (out, domain)
    }

    /// `column`: a count dimension or list column, where a leading 'age' or 'sex' is read as
    /// that column and '(' cannot start one.
    mutating func criterion(relative: Bool, depth: Int = 0, column: Bool = false) -> String {
        nodes += 1
        let leaf = depth > 3 || nodes > 40
        var choice = rng.int(leaf ? 9 : 13)
        if column && [5, 6, 12].contains(choice) { choice = 2 }
        switch choice {
        case 0, 1: return pattern(relative: relative).text
        case 2: return "no " + pattern(relative: relative).text
        case 3: return rng.pick(["at least", "at most", "exactly"]) + " \(rng.int(0...3)) " + pattern(relative: relative).text
        case 4:
            let measured = rng.pick(["measurement", "observation"])
            return rng.pick(["first", "last", "lowest", "highest", "lowest on last day", "highest on last day"]) + " " + pattern(relative: relative, domain: measured).text
        case 5: return "age " + (rng.chance(0.3) ? "at \(anchor(relative: relative)) " : "") + numberComparison(units: false)
        case 6: return rng.pick(["sex = female", "sex is not male", "gender in (female, male)", "sex != unknown"])
        case 7: return relative ? "observation \(small()) days before entry" + (rng.chance(0.5) ? " and \(small()) days after" : "") : "no death"
        case 8: return rng.pick(relative ? criteria + cohorts : cohorts)
        case 9, 10:
            let kind = rng.pick(["any of", "all of", "at least 1 of", "at most 2 of"])
            return "\(kind) (" + (0..<rng.int(1...3)).map { _ in criterion(relative: relative, depth: depth + 1) }.joined(separator: rng.chance(0.7) ? ", " : "\n    ") + ")"
        case 11: return "not " + criterion(relative: relative, depth: depth + 1)
        default: return "(" + criterion(relative: relative, depth: depth + 1) + ")"
        }
    }

    mutating func cohortStatement() -> String {
        let name = newName("C")
        defer { cohorts.append(name) }
        var out = "cohort \(name)" + (rng.chance(0.6) ? " \"\(rng.pick(["A title", "it's \"\"quoted\"\"", "x'; DROP TABLE person; --", "caf\u{e9} \u{1F600}"]))\"" : "")
        if rng.chance(0.15) {
            var expr = rng.pick(cohorts)
            for _ in 0..<rng.int(1...3) { expr += " \(rng.pick(["union", "intersect", "minus"])) \(rng.pick(cohorts))" }
            return out + " = " + expr
        }
        switch rng.int(6) {
        case 0: out += " from \(rng.pick(cohorts)) at \(dateValue())"
        case 1: out += " from \(rng.pick(cohorts))"
        case 2: out += "\n  entry on \(dateValue()) for " + (rng.chance(0.5) ? "everyone" : rng.pick(cohorts))
        case 3: out += "\n  entry members of \(rng.pick(cohorts))"
        default:
            out += "\n  entry " + rng.pick(["", "first ", "last ", "all ", "first ever "]) + pattern(relative: false).text
            if rng.chance(0.3) { out += " or " + pattern(relative: false).text }
            if rng.chance(0.2) { out += " with observation \(small()) days before entry and \(small()) days after" }
        }
        for _ in 0..<rng.skewed(5) {
            switch rng.int(8) {
            case 0, 1, 2: out += "\n  require " + (rng.chance(0.3) ? "\"rule \(fresh)\" " : "") + criterion(relative: true)
            case 3: out += "\n  rule \"\(rng.pick(["has it", "a; -- b", "x'; DROP TABLE person; --"]))\" " + criterion(relative: true)
            case 4: out += "\n  exclude " + criterion(relative: true)
            case 5: out += "\n  keep " + rng.pick(["first", "last", "all"])
            case 6: out += "\n  censor on " + pattern(relative: true).text + (rng.chance(0.3) ? " or " + pattern(relative: true).text : "")
            default: out += "\n  collapse" + (rng.chance(0.5) ? " pad \(small()) days" : "")
            }
        }
        if rng.chance(0.6) {
            switch rng.int(5) {
            case 0: out += "\n  exit at end of observation"
            case 1: out += "\n  exit \(small()) days after entry" + rng.pick(["", " end", " start"])
            case 2: out += "\n  exit on continuous drug in \(valueSetRef()) gap \(small()) days" + (rng.chance(0.5) ? " offset \(small()) days" : "")
                + (rng.chance(0.5) ? " days supply \(small())" : "")
            case 3: out += "\n  exit at end of " + rng.pick(["period", "2024"])
            default: out += "\n  exit on " + dateValue()
            }
        }
        return out
    }

    mutating func cohortExpr() -> String {
        var out = rng.pick(cohorts)
        for _ in 0..<rng.int(0...2) { out += " \(rng.pick(["union", "intersect", "minus"])) \(rng.pick(cohorts))" }
        return out
    }

    mutating func label() -> String {
        rng.chance(0.5) ? " as " + newName("col") : " as \"\(rng.pick(["a label", "x'; DROP TABLE person; --", "n \u{1F600}", "it\"\"s"]))\""
    }

    mutating func statement() -> String {
        switch rng.int(12) {
        case 0:
            let name = newName("V")
            defer { valueSets.append(name) }
            return "valueset \(name) = " + (0..<rng.int(1...4)).map { _ in valueSetItem() }.joined(separator: ", ")
        case 1:
            let name = newName("d")
            defer { dates.append(name) }
            let value = dateValue()
            // A bare name after '=' reads as a criterion: start the value with a number.
            return "let \(name) = " + (value.first?.isLetter == true && !value.hasPrefix("start of") && !value.hasPrefix("end of") ? "0 days after " + value : value)
        case 2:
            let name = newName("k")
            defer { criteria.append(name) }
            return "let \(name) = " + criterion(relative: true)
        case 3, 4, 5, 6: return cohortStatement()
        case 7, 8:
            return "count \(cohortExpr())" + (rng.chance(0.8) ? " by " + (0..<rng.int(1...3)).map { _ -> String in
                switch rng.int(6) {
                case 0: return "sex"
                case 1: return "age band \(rng.int(1...20))" + (rng.chance(0.3) ? " at \(dateValue())" : "")
                case 2: return rng.pick(["age", "provider", "care site", "year", "race", "ethnicity"])
                default: return criterion(relative: false, column: true) + (rng.chance(0.5) ? label() : "")
                }
            }.joined(separator: ", ") : "")
        case 9, 10:
            return "list \(cohortExpr())" + (rng.chance(0.8) ? " with " + (0..<rng.int(1...4)).map { _ -> String in
                switch rng.int(6) {
                case 0: return rng.pick(["person", "start", "end", "sex", "provider", "care site", "race", "ethnicity", "age", "age at \(dateValue())"])
                case 1: return "count " + pattern(relative: false).text + label()
                case 2, 3:
                    let domain = rng.pick(["measurement", "observation", "condition", "drug"])
                    return rng.pick(domain == "measurement" || domain == "observation" ? ["first", "last", "lowest", "highest"] : ["first", "last"])
                        + " " + pattern(relative: false, domain: domain).text + label()
                default: return criterion(relative: false, column: true) + (rng.chance(0.5) ? label() : "")
                }
            }.joined(separator: ", ") : "") + (rng.chance(0.4) ? " limit \(small())" : "")
        default: return "explain " + rng.pick(["T2D", "Poor"])
        }
    }

    mutating func script() -> String {
        (0..<rng.int(1...5)).map { _ in statement() }.joined(separator: "\n")
    }
}
