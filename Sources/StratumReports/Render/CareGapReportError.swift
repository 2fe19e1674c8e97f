/// Why a care-gap report could not be written. Nothing of the report is left behind then.
public enum CareGapReportError: Error, CustomStringConvertible, Equatable {
    /// The output path exists and is not a directory, or a report file's path is a directory.
    case notADirectory(String)
    case isADirectory(String)
    /// A file-system call failed: what, on which path, and `strerror(errno)`.
    case io(operation: String, path: String, reason: String)
    /// A report file path that is absolute, empty or leaves the output directory.
    case badPath(String)

    public var description: String {
        switch self {
        case .notADirectory(let path): "\(path): not a directory"
        case .isADirectory(let path): "\(path): is a directory, cannot replace it with a report file"
        case .io(let operation, let path, let reason): "\(path): \(operation) failed: \(reason)"
        case .badPath(let path): "\(path): not a relative path inside the output directory"
        }
    }
}
