/// The `[defaults]` table of a schedule config, with paths resolved against the config file's
/// directory. A job inherits each setting it does not set itself.
public struct ScheduleDefaults: Sendable, Equatable {
    /// The store jobs read (and whose `schedule_run` table logs them), absolute; nil when unset.
    public var databasePath: String?
    /// A directory of FHIR ValueSet JSON files, absolute; nil when unset.
    public var valueSetsDirectory: String?
    /// The folder relative job `out` templates are under, absolute (default: `out` beside the config).
    public var outputRoot: String
    /// Counts below this are suppressed in aggregates (default 11).
    public var minCell: Int
    /// Output formats (default `["html"]`).
    public var formats: [String]

    public static let defaultMinCell = 11
    public static let defaultFormats = ["html"]

    public init(databasePath: String?, valueSetsDirectory: String?, outputRoot: String, minCell: Int, formats: [String]) {
        self.databasePath = databasePath
        self.valueSetsDirectory = valueSetsDirectory
        self.outputRoot = outputRoot
        self.minCell = minCell
        self.formats = formats
    }
}
