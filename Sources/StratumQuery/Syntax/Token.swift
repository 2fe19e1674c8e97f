/// A lexical token. Keywords are not reserved at the lexer level: the parser reads identifiers
/// in context, so a value set may be called `Visit` or `Count` without quoting.
public struct Token: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        case identifier(String)
        case number(Double, text: String)
        case string(String)
        case date(year: Int, month: Int, day: Int)
        /// `system:code`, written without spaces; `code` may end in `*` (a prefix wildcard).
        case code(system: String, code: String)
        case symbol(String)   // ( ) , = < > <= >= != .. % / ; :
        case newline
        case endOfFile
        case invalid(String)
    }
    public var kind: Kind
    public var range: SourceRange

    public var identifier: String? { if case .identifier(let s) = kind { return s } else { return nil } }
    public func isKeyword(_ word: String) -> Bool { identifier?.lowercased() == word }
    public func isSymbol(_ s: String) -> Bool { kind == .symbol(s) }

    /// How the token reads in an error message.
    public var display: String {
        switch kind {
        case .identifier(let s): return "'\(s)'"
        case .number(_, let text): return "number \(text)"
        case .string: return "a string"
        case .date: return "a date"
        case .code(let system, let code): return "code \(system):\(code)"
        case .symbol(let s): return "'\(s)'"
        case .newline: return "end of line"
        case .endOfFile: return "end of input"
        case .invalid(let s): return "'\(s)'"
        }
    }
}
