import Foundation

/// Reads FHIR R4 ValueSet resources from JSON files: a single ValueSet, a `Bundle` whose entries
/// include ValueSets (other entries are skipped), or NDJSON with one resource per line (by the
/// `.ndjson` / `.jsonl` extension, or a `.json` file whose lines are separate objects).
///
/// ```swift
/// let hospice = try FHIRValueSetLoader.loadValueSet(file: "valuesets/hospice.json")
/// hospice.codes   // [snomed:385763009, …]
/// ```
///
/// Errors name the file and what is wrong; nothing in the input can crash the loader.
public enum FHIRValueSetLoader {
    /// Files larger than this are refused (the largest VSAC expansions are a few MiB).
    public static let maximumFileSize = 256 << 20

    /// Every ValueSet in the file, with compose references resolved among themselves.
    public static func load(file path: String) throws(ValueSetError) -> [FHIRValueSet] {
        ValueSetResolution.expandAll(try read(file: path))
    }

    /// Every ValueSet in `data`, read as if from `file` (used in messages and to pick NDJSON).
    public static func load(data: Data, file: String) throws(ValueSetError) -> [FHIRValueSet] {
        ValueSetResolution.expandAll(try read(data: data, file: file))
    }

    /// The one value set of a file — or the one named `name` (name, title, id, url or OID) when the
    /// file holds several — which must have codes.
    public static func loadValueSet(file path: String, named name: String? = nil) throws(ValueSetError) -> FHIRValueSet {
        let sets = try load(file: path)
        let found: FHIRValueSet
        if let name {
            found = try ValueSetDirectory(valueSets: sets).resolve(name)
        } else if sets.count == 1 {
            found = sets[0]
        } else {
            throw .ambiguous(name: path, candidates: sets.map(ValueSetDirectory.describe))
        }
        _ = try found.requireCodes()
        return found
    }

    // MARK: reading (no cross-resource resolution)

