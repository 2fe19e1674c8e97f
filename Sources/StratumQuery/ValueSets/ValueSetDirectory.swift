import Foundation

/// Every FHIR ValueSet under a directory (recursively: `*.json`, plus `*.ndjson` / `*.jsonl`),
/// with compose references resolved among them, looked up by any name a user is likely to write.
///
/// ```swift
/// let sets = try ValueSetDirectory(path: "input/vocabulary/valueset")
/// sets.valueSet(named: "2.16.840.1.113883.3.464.1003.103.12.1001")?.codes.count   // 369
/// sets.valueSet(named: "diabetes")?.contains(system: "snomed", code: "44054006") // true
/// sets.suggestions(for: "Diabetis")   // ["Diabetes", …]
/// ```
///
/// A file that cannot be read does not stop the load: it is listed in `errors`. Two files
/// holding the same canonical url and version keep the first (in path order); the other is noted
/// in the kept value set's warnings.
public struct ValueSetDirectory: Sendable {
    /// The directory read, or nil for an in-memory collection.
    public let path: String?
    /// The value sets, in file path order.
    public private(set) var valueSets: [FHIRValueSet]
    /// Files that could not be read as value sets, one error each.
    public private(set) var errors: [ValueSetError] = []
    /// Every file the directory offered (read or not), in path order.
    public private(set) var files: [String] = []

    private var index = NameIndex()

    /// Reads every value-set file under `path`. Throws only when `path` is not a directory; bad
    /// files are reported in `errors`.
    public init(path: String) throws(ValueSetError) {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { throw .fileMissing(path: path) }
        guard isDirectory.boolValue else { throw .notADirectory(path: path) }
        self.path = path
        files = Self.valueSetFiles(under: path)
        var sets: [FHIRValueSet] = []
        for file in files {
            do throws(ValueSetError) {
                sets += try FHIRValueSetLoader.read(file: file)
            } catch {
                errors.append(error)
            }
        }
        valueSets = []
        add(sets)
    }

    /// A collection of value sets already in memory (compose references resolved among them).
    public init(valueSets: [FHIRValueSet]) {
        path = nil
        self.valueSets = []
        add(valueSets)
    }

    private mutating func add(_ sets: [FHIRValueSet]) {
        var kept: [FHIRValueSet] = []
        var seen: [String: Int] = [:]
        for set in sets {
            if let url = set.url {
                let key = Canonical.key(url) + "|" + (set.version ?? "")
                if let first = seen[key] {
                    kept[first].readWarnings.append("also defined in \(set.file ?? "another resource") (ignored)")
                    kept[first].warnings.append("also defined in \(set.file ?? "another resource") (ignored)")
                    continue
                }
                seen[key] = kept.count
            }
            kept.append(set)
        }
        valueSets = ValueSetResolution.expandAll(kept)
        index = NameIndex(valueSets)
    }

    // MARK: lookup

    /// The value set `name` refers to, case-insensitively: a canonical url (optionally
    /// `url|version`), an OID (bare or `urn:oid:`), a `name`, a `title`, an `id`, a file base name,
    /// or a name or title written without spaces and punctuation — tried in that order, the first
    /// kind that matches deciding. Versions of one canonical url resolve to the latest. Nil when
    /// nothing matches or the name is ambiguous (`resolve` says which).
    public func valueSet(named name: String) -> FHIRValueSet? {
        guard case .one(let position) = choose(index.lookup(name, in: valueSets)) else { return nil }
        return valueSets[position]
    }

    /// Every value set the first matching kind of name finds (several when a name is ambiguous).
    public func candidates(named name: String) -> [FHIRValueSet] {
        index.lookup(name, in: valueSets).map { valueSets[$0] }
    }

    /// Like `valueSet(named:)`, but explains failure: `.notFound` with suggestions, `.ambiguous`
    /// with the candidates, `.noCodes` when the value set has no codes that could be expanded.
    public func resolve(_ name: String) throws(ValueSetError) -> FHIRValueSet {
        switch choose(index.lookup(name, in: valueSets)) {
        case .none:
            throw .notFound(name: name, suggestions: suggestions(for: name))
        case .many(let positions):
            throw .ambiguous(name: name, candidates: positions.map { Self.describe(valueSets[$0]) })
        case .one(let position):
            let found = valueSets[position]
            _ = try found.requireCodes()
            return found
        }
    }

    /// The names and titles closest to `name` (edit distance, case-insensitive), best first, for
    /// a "did you mean" hint. Names containing `name` are offered too.
    public func suggestions(for name: String, limit: Int = 5) -> [String] {
        index.suggestions(for: name, limit: limit)
    }

    /// `Heart Rate (OID 2.16.840.1.113883.3.526.2.1341, version 20240202, file.json)`.
    static func describe(_ set: FHIRValueSet) -> String {
        var details: [String] = []
        if let oid = set.oid { details.append("OID \(oid)") } else if let url = set.url { details.append(url) }
        if let version = set.version { details.append("version \(version)") }
        if let file = set.file { details.append((file as NSString).lastPathComponent) }
        return details.isEmpty ? set.label : "\(set.label) (\(details.joined(separator: ", ")))"
    }

    private enum Choice { case none, one(Int), many([Int]) }

    /// One value set, or several when the candidates are different value sets (versions of one
    /// canonical url are one value set: the latest is taken).
    private func choose(_ positions: [Int]) -> Choice {
        guard !positions.isEmpty else { return .none }
        let groups = Dictionary(grouping: positions) { valueSets[$0].url.map(Canonical.key) ?? "#\($0)" }
        if groups.count == 1 { return .one(CanonicalIndex.latest(positions, in: valueSets)) }
        return .many(positions)
    }

    // MARK: files

    private static let extensions: Set<String> = ["json", "ndjson", "jsonl"]

    private static func valueSetFiles(under path: String) -> [String] {
        let root = URL(fileURLWithPath: path)
        guard let walker = FileManager.default.enumerator(
            at: root, includingPropertiesForKeys: [.isRegularFileKey], options: [.skipsHiddenFiles]) else { return [] }
        var files: [String] = []
        for case let url as URL in walker where extensions.contains(url.pathExtension.lowercased()) {
            if (try? url.resourceValues(forKeys: [.isRegularFileKey]))?.isRegularFile == true { files.append(url.path) }
        }
        return files.sorted()
    }
}
