/// A value of the TOML subset schedule configs are written in: strings, integers, booleans and
/// arrays of those. (No floats, dates, inline tables or multi-line strings.)
public enum TOMLValue: Equatable, Sendable {
    case string(String)
    case integer(Int)
    case boolean(Bool)
    case array([TOMLValue])

    /// What errors call the type: "a string", "an integer", "a boolean", "an array".
    public var typeName: String {
        switch self {
        case .string: "a string"
        case .integer: "an integer"
        case .boolean: "a boolean"
        case .array: "an array"
        }
    }
}