    static func read(file path: String) throws(ValueSetError) -> [FHIRValueSet] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { throw .fileMissing(path: path) }
        if isDirectory.boolValue { throw .unreadable(path: path, reason: "it is a directory") }
        let size = ((try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? NSNumber)?.intValue ?? 0
        if size > maximumFileSize { throw .tooLarge(path: path, bytes: size, limit: maximumFileSize) }
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw .unreadable(path: path, reason: (error as NSError).localizedDescription)
        }
        return try read(data: data, file: path)
    }

    static func read(data: Data, file: String) throws(ValueSetError) -> [FHIRValueSet] {
        let bytes = [UInt8](data)
        var start = 0
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { start = 3 }  // UTF-8 byte-order mark
        while start < bytes.count, isSpace(bytes[start]) { start += 1 }
        guard start < bytes.count else { throw .notJSON(path: file, reason: "the file is empty") }
        switch bytes[start] {
        case UInt8(ascii: "{"), UInt8(ascii: "["):
            break
        case UInt8(ascii: "<"):
            throw .notJSON(path: file, reason: "it looks like XML; only FHIR JSON is read")
        case 0x50 where bytes[start...].starts(with: [0x50, 0x4B, 0x03, 0x04]):
            throw .notJSON(path: file, reason: "it is a zip archive (an .xlsx or .zip?)")
        default:
            let shown = bytes[start] >= 0x20 && bytes[start] < 0x7F
                ? "'\(Character(Unicode.Scalar(bytes[start])))'" : String(format: "byte 0x%02X", bytes[start])
            throw .notJSON(path: file, reason: "it starts with \(shown), not '{'")
        }

        let lower = file.lowercased()
        if lower.hasSuffix(".ndjson") || lower.hasSuffix(".jsonl") {
            return try readNDJSON(bytes, file: file)
        }
        let object: Any
        do {
            object = try JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])
        } catch {
            // A `.json` file that is really NDJSON: several lines, the first a whole object.
            if looksLikeNDJSON(bytes, from: start) { return try readNDJSON(bytes, file: file) }
            throw syntaxError(error, bytes: bytes, file: file, location: nil)
        }
        return try valueSets(in: object, file: file, location: nil)
    }

    private static func readNDJSON(_ bytes: [UInt8], file: String) throws(ValueSetError) -> [FHIRValueSet] {
        var result: [FHIRValueSet] = []
        var others: [String: Int] = [:]
        var lineNumber = 0
        for line in bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false) {
            lineNumber += 1
            guard line.contains(where: { !isSpace($0) }) else { continue }
            let location = "line \(lineNumber)"
            let object: Any
            do {
                object = try JSONSerialization.jsonObject(with: Data(line), options: [.fragmentsAllowed])
            } catch {
                throw syntaxError(error, bytes: Array(line), file: file, location: location)
            }
            guard let resource = object as? [String: Any] else {
                throw .notAValueSet(path: file, location: location, found: "the line is \(kind(of: object)), not a resource")
            }
            let type = resource["resourceType"] as? String ?? "(none)"
            if type == "ValueSet" || type == "Bundle" {
                do throws(ValueSetError) {
                    result += try valueSets(in: resource, file: file, location: location)
                } catch {
                    // A Bundle line without ValueSets is skipped like any other resource.
                    guard case .notAValueSet = error, type == "Bundle" else { throw error }
                    others["Bundle", default: 0] += 1
                }
            } else {
                others[type, default: 0] += 1
            }
        }
        if result.isEmpty {
            let found = others.isEmpty ? "the file has no lines" : "it holds " + describe(others) + " but no ValueSet"
            throw .notAValueSet(path: file, location: nil, found: found)
        }
        return result
    }

    /// The ValueSets of a decoded JSON value: itself, or the entries of a Bundle.
    private static func valueSets(in object: Any, file: String, location: String?) throws(ValueSetError) -> [FHIRValueSet] {
        guard let resource = object as? [String: Any] else {
            throw .notAValueSet(path: file, location: location, found: "the top level is \(kind(of: object)), not a resource")
        }
        guard let type = resource["resourceType"] as? String else {
            throw .notAValueSet(path: file, location: location, found: "it has no resourceType")
        }
        switch type {
        case "ValueSet":
            return [FHIRValueSet(resource: resource, file: file)]
        case "Bundle":
            var result: [FHIRValueSet] = []
            var others: [String: Int] = [:]
            for entry in resource["entry"] as? [Any] ?? [] {
                guard let inner = (entry as? [String: Any])?["resource"] as? [String: Any] else { continue }
                let innerType = inner["resourceType"] as? String ?? "(none)"
                if innerType == "ValueSet" {
                    result.append(FHIRValueSet(resource: inner, file: file))
                } else {
                    others[innerType, default: 0] += 1
                }
            }
            if result.isEmpty {
                let found = others.isEmpty ? "a Bundle with no entries" : "a Bundle of " + describe(others) + " with no ValueSet"
                throw .notAValueSet(path: file, location: location, found: found)
            }
            return result
        default:
            throw .notAValueSet(path: file, location: location, found: "resourceType is \(type)")
        }
    }

    // MARK: helpers

    private static func isSpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D
    }

    private static func looksLikeNDJSON(_ bytes: [UInt8], from start: Int) -> Bool {
        guard let newline = bytes[start...].firstIndex(of: UInt8(ascii: "\n")) else { return false }
        guard bytes[(newline + 1)...].contains(where: { !isSpace($0) }) else { return false }
        let first = Data(bytes[start..<newline])
        return (try? JSONSerialization.jsonObject(with: first)) is [String: Any]
    }

    private static func kind(of object: Any) -> String {
        switch object {
        case is [Any]: return "an array"
        case is String: return "a string"
        case is NSNumber: return "a number or boolean"
        case is NSNull: return "null"
        default: return "not an object"
        }
    }

    private static func describe(_ counts: [String: Int]) -> String {
        counts.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }.joined(separator: ", ")
    }

    /// A `.syntax` error with the byte offset Foundation reports ("around character N", or
    /// `NSJSONSerializationErrorIndex` on Darwin), and the line and column it falls on.
    private static func syntaxError(_ error: Error, bytes: [UInt8], file: String, location: String?) -> ValueSetError {
        let nsError = error as NSError
        let detail = (nsError.userInfo[NSDebugDescriptionErrorKey] as? String) ?? nsError.localizedDescription
        var offset = nsError.userInfo["NSJSONSerializationErrorIndex"] as? Int
        if offset == nil, let range = detail.range(of: "character ") {
            offset = Int(detail[range.upperBound...].prefix { $0.isNumber })
        }
        if offset == nil, detail.lowercased().contains("end of file") || detail.lowercased().contains("end of data") {
            offset = bytes.count
        }
        var line: Int?, column: Int?
        if let offset, offset <= bytes.count {
            var currentLine = 1, lineStart = 0
            for position in 0..<offset where bytes[position] == UInt8(ascii: "\n") {
                currentLine += 1
                lineStart = position + 1
            }
            line = currentLine
            column = offset - lineStart + 1
        }
        let cleaned = detail.hasSuffix(".") ? String(detail.dropLast()) : detail
        return .syntax(path: file, location: location, offset: offset, line: line, column: column, detail: cleaned)
    }
}
