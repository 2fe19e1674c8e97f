/// The kind of a JSON value (`true` and `false` are both `.bool`).
public enum JSONKind: Sendable, Equatable {
    case null, bool, number, string, object, array
}

/// A value in a parsed ``JSONDocument``: a position on its tape. Cheap to copy (no reference
/// counting), and valid only while the document's input bytes are alive and the document has not
/// parsed another input; do not store it beyond that.
public struct JSONValue {
    @usableFromInline let nodes: UnsafePointer<JSONNode>
    @usableFromInline let base: UnsafePointer<UInt8>
    /// The position on the document's tape (0 for the root).
    public let index: Int

    @inlinable init(nodes: UnsafePointer<JSONNode>, base: UnsafePointer<UInt8>, index: Int) {
        self.nodes = nodes
        self.base = base
        self.index = index
    }

    @inlinable var node: JSONNode { nodes[index] }
    @inlinable var rawKind: UInt8 { nodes[index].kind & JSONNode.kindMask }

    /// What kind of value this is.
    public var kind: JSONKind {
        switch rawKind {
        case JSONNode.null: return .null
        case JSONNode.false, JSONNode.true: return .bool
        case JSONNode.number: return .number
        case JSONNode.string: return .string
        case JSONNode.object: return .object
        default: return .array
        }
    }

    /// True for `null`.
    public var isNull: Bool { rawKind == JSONNode.null }
    /// True for an object.
    public var isObject: Bool { rawKind == JSONNode.object }
    /// True for an array.
    public var isArray: Bool { rawKind == JSONNode.array }
    /// True for a string.
    public var isString: Bool { rawKind == JSONNode.string }
    /// True for a number.
    public var isNumber: Bool { rawKind == JSONNode.number }

    /// Byte offset of the value in the input (for a string, of its first content byte).
    public var byteOffset: Int { Int(nodes[index].start) }

    /// Members of an object or elements of an array; 0 for any other value.
    public var count: Int {
        let kind = rawKind
        return kind == JSONNode.object || kind == JSONNode.array ? Int(nodes[index].end) : 0
    }

    /// The tape index after this value and all its descendants.
    @inlinable var nextIndex: Int {
        let node = nodes[index]
        let kind = node.kind & JSONNode.kindMask
        return kind == JSONNode.object || kind == JSONNode.array ? Int(node.link) : index + 1
    }

    @inlinable func at(_ index: Int) -> JSONValue { JSONValue(nodes: nodes, base: base, index: index) }

    // MARK: Objects

    /// The value of the first member named `key`, or nil (also when this is not an object).
    @inlinable
    public subscript(key: StaticString) -> JSONValue? {
        member(UnsafeRawBufferPointer(start: key.utf8Start, count: key.utf8CodeUnitCount))
    }

    /// The value of the first member named `key`, or nil.
    public subscript(key: String) -> JSONValue? {
        var key = key
        return key.withUTF8 { member(UnsafeRawBufferPointer($0)) }
    }

    /// The value of the first member whose (decoded) name is the UTF-8 `key`, or nil.
    @inlinable
    public func member(_ key: UnsafeRawBufferPointer) -> JSONValue? {
        let node = nodes[index]
        guard node.kind & JSONNode.kindMask == JSONNode.object else { return nil }
        var k = index + 1
        var remaining = Int(node.end)
        while remaining > 0 {
            let name = at(k)
            if name.stringEquals(key) { return at(k + 1) }
            k = at(k + 1).nextIndex
            remaining -= 1
        }
        return nil
    }

    /// The members of an object in document order (empty for any other value).
    public var members: JSONMembers { JSONMembers(object: self) }

    // MARK: Arrays

    /// The element at `position` of an array, or nil when out of range or not an array.
    public subscript(position: Int) -> JSONValue? {
        guard rawKind == JSONNode.array, position >= 0, position < count else { return nil }
        var k = index + 1
        for _ in 0..<position { k = at(k).nextIndex }
        return at(k)
    }

    /// The elements of an array in order (empty for any other value).
    public var elements: JSONElements { JSONElements(array: self) }

    // MARK: Scalars

    /// The raw bytes of a string (between the quotes, escapes not decoded) or of a number.
    public var rawBytes: UnsafeRawBufferPointer {
        let node = nodes[index]
        let kind = node.kind & JSONNode.kindMask
        guard kind == JSONNode.string || kind == JSONNode.number else { return UnsafeRawBufferPointer(start: nil, count: 0) }
        return UnsafeRawBufferPointer(start: base + Int(node.start), count: Int(node.end &- node.start))
    }

