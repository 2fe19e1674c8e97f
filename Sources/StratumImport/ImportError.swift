/// An error that stops an import. It names the input (archive entry and line where known) and
/// what is wrong, never a patient's values.
public struct ImportError: Error, CustomStringConvertible, Sendable {
    public enum Kind: String, Sendable {
        /// The input cannot be read as an archive or file (truncated, unreadable, unsafe).
        case input
        /// A record is malformed (strict mode, or damage that cannot be skipped).
        case data
        /// The input is in no format Stratum knows.
        case unknownFormat
        /// The store could not take the data.
        case store
    }

    public var kind: Kind
    public var source: String
    public var entry: String?
    public var line: Int?
    public var message: String

    public init(_ kind: Kind, source: String, entry: String? = nil, line: Int? = nil, _ message: String) {
        self.kind = kind
        self.source = source
        // Per-patient file names are withheld (see `EntryName`).
        self.entry = entry.map(EntryName.redacted)
        self.line = line
        self.message = message
    }

    /// `archive.tar.gz: entry.csv:12: message`.
    public var description: String {
        var location = source
        if let entry { location += ": \(entry)" }
        if let line { location += ":\(line)" }
        return "\(location): \(message)"
    }
}
