/// Counts what an import skipped or found wrong, with a few examples of where (entry:line and
/// the reason, never the values). In strict mode the first problem stops the import instead.
public final class ImportDiagnostics {
    /// How an issue affected the data.
    public enum Severity: String, Sendable {
        /// The record was left out.
        case skipped
        /// The record was kept, with a change worth knowing (e.g. a new id).
        case kept
    }

    public struct Issue: Sendable {
        public var severity: Severity
        public var kind: String
        public var reason: String
        public var count: Int
        public var examples: [String]
    }

    public let strict: Bool
    public let source: String
    public static let maxExamples = 3
    private var issues: [String: Issue] = [:]
    private var order: [String] = []
    /// Resource or file types seen but not imported, with their counts.
    public private(set) var unmapped: [String: Int] = [:]

    public init(source: String, strict: Bool) {
        self.source = source
        self.strict = strict
    }

    /// Records a skipped record. Throws in strict mode.
    public func skip(_ kind: String, reason: String, entry: String, line: Int?) throws {
        if strict {
            throw ImportError(.data, source: source, entry: entry, line: line, "\(kind): \(reason)")
        }
        record(.skipped, kind, reason: reason, entry: entry, line: line)
    }

    /// Records a record that was kept with a change worth knowing. Never throws.
    public func note(_ kind: String, reason: String, entry: String, line: Int?) {
        record(.kept, kind, reason: reason, entry: entry, line: line)
    }

    private func record(_ severity: Severity, _ kind: String, reason: String, entry: String, line: Int?) {
        let key = severity.rawValue + "\u{0}" + kind + "\u{0}" + reason
        if issues[key] == nil {
            issues[key] = Issue(severity: severity, kind: kind, reason: reason, count: 0, examples: [])
            order.append(key)
        }
        issues[key]!.count += 1
        if issues[key]!.examples.count < Self.maxExamples {
            let shown = EntryName.redacted(entry)
            issues[key]!.examples.append(line.map { "\(shown):\($0)" } ?? shown)
        }
    }

    /// Counts something not imported (an unknown resource type, a table Stratum does not keep).
    public func notImported(_ what: String, count: Int = 1) {
        unmapped[what, default: 0] += count
    }

    public var all: [Issue] { order.compactMap { issues[$0] } }
    public var skippedTotal: Int { issues.values.filter { $0.severity == .skipped }.reduce(0) { $0 + $1.count } }
}
