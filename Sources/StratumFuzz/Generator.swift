import StratumQuery

/// How an input was made; counted in the summary so a run shows what it exercised.
enum InputKind: String, CaseIterable {
    case grammar, valid, recombined, mutated, truncated, stress, bytes
}

/// Makes input `index` of a run from (seed, index) alone.
struct Generator {
    let seed: UInt64
    let corpus: [String]
    /// The corpus split into statements (a statement keyword at the start of a line opens one).
    let statements: [String]
    /// Bytes of the whole corpus, for the truncation schedule.
    let corpusBytes: [[UInt8]]
    let totalCorpusBytes: Int

    init(seed: UInt64, corpus: [String]) {
        self.seed = seed
        self.corpus = corpus
        var statements: [String] = []
        for script in corpus {
            var current: [Substring] = []
            for line in script.split(separator: "\n", omittingEmptySubsequences: false) {
                let first = line.split(separator: " ").first.map(String.init) ?? ""
                if Parser.statementKeywords.contains(first), !current.isEmpty {
                    statements.append(current.joined(separator: "\n")); current = []
                }
                current.append(line)
            }
            if !current.isEmpty { statements.append(current.joined(separator: "\n")) }
        }
        self.statements = statements
        corpusBytes = corpus.map { Array($0.utf8) }
        totalCorpusBytes = corpusBytes.reduce(0) { $0 + $1.count + 1 }
    }

    func input(_ index: Int) -> (kind: InputKind, text: String) {
        var rng = FuzzRandom(seed: seed, index: UInt64(index))
        // Every tenth input truncates a corpus script; in order, so a long run cuts every
        // script at every byte.
        if index % 10 == 9 {
            var point = (index / 10) % totalCorpusBytes
            for bytes in corpusBytes {
                if point <= bytes.count { return (.truncated, String(decoding: bytes[0..<point], as: UTF8.self)) }
                point -= bytes.count + 1
            }
        }
        switch rng.int(100) {
        case 0..<20:
            var grammar = Grammar(rng: rng)
            return (.grammar, grammar.script())
        case 20..<35:
            var grammar = ValidGrammar(rng: rng)
            return (.valid, grammar.script())
        case 35..<45:
            return (.recombined, recombine(&rng))
        case 45..<85:
            var text: String
            switch rng.int(20) {
            case 0..<11: text = rng.pick(corpus)
            case 11..<14: text = recombine(&rng)
            case 14..<16: var g = Grammar(rng: FuzzRandom(seed: seed &+ 1, index: UInt64(index))); text = g.script()
            default: var g = ValidGrammar(rng: FuzzRandom(seed: seed &+ 2, index: UInt64(index))); text = g.script()
            }
            for _ in 0..<rng.int(1...4) { text = mutate(text, &rng) }
            return (.mutated, text)
        case 85..<93:
            return (.stress, stress(&rng))
        default:
            return (.bytes, randomBytes(&rng))
        }
    }

    // MARK: - Recombination

    func recombine(_ rng: inout FuzzRandom) -> String {
        if rng.chance(0.4) {
            // Splice: a prefix of one script onto a suffix of another, cut at token boundaries.
            let a = rng.pick(corpus), b = rng.pick(corpus)
            let ta = Generator.tokenStarts(a), tb = Generator.tokenStarts(b)
            let ua = Array(a.utf8), ub = Array(b.utf8)
            let cutA = ta.isEmpty ? ua.count : rng.pick(ta), cutB = tb.isEmpty ? 0 : rng.pick(tb)
            return String(decoding: ua[0..<cutA] + ub[cutB...], as: UTF8.self)
        }
        var out: [String] = []
        for _ in 0..<rng.int(1...6) {
            if rng.chance(0.25) {
                var g = Grammar(rng: FuzzRandom(seed: rng.next(), index: 0))
                out.append(g.statement())
            } else {
                out.append(rng.pick(statements))
            }
        }
        return out.joined(separator: "\n")
    }

    // MARK: - Mutation

    static func tokenRanges(_ text: String) -> [Range<Int>] {
        let (tokens, _) = Lexer.tokenize(SourceFile(name: "<mutate>", text: text))
        return tokens.compactMap { t in
            if case .endOfFile = t.kind { return nil }
            return t.range.start..<t.range.end
        }
    }

    static func tokenStarts(_ text: String) -> [Int] { tokenRanges(text).map(\.lowerBound) }

