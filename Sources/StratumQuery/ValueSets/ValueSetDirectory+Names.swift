import Foundation

/// The names a value set can be looked up by, each kind in its own case-insensitive table.
struct NameIndex: Sendable {
    enum Kind { case canonical, oid, name, title, id, fileName, compact }
    private var tables: [Kind: [String: [Int]]] = [:]
    /// Names and titles as written, for suggestions.
    private var spellings: [String] = []

    init() {}

    init(_ sets: [FHIRValueSet]) {
        var spelled = Set<String>()
        for (position, set) in sets.enumerated() {
            if let url = set.url { insert(.canonical, Canonical.key(url), position) }
            if let oid = set.oid { insert(.oid, oid, position) }
            if let name = set.name { insert(.name, name.lowercased(), position); insert(.compact, Self.compact(name), position) }
            if let title = set.title { insert(.title, title.lowercased(), position); insert(.compact, Self.compact(title), position) }
            if let id = set.id { insert(.id, id.lowercased(), position) }
            if let file = set.file {
                let base = ((file as NSString).lastPathComponent as NSString).deletingPathExtension
                insert(.fileName, base.lowercased(), position)
            }
            for text in [set.name, set.title].compactMap({ $0 }) where spelled.insert(text.lowercased()).inserted {
                spellings.append(text)
            }
        }
    }

    private mutating func insert(_ kind: Kind, _ key: String, _ position: Int) {
        guard !key.isEmpty else { return }
        tables[kind, default: [:]][key, default: []].append(position)
    }

    /// Positions matched by the first kind of name that matches `text`.
    func lookup(_ text: String, in sets: [FHIRValueSet]) -> [Int] {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else { return [] }
        if trimmed.contains("://") {
            let (url, version) = Canonical.split(trimmed)
            let found = tables[.canonical]?[Canonical.key(url)] ?? []
            guard let version else { return found }
            return found.filter { sets[$0].version == version }
        }
        if let oid = OID.from(trimmed), let found = tables[.oid]?[oid] { return found }
        let lower = trimmed.lowercased()
        for kind in [Kind.name, .title, .id, .fileName] {
            if let found = tables[kind]?[lower] { return found }
        }
        return tables[.compact]?[Self.compact(trimmed)] ?? []
    }

    /// Closest spellings by edit distance (at most a third of the length, at least 2), then those
    /// containing or abbreviating the text; ties by length and then alphabetically.
    func suggestions(for text: String, limit: Int) -> [String] {
        let query = Array(text.lowercased())
        guard !query.isEmpty, limit > 0 else { return [] }
        let threshold = max(2, query.count / 3)
        var scored: [(distance: Int, text: String)] = []
        for spelling in spellings {
            let candidate = Array(spelling.lowercased())
            let distance = EditDistance.between(query, candidate)
            if distance <= threshold {
                scored.append((distance, spelling))
            } else if query.count >= 4, spelling.lowercased().contains(text.lowercased()) || Self.abbreviates(text, spelling) {
                scored.append((threshold + 1 + distance, spelling))
            }
        }
        scored.sort { ($0.distance, $0.text.count, $0.text) < ($1.distance, $1.text.count, $1.text) }
        return Array(scored.prefix(limit).map(\.text))
    }

    /// Whether every word of `text` begins a word of `spelling`, in order: `HbA1c Lab Test`
    /// abbreviates `HbA1c Laboratory Test`.
    static func abbreviates(_ text: String, _ spelling: String) -> Bool {
        func words(_ s: String) -> [Substring] {
            s.lowercased().split { !$0.isLetter && !$0.isNumber }
        }
        let short = words(text), long = words(spelling)
        guard short.count >= 2 else { return false }
        var position = long.startIndex
        for word in short {
            guard let found = long[position...].firstIndex(where: { $0.hasPrefix(word) }) else { return false }
            position = long.index(after: found)
        }
        return true
    }

    /// Lower-cased letters and digits only: `HbA1c_Laboratory Test` → `hba1claboratorytest`.
    static func compact(_ text: String) -> String {
        String(text.lowercased().unicodeScalars.filter { CharacterSet.alphanumerics.contains($0) }.map(Character.init))
    }
}

/// Levenshtein distance.
enum EditDistance {
    /// The number of single-character insertions, deletions and substitutions turning `a` into `b`.
    static func between(_ a: [Character], _ b: [Character]) -> Int {
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                let substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)
                current[j] = min(substitution, previous[j] + 1, current[j - 1] + 1)
            }
            swap(&previous, &current)
        }
        return previous[b.count]
    }
}
