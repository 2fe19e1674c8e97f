import CArchive
import Foundation
import StratumSynth
import XCTest

/// Reads an archive back with libarchive (as the importer will) and parses its NDJSON.
enum ArchiveFixture {
    /// Entry names and contents, in archive order.
    static func entries(of path: String) throws -> [(name: String, data: Data)] {
        guard let archive = archive_read_new() else { throw FixtureError("archive_read_new") }
        defer { archive_read_free(archive) }
        archive_read_support_filter_all(archive)
        archive_read_support_format_all(archive)
        guard archive_read_open_filename(archive, path, 1 << 16) == ARCHIVE_OK else {
            throw FixtureError("cannot open \(path)")
        }
        var result: [(String, Data)] = []
        var entry: OpaquePointer?
        while archive_read_next_header(archive, &entry) == ARCHIVE_OK {
            let name = String(cString: archive_entry_pathname(entry))
            var data = Data()
            var buffer = [UInt8](repeating: 0, count: 1 << 20)
            while true {
                let count = buffer.withUnsafeMutableBytes { archive_read_data(archive, $0.baseAddress, $0.count) }
                if count < 0 { throw FixtureError("read error in \(name)") }
                if count == 0 { break }
                data.append(contentsOf: buffer[0..<count])
            }
            result.append((name, data))
        }
        return result
    }

    /// Every resource of the archive, grouped by resourceType (each line parsed with JSONSerialization).
    static func resources(of path: String) throws -> [String: [[String: Any]]] {
        var byType: [String: [[String: Any]]] = [:]
        for (name, data) in try entries(of: path) {
            for line in data.split(separator: UInt8(ascii: "\n")) {
                guard let object = try JSONSerialization.jsonObject(with: Data(line)) as? [String: Any],
                      let type = object["resourceType"] as? String else {
                    throw FixtureError("\(name): a line is not a JSON object with a resourceType")
                }
                XCTAssertTrue(name.hasPrefix(type + "."), "\(type) in \(name)")
                byType[type, default: []].append(object)
            }
        }
        return byType
    }

    static func temporaryPath(_ name: String) -> String {
        let directory = NSTemporaryDirectory() + "stratum-synth-tests-\(getpid())"
        try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        return directory + "/" + name
    }

    /// One shared N = 2,000 archive (seed 2024) for the content tests, generated once per run.
    nonisolated(unsafe) private static var shared: (path: String, summary: SynthSummary, resources: [String: [[String: Any]]])?

    static func population() throws -> (path: String, summary: SynthSummary, resources: [String: [[String: Any]]]) {
        if let shared { return shared }
        let path = temporaryPath("population-2000.tar.gz")
        let summary = try SyntheticArchiveWriter(options: SynthOptions(patients: 2_000, seed: 2024, chunkPatients: 700))
            .write(to: path)
        let value = (path, summary, try resources(of: path))
        shared = value
        return value
    }
}

struct FixtureError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// Reading FHIR fields without ceremony.
extension Dictionary where Key == String, Value == Any {
    func string(_ key: String) -> String? { self[key] as? String }
    func object(_ key: String) -> [String: Any]? { self[key] as? [String: Any] }
    func array(_ key: String) -> [[String: Any]] { self[key] as? [[String: Any]] ?? [] }
    /// The id of a `{"reference": "Type/id"}` field.
    func referenceID(_ key: String) -> String? { object(key)?.string("reference")?.split(separator: "/").last.map(String.init) }
    /// The codes of a CodeableConcept field, as `system|code`.
    func codes(_ key: String) -> [String] {
        (object(key)?.array("coding") ?? []).map { "\($0.string("system") ?? "")|\($0.string("code") ?? "")" }
    }
}
