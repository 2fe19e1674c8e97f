/// A parsed TOML document: the root table, the `[name]` tables and the `[[name]]` arrays of
/// tables, each in file order.
public struct TOMLDocument: Sendable {
    public var root = TOMLTable(name: "", line: 0)
    public var tables: [String: TOMLTable] = [:]
    public var arrays: [String: [TOMLTable]] = [:]
    /// Names of `[tables]` and `[[arrays]]` in the order they first appear.
    public var sectionOrder: [String] = []

    public init() {}
}
