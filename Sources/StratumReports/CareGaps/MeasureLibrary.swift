import Foundation

/// The measure scripts of a directory (`Reports/measures`): one `<id>.stratum` per measure, shared
/// definitions in `common/`, and the value sets in `valuesets/` — `demo.stratum` (public codes,
/// approximations for the synthetic data) and `vsac.stratum` (the same names loaded by OID from a
/// `--valuesets` directory of FHIR ValueSet files, such as a licensed VSAC download).
public struct MeasureLibrary: Sendable {
    public let directory: URL

    public init(directory: URL) {
        self.directory = directory
    }

    /// The library next to the executable's working directory, or `$STRATUM_MEASURES`.
    public static func standard() -> MeasureLibrary {
        if let path = ProcessInfo.processInfo.environment["STRATUM_MEASURES"], !path.isEmpty {
            return MeasureLibrary(directory: URL(fileURLWithPath: path))
        }
        return MeasureLibrary(directory: URL(fileURLWithPath: "Reports/measures"))
    }

    /// Measure ids (file names without `.stratum`) at the top level, sorted.
    public func availableMeasures() -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return names.filter { $0.hasSuffix(".stratum") }.map { String($0.dropLast(8)) }.sorted()
    }

    public func script(for id: String) throws(CareGapError) -> URL {
        let url = directory.appendingPathComponent(id.lowercased() + ".stratum")
        guard FileManager.default.fileExists(atPath: url.path) else {
            let known = availableMeasures()
            throw CareGapError("unknown measure '\(id)' (no \(url.path)); known measures: \(known.isEmpty ? "none — is \(directory.path) the measures directory?" : known.joined(separator: ", "))")
        }
        return url
    }

    /// The value-set script: VSAC names by OID when a value-set directory is given, else the demo approximations.
    public func valueSetScript(vsac: Bool) throws(CareGapError) -> URL {
        let url = directory.appendingPathComponent("valuesets").appendingPathComponent(vsac ? "vsac.stratum" : "demo.stratum")
        guard FileManager.default.fileExists(atPath: url.path) else { throw CareGapError("missing value-set script \(url.path)") }
        return url
    }
}

/// A care-gap run failed; the message names the measure, file or setting, never patient data.
public struct CareGapError: Error, CustomStringConvertible, Sendable {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
