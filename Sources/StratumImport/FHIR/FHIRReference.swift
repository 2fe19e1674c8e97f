/// Turns FHIR reference text into the integer id of its target, the same id the target's own row
/// gets (`StableID` of its logical id), so references resolve without a lookup table.
///
/// Accepted forms: `urn:uuid:X` (and `urn:oid:X`), `Type/X`, `http://…/Type/X` (with or without
/// `/_history/N`), and conditional references `Type?identifier=system|value` as Synthea writes for
/// practitioners and organizations. A conditional reference gets the id of its identifier
/// (`StableID` of `identifier:system|value`); the resource carrying that identifier records the
/// alias in `reference_alias`, and the import's last pass rewrites alias ids to resource ids.
enum FHIRReference {
    struct Resolved {
        var id: Int64
        /// True for an identifier alias, which the alias pass must rewrite.
        var isAlias: Bool
    }

    private static let urnUUID: StaticString = "urn:uuid:"
    private static let urnOID: StaticString = "urn:oid:"
    private static let history: StaticString = "/_history/"
    private static let identifierParameter: StaticString = "identifier="
    static let aliasPrefix: StaticString = "identifier:"

    /// The target of `text`, or nil for a local (`#x`) or unusable reference, or one that names a
    /// resource type other than `expecting`. `scratch` is reused for conditional references.
    static func resolve(_ text: UnsafeRawBufferPointer, expecting: StaticString?, scratch: inout [UInt8]) -> Resolved? {
        guard text.count > 0, text[0] != UInt8(ascii: "#") else { return nil }
        if let question = text.firstIndex(of: UInt8(ascii: "?")) {
            let path = UnsafeRawBufferPointer(rebasing: text[0..<question])
            guard typeMatches(lastSegment(path), expecting) else { return nil }
            return conditional(UnsafeRawBufferPointer(rebasing: text[(question + 1)...]), scratch: &scratch)
        }
        guard let literal = literal(text) else { return nil }
        guard typeMatches(literal.type, expecting) else { return nil }
        return Resolved(id: StableID.of(literal.id), isAlias: false)
    }

    /// The type (empty when the text does not name one) and id of a literal reference or a
    /// `fullUrl`: `urn:uuid:X` → ("", X); `http://h/fhir/Patient/X/_history/2` → ("Patient", X).
    static func literal(_ text: UnsafeRawBufferPointer) -> (type: UnsafeRawBufferPointer, id: UnsafeRawBufferPointer)? {
        let empty = UnsafeRawBufferPointer(rebasing: text[0..<0])
        let urn = hasPrefix(text, urnUUID) ? urnUUID.utf8CodeUnitCount : hasPrefix(text, urnOID) ? urnOID.utf8CodeUnitCount : 0
        if urn > 0 {
            return urn < text.count ? (empty, UnsafeRawBufferPointer(rebasing: text[urn...])) : nil
        }
        var path = text
        if let cut = find(history, in: text) { path = UnsafeRawBufferPointer(rebasing: text[0..<cut]) }
        let id = lastSegment(path)
        guard id.count > 0 else { return nil }
        guard id.count < path.count else { return (empty, id) }
        return (lastSegment(UnsafeRawBufferPointer(rebasing: path[0..<(path.count - id.count - 1)])), id)
    }

    /// The alias id of an identifier: `StableID` of `identifier:system|value`.
    static func aliasID(system: UnsafeRawBufferPointer, value: UnsafeRawBufferPointer, scratch: inout [UInt8]) -> Int64 {
        scratch.removeAll(keepingCapacity: true)
        scratch.append(contentsOf: UnsafeRawBufferPointer(start: aliasPrefix.utf8Start, count: aliasPrefix.utf8CodeUnitCount))
        scratch.append(contentsOf: system)
        scratch.append(UInt8(ascii: "|"))
        scratch.append(contentsOf: value)
        return scratch.withUnsafeBytes { StableID.of($0) }
    }

    /// `identifier=system|value` among the `&`-separated parameters, percent-decoded.
    private static func conditional(_ query: UnsafeRawBufferPointer, scratch: inout [UInt8]) -> Resolved? {
        var start = 0
        let n = query.count
        while start < n {
            let end = query[start...].firstIndex(of: UInt8(ascii: "&")) ?? n
            let parameter = UnsafeRawBufferPointer(rebasing: query[start..<end])
            if hasPrefix(parameter, identifierParameter) {
                scratch.removeAll(keepingCapacity: true)
                scratch.append(contentsOf: UnsafeRawBufferPointer(start: aliasPrefix.utf8Start, count: aliasPrefix.utf8CodeUnitCount))
                let prefixLength = scratch.count
                percentDecode(UnsafeRawBufferPointer(rebasing: parameter[identifierParameter.utf8CodeUnitCount...]), into: &scratch)
                guard scratch.count > prefixLength else { return nil }
                return Resolved(id: scratch.withUnsafeBytes { StableID.of($0) }, isAlias: true)
            }
            start = end + 1
        }
        return nil
    }

    private static func percentDecode(_ text: UnsafeRawBufferPointer, into out: inout [UInt8]) {
        var i = 0
        while i < text.count {
            let c = text[i]
            if c == UInt8(ascii: "%"), i + 2 < text.count, let high = JSONStringDecoder.hexValue(text[i + 1]),
               let low = JSONStringDecoder.hexValue(text[i + 2]) {
                out.append(UInt8(high << 4 | low))
                i += 3
            } else {
                out.append(c == UInt8(ascii: "+") ? UInt8(ascii: " ") : c)
                i += 1
            }
        }
    }

    private static func typeMatches(_ type: UnsafeRawBufferPointer, _ expecting: StaticString?) -> Bool {
        guard let expecting, type.count > 0 else { return true }
        return type.elementsEqual(UnsafeRawBufferPointer(start: expecting.utf8Start, count: expecting.utf8CodeUnitCount))
    }

    /// The text after the last `/`.
    private static func lastSegment(_ text: UnsafeRawBufferPointer) -> UnsafeRawBufferPointer {
        guard let slash = text.lastIndex(of: UInt8(ascii: "/")) else { return text }
        return UnsafeRawBufferPointer(rebasing: text[(slash + 1)...])
    }

    static func hasPrefix(_ text: UnsafeRawBufferPointer, _ prefix: StaticString) -> Bool {
        let count = prefix.utf8CodeUnitCount
        return text.count >= count && text[0..<count].elementsEqual(UnsafeRawBufferPointer(start: prefix.utf8Start, count: count))
    }

    private static func find(_ needle: StaticString, in text: UnsafeRawBufferPointer) -> Int? {
        let count = needle.utf8CodeUnitCount
        guard text.count >= count else { return nil }
        let pattern = UnsafeRawBufferPointer(start: needle.utf8Start, count: count)
        for start in 0...(text.count - count) where text[start] == pattern[0] {
            if text[start..<(start + count)].elementsEqual(pattern) { return start }
        }
        return nil
    }
}