    static let interesting: [String] = [
        "\u{0}", "\u{FEFF}", "\u{202E}", "\u{2028}", "\u{85}", "\u{FFFD}", "\u{1F600}", "e\u{301}\u{301}\u{301}", "\u{65E5}\u{672C}",
        "\r\n", "\r", "\t", "\u{B}", "\u{C}", "'", "\"", "\"\"", "''", "\\", "\\\"", ";", "--", "/*", "*/", "#", "(", ")", "((", "))",
        ",", ",,", "..", "...", ":", "::", "=", "==", "!=", "<>", "%", "*", "-", "+", "[", "]", "{", "}", "?", "?1", "$1", ":name", "@x",
        "DROP TABLE person;", "'; DROP TABLE person; --", "\"; DROP TABLE person; --", "/* */", "*/ DROP TABLE person; /*",
        "0", "-0", "00000000000000000000001", "1e309", "18446744073709551616", "9223372036854775808", "999999999", "1000000000",
        "0.000000000000000000000000001", "2024-02-29", "2023-02-29", "0000-00-00", "9999-99-99", "2024-13-01", "1-2-3",
        "snomed:", "snomed:\"", ":E11", "icd10cm:E11.*", "icd10cm:E*1", "omop:abc", "load \"\"", "descendants of",
        "any of (", "all of (", "at least", "not", "no", "entry", "cohort", "\ncohort X\n", "\nentry ", "\nrequire ",
    ]

