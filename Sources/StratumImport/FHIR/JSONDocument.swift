/// One entry of a parsed document's tape. Values are laid out in document order: an object is
/// followed by its members (key string, then value with all its descendants), an array by its
/// elements. 16 bytes, so a 1 MB Synthea Bundle tapes to well under 1 MB.
@usableFromInline
struct JSONNode {
    /// Kind in the low nibble (`JSONNode.null` … `JSONNode.array`), flags above it.
    @usableFromInline var kind: UInt8
    /// Strings: offset of the first content byte (after the quote). Numbers: first byte.
    /// Literals and containers: offset of the first byte (`{`, `[`, `t`, …).
    @usableFromInline var start: UInt32
    /// Strings: offset of the closing quote. Numbers: one past the last byte.
    /// Containers: the number of members or elements.
    @usableFromInline var end: UInt32
    /// Containers: the tape index one past the last descendant (the next sibling).
    @usableFromInline var link: UInt32

    @usableFromInline static let null: UInt8 = 0
    @usableFromInline static let `false`: UInt8 = 1
    @usableFromInline static let `true`: UInt8 = 2
    @usableFromInline static let number: UInt8 = 3
    @usableFromInline static let string: UInt8 = 4
    @usableFromInline static let object: UInt8 = 5
    @usableFromInline static let array: UInt8 = 6
    @usableFromInline static let kindMask: UInt8 = 0x0F
    /// On a string: it contains at least one backslash escape, so its bytes need decoding.
    @usableFromInline static let escaped: UInt8 = 0x10
    /// On a number: it has a fraction or an exponent.
    @usableFromInline static let fractional: UInt8 = 0x20

    @inlinable init(kind: UInt8, start: UInt32, end: UInt32, link: UInt32) {
        self.kind = kind
        self.start = start
        self.end = end
        self.link = link
    }
}

/// A JSON document parsed from raw UTF-8 bytes into a flat tape of nodes, for reading large
/// inputs (FHIR Bundles of several MB, hundreds of them) without building a tree of Swift values.
///
/// Parsing validates the whole text strictly (RFC 8259 grammar, UTF-8 inside strings, paired
/// surrogates in `\u` escapes, a nesting limit) but decodes nothing: strings are decoded only when
/// asked for, and only when they contain a backslash; numbers are converted only when read.
///
/// The document does not copy the input. ``JSONValue``s read the parsed bytes in place, so they
/// are valid only while those bytes are alive and until the document parses another input. One
/// document can be reused for many inputs; its tape keeps its capacity.
public final class JSONDocument {
    /// Containers nested deeper than this are rejected (FHIR resources nest about 10 deep).
    public let maxDepth: Int
    private var nodes: UnsafeMutablePointer<JSONNode>
    private var capacity: Int
    private var count = 0
    private var base: UnsafePointer<UInt8>?
    private var length = 0
    /// Scratch for the parser's container stack (tape index and child count per level).
    private let stack: UnsafeMutablePointer<(index: UInt32, count: UInt32)>

    /// A document that accepts `maxDepth` levels of nested arrays and objects.
    public init(maxDepth: Int = 512) {
        precondition(maxDepth > 0, "maxDepth must be positive")
        self.maxDepth = maxDepth
        capacity = 1024
        nodes = .allocate(capacity: capacity)
        stack = .allocate(capacity: maxDepth)
    }

    deinit {
        nodes.deallocate()
        stack.deallocate()
    }

    /// Parses `bytes`, replacing what the document held. On error the document is empty.
    public func parse(_ bytes: UnsafeRawBufferPointer) throws(JSONError) {
        count = 0
        base = nil
        length = 0
        guard bytes.count < Int(UInt32.max) else { throw JSONError(offset: 0, .tooLarge) }
        guard let start = bytes.baseAddress, bytes.count > 0 else { throw JSONError(offset: 0, .emptyInput) }
        let pointer = start.assumingMemoryBound(to: UInt8.self)
        var builder = JSONTapeBuilder(bytes: pointer, count: bytes.count, nodes: nodes, capacity: capacity,
                                      stack: stack, maxDepth: maxDepth)
        defer {
            // The builder may have grown the tape; keep its buffer whatever happened.
            nodes = builder.nodes
            capacity = builder.capacity
        }
        try builder.build()
        count = builder.count
        base = pointer
        length = bytes.count
    }

    /// The top-level value. Precondition: the last `parse` succeeded.
    public var root: JSONValue {
        precondition(count > 0, "JSONDocument.root read before a successful parse")
        return JSONValue(nodes: UnsafePointer(nodes), base: base!, index: 0)
    }

    /// Number of nodes on the tape (every value and every object key is one node).
    public var nodeCount: Int { count }

    /// Parses `bytes` and passes the root to `body`; the values must not escape `body`.
    public static func withRoot<R>(of bytes: [UInt8], maxDepth: Int = 512, _ body: (JSONValue) throws -> R) throws -> R {
        let document = JSONDocument(maxDepth: maxDepth)
        return try bytes.withUnsafeBytes { buffer in
            try document.parse(buffer)
            return try body(document.root)
        }
    }
}
