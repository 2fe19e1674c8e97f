/// Units of measure the language understands, grouped by dimension, with the factor that turns a
/// value into the dimension's canonical unit. Only pure scalings are listed: conversions that
/// depend on the analyte (glucose mg/dL ↔ mmol/L) are not guessed.
public struct UnitDefinition: Sendable, Equatable {
    public var canonical: String
    public var dimension: String
    public var factor: Double
    public var spellings: [String]
}

public enum Units {
    public static let all: [UnitDefinition] = [
        UnitDefinition(canonical: "%", dimension: "fraction", factor: 1, spellings: ["%", "percent", "pct"]),
        UnitDefinition(canonical: "mmHg", dimension: "pressure", factor: 1, spellings: ["mmhg", "mm[hg]", "mm hg"]),
        UnitDefinition(canonical: "kPa", dimension: "pressure", factor: 7.50062, spellings: ["kpa"]),
        UnitDefinition(canonical: "mg/dL", dimension: "mass concentration", factor: 1, spellings: ["mg/dl"]),
        UnitDefinition(canonical: "g/dL", dimension: "mass concentration", factor: 1000, spellings: ["g/dl"]),
        UnitDefinition(canonical: "mg/L", dimension: "mass concentration", factor: 0.1, spellings: ["mg/l"]),
        UnitDefinition(canonical: "g/L", dimension: "mass concentration", factor: 100, spellings: ["g/l"]),
        UnitDefinition(canonical: "mmol/L", dimension: "substance concentration", factor: 1, spellings: ["mmol/l"]),
        UnitDefinition(canonical: "umol/L", dimension: "substance concentration", factor: 0.001, spellings: ["umol/l", "µmol/l"]),
        UnitDefinition(canonical: "mmol/mol", dimension: "substance fraction", factor: 1, spellings: ["mmol/mol"]),
        UnitDefinition(canonical: "kg/m2", dimension: "body mass index", factor: 1, spellings: ["kg/m2", "kg/m^2"]),
        UnitDefinition(canonical: "kg", dimension: "mass", factor: 1, spellings: ["kg"]),
        UnitDefinition(canonical: "g", dimension: "mass", factor: 0.001, spellings: ["g"]),
        UnitDefinition(canonical: "lb", dimension: "mass", factor: 0.45359237, spellings: ["lb", "lb_av", "lbs"]),
        UnitDefinition(canonical: "cm", dimension: "length", factor: 1, spellings: ["cm"]),
        UnitDefinition(canonical: "m", dimension: "length", factor: 100, spellings: ["m"]),
        UnitDefinition(canonical: "in", dimension: "length", factor: 2.54, spellings: ["in", "in_i"]),
        UnitDefinition(canonical: "mL/min/1.73m2", dimension: "filtration rate", factor: 1,
                       spellings: ["ml/min/1.73m2", "ml/min/1.73.m2", "ml/min"]),
        UnitDefinition(canonical: "mg/g", dimension: "albumin/creatinine", factor: 1, spellings: ["mg/g", "mg/g{creat}", "mg/gcreat"]),
        UnitDefinition(canonical: "mg/mmol", dimension: "albumin/creatinine", factor: 8.84, spellings: ["mg/mmol"]),
        UnitDefinition(canonical: "/min", dimension: "rate", factor: 1, spellings: ["/min", "beats/min", "bpm", "beats/minute"]),
    ]

    /// Lower-cases and drops the UCUM decorations (`[ ] { } _` and spaces), so `mm[Hg]`,
    /// `mmHg` and `mm Hg` compare equal. The SQL side applies the same function.
    public static func normalize(_ unit: String) -> String {
        var out = ""
        for c in unit.lowercased() where !"[]{}_ ".contains(c) { out.append(c) }
        return out
    }

    private static let byNormalizedSpelling: [String: UnitDefinition] = {
        var table: [String: UnitDefinition] = [:]
        for u in all { for s in u.spellings { table[normalize(s)] = u } }
        return table
    }()

    public static func lookup(_ unit: String) -> UnitDefinition? { byNormalizedSpelling[normalize(unit)] }

    /// Every normalized spelling of units in the same dimension, with its factor to `unit`.
    public static func compatible(with unit: UnitDefinition) -> [(spelling: String, factor: Double)] {
        byNormalizedSpelling.filter { $0.value.dimension == unit.dimension }
            .map { ($0.key, $0.value.factor / unit.factor) }
            .sorted { $0.spelling < $1.spelling }
    }

    /// Whether a bare word after a number reads as the start of a unit.
    static func looksLikeUnit(_ word: String) -> Bool {
        let first = normalize(word)
        return byNormalizedSpelling.keys.contains { $0 == first || $0.hasPrefix(first + "/") }
            || ["ml", "mmol", "beats", "kpa", "umol", "mg"].contains(first)
    }
}

/// "Did you mean" suggestions by edit distance.
public enum Suggestions {
    public static func closest(to word: String, among candidates: [String]) -> String? {
        let lower = word.lowercased()
        let length = lower.count
        var best: (String, Int)?
        for candidate in candidates {
            let limit = max(1, min(3, candidate.count / 3))
            let other = candidate.lowercased()
            // The distance is at least the difference in length: a long unknown word (a
            // generated or mangled script) need not be compared letter by letter.
            if abs(length - other.count) > limit { continue }
            let d = distance(lower, other)
            if d <= limit, d < max(lower.count, candidate.count), d < (best?.1 ?? Int.max) { best = (candidate, d) }
        }
        return best?.0
    }

    static func distance(_ a: String, _ b: String) -> Int { EditDistance.between(Array(a), Array(b)) }
}
