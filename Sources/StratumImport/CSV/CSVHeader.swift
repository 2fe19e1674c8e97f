/// The column names of a CSV file, matched case-insensitively (OMOP exports come in upper and
/// lower case; Synthea writes `Id` beside `PATIENT`).
struct CSVHeader {
    /// Names lower-cased and trimmed, in file order.
    let names: [String]
    private let positions: [String: Int]

    init(_ names: [String]) {
        self.names = names.map { Self.normalize($0) }
        var positions: [String: Int] = [:]
        // The first of two equal names wins, as a reader scanning left to right would expect.
        for (index, name) in self.names.enumerated() where positions[name] == nil { positions[name] = index }
        self.positions = positions
    }

    static func normalize(_ name: String) -> String {
        name.trimmingSpaces.lowercased()
    }

    var count: Int { names.count }

    /// The position of a column, by any case of its name.
    func index(_ name: String) -> Int? { positions[Self.normalize(name)] }

    /// The position of the first column present among alternative names (Synthea renamed a few).
    func index(anyOf names: [String]) -> Int? {
        for name in names { if let index = index(name) { return index } }
        return nil
    }

    func contains(_ name: String) -> Bool { index(name) != nil }

    /// True for the placeholder header GiBleed's exporter wrote over empty tables
    /// (`column0,column1,…` or `column00,…`), which is followed by the real header as a row.
    var isPlaceholder: Bool {
        !names.isEmpty && names.allSatisfy { name in
            name.hasPrefix("column") && name.count > 6 && name.dropFirst(6).allSatisfy(\.isASCIIDigitCharacter)
        }
    }

    /// The header of a CSV entry from its first bytes: the first record, or the second when the
    /// first is a placeholder. Nil when the head holds no complete, valid UTF-8 record.
    static func sniff(_ head: UnsafeRawBufferPointer) -> CSVHeader? {
        var found: CSVHeader?
        var reader = CSVReader()
        struct Enough: Error {}
        let read: (CSVRecord) throws -> Void = { record in
            guard record.isValidUTF8 else { throw Enough() }
            let header = CSVHeader(record.strings)
            found = header
            if !header.isPlaceholder { throw Enough() }
        }
        do {
            try reader.consume(head, read)
            // The head may be the whole entry (a header-only file with no final line break).
            try reader.finish(read)
        } catch {}
        return found.flatMap { $0.isPlaceholder ? nil : $0 }
    }
}

fileprivate extension Character {
    var isASCIIDigitCharacter: Bool { isASCII && isWholeNumber }
}

fileprivate extension String {
    /// The string without leading and trailing spaces and tabs.
    var trimmingSpaces: String {
        var slice = Substring(self)
        while let first = slice.first, first == " " || first == "\t" { slice.removeFirst() }
        while let last = slice.last, last == " " || last == "\t" { slice.removeLast() }
        return slice.count == count ? self : String(slice)
    }
}
