/// Why a JSON text was rejected, and where: a byte offset into the parsed buffer. The reason is
/// generic ("expected ':'"), never a quote of the input, so it is safe to log for patient data.
public struct JSONError: Error, Equatable, CustomStringConvertible, Sendable {
    /// What was wrong; the raw value is the text shown to users.
    public enum Reason: String, Sendable {
        case emptyInput = "empty input"
        case unexpectedEnd = "unexpected end of input"
        case unexpectedCharacter = "unexpected character"
        case expectedKey = "expected a string key"
        case expectedColon = "expected ':'"
        case expectedCommaOrObjectEnd = "expected ',' or '}'"
        case expectedCommaOrArrayEnd = "expected ',' or ']'"
        case invalidLiteral = "invalid literal"
        case invalidNumber = "invalid number"
        case controlCharacterInString = "unescaped control character in string"
        case invalidEscape = "invalid escape sequence"
        case unpairedSurrogate = "unpaired UTF-16 surrogate in \\u escape"
        case invalidUTF8 = "invalid UTF-8"
        case trailingContent = "unexpected content after the JSON value"
        case tooDeep = "nesting too deep"
        case tooLarge = "input too large (4 GiB or more)"
    }

    /// Byte offset of the problem from the start of the parsed buffer.
    public var offset: Int
    public var reason: Reason

    /// An error at byte `offset` of the input.
    public init(offset: Int, _ reason: Reason) {
        self.offset = offset
        self.reason = reason
    }

    /// `invalid JSON at byte 17: expected ':'`.
    public var description: String { "invalid JSON at byte \(offset): \(reason.rawValue)" }
}