    /// True for a string with at least one backslash escape (its raw bytes are not its value).
    public var hasEscapes: Bool { nodes[index].kind & JSONNode.escaped != 0 && rawKind == JSONNode.string }

    /// The bytes of a string as it decodes, without copying when it has no escapes; nil when this
    /// is not a string.
    public func withStringBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R? {
        guard rawKind == JSONNode.string else { return nil }
        if !hasEscapes { return try body(rawBytes) }
        var decoded: [UInt8] = []
        JSONStringDecoder.decode(rawBytes, into: &decoded)
        return try decoded.withUnsafeBytes(body)
    }

    /// Appends the decoded UTF-8 of a string to `out`; false when this is not a string.
    @discardableResult
    public func appendString(to out: inout [UInt8]) -> Bool {
        guard rawKind == JSONNode.string else { return false }
        if hasEscapes { JSONStringDecoder.decode(rawBytes, into: &out) } else { out.append(contentsOf: rawBytes) }
        return true
    }

    /// The decoded string, or nil when this is not a string.
    public var string: String? {
        guard rawKind == JSONNode.string else { return nil }
        if !hasEscapes { return String(decoding: rawBytes, as: UTF8.self) }
        return withStringBytes { String(decoding: $0, as: UTF8.self) }
    }

    /// True when this is a string whose decoded value is exactly the UTF-8 `other`.
    @inlinable
    public func stringEquals(_ other: UnsafeRawBufferPointer) -> Bool {
        let node = nodes[index]
        guard node.kind & JSONNode.kindMask == JSONNode.string else { return false }
        if node.kind & JSONNode.escaped == 0 {
            let length = Int(node.end &- node.start)
            guard length == other.count else { return false }
            return length == 0 || memcmp(base + Int(node.start), other.baseAddress!, length) == 0
        }
        return withStringBytes { $0.elementsEqual(other) } ?? false
    }

    /// True when this is a string equal to `other`.
    @inlinable
    public func stringEquals(_ other: StaticString) -> Bool {
        stringEquals(UnsafeRawBufferPointer(start: other.utf8Start, count: other.utf8CodeUnitCount))
    }

    /// The number as a Double, or nil when this is not a number.
    public var double: Double? {
        guard rawKind == JSONNode.number else { return nil }
        return JSONNumberParser.double(rawBytes)
    }

    /// The number as an Int64 when it is an integer in range (`3`, `3.0`, `3e2`), else nil.
    public var int64: Int64? {
        guard rawKind == JSONNode.number else { return nil }
        if nodes[index].kind & JSONNode.fractional == 0 { return JSONNumberParser.int64(rawBytes) }
        guard let value = double, value == value.rounded(), abs(value) < 9.2e18 else { return nil }
        return Int64(value)
    }

    /// The value of `true` or `false`, or nil for any other value.
    public var bool: Bool? {
        switch rawKind {
        case JSONNode.true: return true
        case JSONNode.false: return false
        default: return nil
        }
    }
}

/// The members of a JSON object, as (name, value) pairs in document order.
public struct JSONMembers: Sequence, IteratorProtocol {
    private let object: JSONValue
    private var position: Int
    private var remaining: Int

    init(object: JSONValue) {
        self.object = object
        position = object.index + 1
        remaining = object.isObject ? object.count : 0
    }

    /// The next member, or nil after the last.
    public mutating func next() -> (name: JSONValue, value: JSONValue)? {
        guard remaining > 0 else { return nil }
        remaining -= 1
        let name = object.at(position)
        let value = object.at(position + 1)
        position = value.nextIndex
        return (name, value)
    }
}

/// The elements of a JSON array, in order.
public struct JSONElements: Sequence, IteratorProtocol {
    private let array: JSONValue?
    private var position: Int
    private var remaining: Int

    init(array: JSONValue?) {
        self.array = array
        position = (array?.index ?? 0) + 1
        remaining = array.map { $0.isArray ? $0.count : 0 } ?? 0
    }

    /// No elements: for iterating over an optional array (`value?.elements ?? .empty`).
    public static var empty: JSONElements { JSONElements(array: nil) }

    /// The next element, or nil after the last.
    public mutating func next() -> JSONValue? {
        guard remaining > 0, let array else { return nil }
        remaining -= 1
        let value = array.at(position)
        position = value.nextIndex
        return value
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
