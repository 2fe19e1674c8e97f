import Foundation

/// Resolves `load "…"` in a script: a path to a FHIR ValueSet file (relative to the script),
/// or else a name, OID or canonical URL looked up in the value-set directory (`--valuesets`).
/// Directories are read once per session.
public final class FHIRValueSetSource: ValueSetLoading, @unchecked Sendable {
    private var directories: [String: ValueSetDirectory] = [:]
    private let lock = NSLock()

    public init() {}

    public func load(_ reference: String, relativeTo directory: String?, valueSetDirectory: String?) throws -> BoundValueSet {
        let candidates = [reference.hasPrefix("/") ? reference : nil,
                          directory.map { ($0 as NSString).appendingPathComponent(reference) },
                          (FileManager.default.currentDirectoryPath as NSString).appendingPathComponent(reference)].compactMap { $0 }
        var isDirectory: ObjCBool = false
        if let path = candidates.first(where: { FileManager.default.fileExists(atPath: $0, isDirectory: &isDirectory) && !isDirectory.boolValue }) {
            return Self.bound(try FHIRValueSetLoader.loadValueSet(file: path))
        }
        guard let valueSetDirectory else {
            throw ValueSetError.notFound(name: reference, suggestions: [])
        }
        return Self.bound(try self.directory(valueSetDirectory).resolve(reference))
    }

    func directory(_ path: String) throws -> ValueSetDirectory {
        lock.lock()
        defer { lock.unlock() }
        if let cached = directories[path] { return cached }
        let loaded = try ValueSetDirectory(path: path)
        directories[path] = loaded
        return loaded
    }

    static func bound(_ set: FHIRValueSet) -> BoundValueSet {
        var out = BoundValueSet(name: set.label)
        out.codes = set.codes.map { .init(system: $0.system, code: $0.code) }
        return out
    }
}
