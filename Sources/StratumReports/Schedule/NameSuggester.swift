/// "Did you mean …?" for misspelt keys, tables and rule names: the closest known name by edit
/// distance, when it is close enough to be a plausible typo.
enum NameSuggester {
    static func suggestion(for word: String, among candidates: [String]) -> String? {
        let word = word.lowercased()
        var best: (name: String, distance: Int)?
        for candidate in candidates {
            let d = distance(Array(word), Array(candidate.lowercased()))
            if best == nil || d < best!.distance { best = (candidate, d) }
        }
        guard let best else { return nil }
        let limit = max(2, min(word.count, best.name.count) / 3)
        return best.distance <= limit ? best.name : nil
    }

    /// " (did you mean 'period'?)" or "".
    static func hint(for word: String, among candidates: [String]) -> String {
        suggestion(for: word, among: candidates).map { " (did you mean '\($0)'?)" } ?? ""
    }

    /// Levenshtein distance, with a transposition of neighbours counting as one edit.
    private static func distance(_ a: [Character], _ b: [Character]) -> Int {
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previous2 = [Int](repeating: 0, count: b.count + 1)
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                    current[j] = min(current[j], previous2[j - 2] + 1)
                }
            }
            (previous2, previous, current) = (previous, current, previous2)
        }
        return previous[b.count]
    }
}
