import StratumStore

/// One code of a value set: `snomed:44054006`.
///
/// `system` is the short name `CodeSystem.normalize` gives (`snomed`, `loinc`, `icd10cm`, …), the
/// same name the store writes in `source_system`, so a value set matches stored events by plain
/// string equality. Unknown systems keep their URI, lower-cased.
public struct ValueSetCode: Hashable, Sendable {
    /// Short system name (`CodeSystem.normalize` of the URI the value set gives).
    public var system: String
    public var code: String
    /// The display text the value set gives, if any; informational only.
    public var display: String?

    /// Makes a code; `system` may be a URI or a short name and is normalized either way.
    public init(system: String, code: String, display: String? = nil) {
        self.system = CodeSystem.normalize(system)
        self.code = code
        self.display = display
    }

    /// `system:code`, the way the query language writes a code.
    public var key: String { "\(system):\(code)" }
}

extension ValueSetCode: CustomStringConvertible {
    public var description: String { key }
}
