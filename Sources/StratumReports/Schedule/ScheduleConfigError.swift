/// A problem in a schedule config file, located by file, line and (when there is one) key, e.g.
/// `Reports/schedules.toml:14: job 'weekly-diabetes': key 'perod': unknown key (did you mean 'period'?)`.
public struct ScheduleConfigError: Error, CustomStringConvertible, Equatable, Sendable {
    public var file: String
    /// 1-based; 0 when the problem is with the file as a whole.
    public var line: Int
    /// The table the problem is in: `[defaults]`, `job 'weekly-diabetes'`, `[[job]] #2`; nil at top level.
    public var context: String?
    public var key: String?
    public var message: String

    public init(file: String, line: Int, context: String? = nil, key: String? = nil, message: String) {
        self.file = file
        self.line = line
        self.context = context
        self.key = key
        self.message = message
    }

    public var description: String {
        var text = line > 0 ? "\(file):\(line): " : "\(file): "
        if let context { text += "\(context): " }
        if let key { text += "key '\(key)': " }
        return text + message
    }
}
