/// Why value-set content could not be read or used. Each case names the file (or the name looked
/// up) and what is wrong, so a user can fix the input. Value sets hold no patient data, so codes
/// and names may be quoted freely.
public enum ValueSetError: Error, CustomStringConvertible, Equatable, Sendable {
    /// No file or directory at the path.
    case fileMissing(path: String)
    /// A directory was expected.
    case notADirectory(path: String)
    /// The file exists but could not be read (permissions, a directory where a file was expected).
    case unreadable(path: String, reason: String)
    /// The file is larger than the loader accepts.
    case tooLarge(path: String, bytes: Int, limit: Int)
    /// The content is not JSON at all (empty, binary, XML).
    case notJSON(path: String, reason: String)
    /// The content is JSON with a syntax error. `offset` is the byte offset the parser reported
    /// (0-based); `line` and `column` (1-based) are derived from it. `location` names the NDJSON
    /// line when the file is NDJSON.
    case syntax(path: String, location: String?, offset: Int?, line: Int?, column: Int?, detail: String)
    /// Valid JSON, but not a FHIR ValueSet (nor a Bundle / NDJSON holding any). `found` says what it
    /// is instead, e.g. `resourceType is Patient`.
    case notAValueSet(path: String, location: String?, found: String)
    /// The value set was read but yields no codes; `reasons` are its warnings (filters or
    /// references that need a terminology server, an empty expansion, …).
    case noCodes(path: String?, valueSet: String, reasons: [String])
    /// No value set has this name; `suggestions` are the closest names.
    case notFound(name: String, suggestions: [String])
    /// Several different value sets have this name; `candidates` describe each (title, OID, file).
    case ambiguous(name: String, candidates: [String])

    public var description: String {
        switch self {
        case .fileMissing(let path):
            return "\(path): no such file or directory"
        case .notADirectory(let path):
            return "\(path): not a directory"
        case .unreadable(let path, let reason):
            return "\(path): cannot be read: \(reason)"
        case .tooLarge(let path, let bytes, let limit):
            return "\(path): \(bytes) bytes is larger than the \(limit)-byte limit for a value-set file"
        case .notJSON(let path, let reason):
            return "\(path): not JSON (\(reason))"
        case .syntax(let path, let location, let offset, let line, let column, let detail):
            var place = path
            if let location { place += ": \(location)" }
            if let line, let column { place += ":\(line):\(column)" }
            let at = offset.map { " at byte \($0)" } ?? ""
            return "\(place): JSON syntax error\(at): \(detail)"
        case .notAValueSet(let path, let location, let found):
            let place = location.map { "\(path): \($0)" } ?? path
            return "\(place): not a FHIR ValueSet (\(found))"
        case .noCodes(let path, let valueSet, let reasons):
            let place = path.map { "\($0): " } ?? ""
            let why = reasons.isEmpty ? "" : ": " + reasons.joined(separator: "; ")
            return "\(place)value set \(valueSet) has no codes\(why)"
        case .notFound(let name, let suggestions):
            let hint = suggestions.isEmpty ? "" : "; did you mean " + suggestions.map { "'\($0)'" }.joined(separator: ", ") + "?"
            return "no value set named '\(name)'\(hint)"
        case .ambiguous(let name, let candidates):
            return "'\(name)' names \(candidates.count) different value sets; use the OID or canonical URL: "
                + candidates.joined(separator: "; ")
        }
    }
}
