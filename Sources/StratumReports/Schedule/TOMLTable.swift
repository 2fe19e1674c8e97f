/// One table of a TOML document (the root, a `[table]` or one `[[array-of-tables]]` element):
/// its keys in file order, each value with the line it was written on.
public struct TOMLTable: Sendable {
    /// A value and the 1-based line of its key.
    public struct Entry: Equatable, Sendable {
        public var value: TOMLValue
        public var line: Int
    }

    /// The table's name (`""` for the root).
    public let name: String
    /// The line of the table's header (0 for the root).
    public let line: Int
    public private(set) var keys: [String] = []
    public private(set) var entries: [String: Entry] = [:]

    public init(name: String, line: Int) {
        self.name = name
        self.line = line
    }

    public subscript(key: String) -> Entry? { entries[key] }

    /// Adds a key; false when the table already has it.
    mutating func insert(_ key: String, _ value: TOMLValue, line: Int) -> Bool {
        guard entries[key] == nil else { return false }
        keys.append(key)
        entries[key] = Entry(value: value, line: line)
        return true
    }
}