    func mutate(_ text: String, _ rng: inout FuzzRandom) -> String {
        var bytes = Array(text.utf8)
        let tokens = Generator.tokenRanges(text)
        func insert(_ s: String, at: Int) { bytes.insert(contentsOf: Array(s.utf8), at: min(max(0, at), bytes.count)) }
        func randomPoint() -> Int {
            if !tokens.isEmpty, rng.chance(0.7) { let t = rng.pick(tokens); return rng.chance(0.5) ? t.lowerBound : t.upperBound }
            return rng.int(bytes.count + 1)
        }
        switch rng.int(16) {
        case 0: // flip bits in a byte
            if !bytes.isEmpty { bytes[rng.int(bytes.count)] ^= UInt8(1 << rng.int(8)) }
        case 1: // set a byte
            if !bytes.isEmpty { bytes[rng.int(bytes.count)] = UInt8(truncatingIfNeeded: rng.next()) }
        case 2: // delete a token
            if !tokens.isEmpty { let t = rng.pick(tokens); bytes.removeSubrange(t) }
        case 3: // duplicate a token
            if !tokens.isEmpty { let t = rng.pick(tokens); bytes.insert(contentsOf: Array(bytes[t]) + [32], at: t.lowerBound) }
        case 4: // swap two tokens
            if tokens.count >= 2 {
                var a = rng.pick(tokens), b = rng.pick(tokens)
                if a.lowerBound > b.lowerBound { swap(&a, &b) }
                if a.upperBound <= b.lowerBound {
                    let ta = Array(bytes[a]), tb = Array(bytes[b])
                    bytes.replaceSubrange(b, with: ta)
                    bytes.replaceSubrange(a, with: tb)
                }
            }
        case 5: // replace a token with a keyword, a symbol or a literal
            if !tokens.isEmpty {
                let t = rng.pick(tokens)
                var g = Grammar(rng: FuzzRandom(seed: rng.next(), index: 1))
                let replacement: String
                switch rng.int(5) {
                case 0: replacement = rng.pick(Grammar.symbols)
                case 1: replacement = g.number()
                case 2: replacement = g.string()
                case 3: replacement = g.code()
                default: replacement = rng.pick(Grammar.keywords)
                }
                bytes.replaceSubrange(t, with: Array(replacement.utf8))
            }
        case 6: // truncate
            bytes = Array(bytes.prefix(rng.int(bytes.count + 1)))
        case 7: // delete a range
            if !bytes.isEmpty {
                let a = rng.int(bytes.count), n = rng.skewed(64)
                bytes.removeSubrange(a..<min(bytes.count, a + n))
            }
        case 8, 9: // something interesting at a token boundary
            insert(rng.pick(Generator.interesting), at: randomPoint())
        case 10: // a generated fragment
            var g = Grammar(rng: FuzzRandom(seed: rng.next(), index: 2))
            let fragment: String
            switch rng.int(5) {
            case 0: fragment = g.criterion()
            case 1: fragment = g.filter()
            case 2: fragment = g.valueExpr()
            case 3: fragment = g.clause()
            default: fragment = "\n" + g.statement() + "\n"
            }
            insert(" " + fragment + " ", at: randomPoint())
        case 11: // line endings
            let from = Array("\n".utf8), to = Array(rng.pick(["\r\n", "\r", "\n\n", " "]).utf8)
            var out: [UInt8] = []
            for b in bytes { if b == from[0] { out += to } else { out.append(b) } }
            bytes = out
        case 12: // a very long identifier, number or string
            let n = rng.pick([256, 256, 4096, 4096, 65536])
            let long: String
            switch rng.int(4) {
            case 0: long = String(repeating: "x", count: n)
            case 1: long = String(repeating: "9", count: n)
            case 2: long = "\"" + String(repeating: "s", count: n) + "\""
            default: long = String(repeating: "\u{e9}", count: n / 2)
            }
            insert(" " + long + " ", at: randomPoint())
        case 13: // deep nesting at a token boundary
            insert(" " + Generator.nesting(&rng) + " ", at: randomPoint())
        case 14: // unbalance: drop or add a quote or parenthesis
            if let i = bytes.indices.filter({ [34, 39, 40, 41].contains(bytes[$0]) }).randomElement(using: &rng) {
                bytes.remove(at: i)
            } else {
                insert(rng.pick(["\"", "'", "(", ")"]), at: randomPoint())
            }
        default: // repeat a statement-sized chunk
            if !tokens.isEmpty, bytes.count < 16_384 {
                let a = rng.pick(tokens).lowerBound, b = rng.pick(tokens).upperBound
                if a < b { let chunk = Array(bytes[a..<b]); for _ in 0..<rng.skewed(50) { bytes.insert(contentsOf: chunk + [10], at: a) } }
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    // MARK: - Stress

    /// Nesting far past `Parser.maxDepth` in each recursive production.
    static func nesting(_ rng: inout FuzzRandom) -> String {
        let n = rng.pick([Parser.maxDepth - 1, Parser.maxDepth, Parser.maxDepth + 1, 100, 1000, 5000])
        let base = "age > 1"
        switch rng.int(10) {
        case 0: return String(repeating: "not ", count: n) + base
        case 1: return String(repeating: "any of (", count: n) + base + String(repeating: ")", count: rng.chance(0.5) ? n : n / 2)
        case 2: return String(repeating: "(", count: n) + base + String(repeating: ")", count: rng.chance(0.5) ? n : 0)
        case 3: return String(repeating: "all of (not ", count: n) + base + String(repeating: ")", count: n)
        case 4: return String(repeating: "start of ", count: n) + "period"
        case 5: return String(repeating: "30 days before ", count: n) + "2024-01-01"
        case 6: return String(repeating: "except ", count: n) + "snomed:1"
        case 7: return String(repeating: "at least 1 of (", count: n) + base
        case 8: return "T2D" + String(repeating: " union T2D", count: n)
        default: return String(repeating: "end of start of ", count: n / 2) + "period"
        }
    }

    func stress(_ rng: inout FuzzRandom) -> String {
        let nest = Generator.nesting(&rng)
        switch rng.int(12) {
        case 0: return "cohort X\n  entry condition in Diabetes\n  require " + nest
        case 1: return "let x = " + nest
        case 2: return "param p = " + nest
        case 3: return "valueset V = " + nest
        case 4: return "count T2D by " + nest
        case 5: return "list T2D with " + nest + " as x"
        case 6: return "cohort C = " + nest
        case 7: // many statements with errors: diagnostics pile up
            let line = rng.pick(["cohort\n", "cohort A entry condition in Nope\n", "valueset V = except snomed:1\n", "x\n", ")\n",
                                 "count Nope\n", "param p = 2024-02-30\n", "require age > 1\n"])
            return String(repeating: line, count: rng.pick([100, 1000, 5000]))
        case 8: // a long identifier where a name is looked up (suggestions compare it to every name)
            return "count " + String(repeating: "T2D", count: rng.pick([1000, 30000])) + " by sex"
        case 9: // offsets piling up through let bindings
            var out = "let d0 = 2024-01-01\n"
            let n = rng.pick([10, 100, 400])
            for i in 1...n { out += "let d\(i) = 999999999 years after d\(i - 1)\n" }
            return out + "cohort Far \"far\"\n  entry on d\(n) for everyone\n  require visit in Inpatient within 2 hours after d\(n)\n"
        case 10: // huge numbers everywhere a number goes
            let big = rng.pick(["99999999999999999999", String(repeating: "9", count: 400), "999999999", "0.0000000000000000001"])
            return """
                param p = \(big)
                cohort B "big"
                  entry first condition in Diabetes within \(big) days before \(big)
                  require age > \(big)
                  require measurement in HbA1c value between \(big) and \(big) %
                  require at least \(big) of (age > 1)
                  exit \(big) days after entry
                  collapse pad \(big) days
                count B by age band \(big)
                list B with age limit \(big)
                """
        default: // random bytes around a valid script
            return rng.pick(corpus) + randomBytes(&rng) + rng.pick(corpus)
        }
    }

    // MARK: - Bytes

    func randomBytes(_ rng: inout FuzzRandom) -> String {
        let count = rng.skewed(600)
        var bytes: [UInt8] = []
        bytes.reserveCapacity(count)
        let alphabet = Array("()\"',;:.-#\n *%=<>0123456789abcdeinorstyENTRY".utf8)
        let mode = rng.int(3)
        for _ in 0..<count {
            switch mode {
            case 0: bytes.append(UInt8(truncatingIfNeeded: rng.next()))
            case 1: bytes.append(UInt8(32 + rng.int(95)))
            default: bytes.append(rng.pick(alphabet))
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}

extension FuzzRandom: RandomNumberGenerator {}
