import StratumStore

/// Maps the rows of one OMOP CDM CSV file onto its store table by header name: columns the store
/// lacks are ignored, store columns the file lacks stay NULL, v5.3 names are renamed to v5.4.
/// Ids written as floats (`10204.0`) become integers; dates and datetimes are parsed from
/// `1963-12-31` or `2014-04-22 00:00:00`.
final class OMOPRowMapper: CSVRowMapper {
    private struct Mapping {
        var field: Int
        var column: Int
        var type: ColumnType
        var notNull: Bool
        var name: String
    }

    private let spec: OMOPTableSpec
    private let schema: TableSchema
    private let inserter: TableInserter
    private let mappings: [Mapping]
    private let store: Store
    private let rekeyed: (Int) -> Void
    private let conceptCodes: OMOPConceptCodes
    /// Fields of the concept columns and the store's source-code columns, for tables whose rows
    /// carry a source code (see `OMOPSourceCodeResolver.targets`).
    private var codeFields: (source: Int?, standard: Int?, system: Int, code: Int)?
    var inserters: [TableInserter] { [inserter] }

    /// Person rows: the store's `birth_date` (not a CDM column) is derived from these fields.
    private var birthFields: (year: Int?, month: Int?, day: Int?, datetime: Int?) = (nil, nil, nil, nil)
    private var birthDateColumn: Int?
    /// The next id `freshKey` hands out, once the first taken id needed one.
    private var nextFreshKey: Int64?

    /// - Parameter rekeyed: told the line of each row stored under a new id (see `freshKey`).
    init(spec: OMOPTableSpec, schema: TableSchema, header: CSVHeader, context: ImportContext,
         conceptCodes: OMOPConceptCodes, rekeyed: @escaping (Int) -> Void) throws {
        let missing = spec.keyColumns.filter { !header.contains($0) }
        guard missing.isEmpty else {
            throw CSVRowError(reason: "header lacks \(missing.joined(separator: ", ")) of OMOP \(spec.name)")
        }
        self.spec = spec
        self.schema = schema
        self.inserter = try context.inserter(schema)
        self.store = context.store
        self.rekeyed = rekeyed
        self.conceptCodes = conceptCodes
        if let target = OMOPSourceCodeResolver.targets.first(where: { $0.table == schema.name }),
           let system = schema.index(of: "source_system"), let code = schema.index(of: "source_code") {
            codeFields = (header.index(target.sourceConceptColumn), header.index(target.conceptColumn), system, code)
        }
        var mappings: [Mapping] = []
        var mapped = Set<Int>()
        for (field, name) in header.names.enumerated() {
            guard let column = OMOPTableCatalog.storeColumn(for: name, in: schema), mapped.insert(column).inserted else { continue }
            let definition = schema.columns[column]
            mappings.append(Mapping(field: field, column: column, type: definition.type, notNull: definition.notNull,
                                    name: definition.name))
        }
        self.mappings = mappings
        if let required = schema.columns.indices.first(where: { schema.columns[$0].notNull && !mapped.contains($0) }) {
            throw CSVRowError(reason: "header lacks \(schema.columns[required].name), which every \(spec.name) row needs")
        }
        if schema.name == CDMSchema.person.name, let column = schema.index(of: "birth_date"), !mapped.contains(column) {
            birthDateColumn = column
            birthFields = (header.index("year_of_birth"), header.index("month_of_birth"),
                           header.index("day_of_birth"), header.index("birth_datetime"))
        }
    }

    func map(_ record: CSVRecord) throws {
        try bind(record, key: nil)
        if try inserter.insert() { return }
        // The primary key was taken. A repeated row stays a duplicate (first wins); a different
        // event that merely reuses the id is kept under a new one (see `eventIdentity`).
        guard spec.eventIdentity != nil, try !isRepeat(record) else { return }
        // Fresh keys lie below every id in the table, so the first normally fits; the bound only
        // guards against looping on an insert that fails for another reason.
        for _ in 0..<16 {
            try bind(record, key: try freshKey())
            if try inserter.insert() {
                inserter.forgiveDuplicate()
                rekeyed(record.line)
                return
            }
        }
        throw CSVRowError(reason: "its id is taken and no new id could be stored")
    }

    /// The next id for a row whose own id was taken: negative, below every id in the table.
    /// Not SQLite's max(rowid) + 1, which is an id a later row of the file may still bring
    /// (GiBleed would then cascade 4,384 clashes into 4,460); and a negative id says plainly
    /// that Stratum, not the source, assigned it.
    private func freshKey() throws -> Int64 {
        if nextFreshKey == nil, let key = schema.primaryKey.first {
            let lowest = try store.db.scalar("SELECT min(\(key)) FROM \(schema.name)").int ?? 0
            nextFreshKey = min(lowest, 0) - 1
        }
        defer { nextFreshKey! -= 1 }
        return nextFreshKey!
    }

    /// Binds one record; `key`, when given, replaces the record's primary key.
    private func bind(_ record: CSVRecord, key: Int64?) throws {
        let primaryKey = key == nil ? nil : schema.primaryKey.first.flatMap(schema.index(of:))
        for mapping in mappings where mapping.column != primaryKey {
            let raw = record[mapping.field]
            if raw.isEmpty || (mapping.type != .text && CSVField.isNull(CSVField.trimmed(raw))) {
                if mapping.notNull { throw CSVRowError.missing(mapping.name) }
                continue
            }
            switch mapping.type {
            case .text:
                inserter.setText(mapping.column, raw)
            case .integer:
                guard let value = CSVField.integer(raw) else { throw CSVRowError.number(mapping.name) }
                inserter.set(mapping.column, value)
            case .real:
                guard let value = CSVField.double(raw) else { throw CSVRowError.number(mapping.name) }
                inserter.set(mapping.column, value.isFinite ? value : nil)
            case .date:
                guard let value = TimestampParser.parse(CSVField.trimmed(raw)) else { throw CSVRowError.date(mapping.name) }
                inserter.set(mapping.column, Int64(value.days))
            case .datetime:
                guard let value = TimestampParser.parse(CSVField.trimmed(raw)) else { throw CSVRowError.date(mapping.name) }
                inserter.set(mapping.column, Int64(value.secondsOrMidnight))
            }
        }
        if let primaryKey, let key { inserter.set(primaryKey, key) }
        if let column = birthDateColumn, let days = try birthDate(record) {
            inserter.set(column, Int64(days))
        }
        if let fields = codeFields, conceptCodes.ready,
           let found = try conceptCodes.resolve(sourceConcept: try record.integer(fields.source, "source concept id"),
                                                standardConcept: try record.integer(fields.standard, "concept id")) {
            inserter.set(fields.system, found.system)
            inserter.set(fields.code, found.code)
        }
    }

    /// The birth date of a person row: year/month/day when all three make a real date (the CDM's
    /// required fields), else the date part of birth_datetime, else unknown. A year alone gives
    /// no date: inventing a day would put ages off by up to a year without saying so.
    private func birthDate(_ record: CSVRecord) throws -> Int? {
        if let year = try record.integer(birthFields.year, "year_of_birth"),
           let month = try record.integer(birthFields.month, "month_of_birth"),
           let day = try record.integer(birthFields.day, "day_of_birth"),
           CivilDate.isValid(year: Int(year), month: Int(month), day: Int(day)) {
            return CivilDate.days(year: Int(year), month: Int(month), day: Int(day))
        }
        return try record.timestamp(birthFields.datetime, "birth_datetime")?.days
    }

    /// True when the row holding this record's id is the same event (a repeated row); false
    /// when it is a different event that merely shares the id. Runs only on a taken id.
    private func isRepeat(_ record: CSVRecord) throws -> Bool {
        guard let identity = spec.eventIdentity, let key = schema.primaryKey.first else { return true }
        var conditions = ["\(key) = ?"]
        var arguments = [try value(of: key, in: record)]
        for column in identity {
            conditions.append("\(column) IS ?")
            arguments.append(try value(of: column, in: record))
        }
        let sql = "SELECT EXISTS (SELECT 1 FROM \(schema.name) WHERE \(conditions.joined(separator: " AND ")))"
        return try store.db.scalar(sql, arguments).int == 1
    }

    /// The value a record gives a store column, as `bind` binds it.
    private func value(of column: String, in record: CSVRecord) throws -> SQLValue {
        guard let mapping = mappings.first(where: { $0.name == column }) else { return .null }
        let field = mapping.field
        switch mapping.type {
        case .text: return record.nonEmpty(field) == nil ? .null : .text(record.string(field))
        case .integer: return try record.integer(field, column).map(SQLValue.integer) ?? .null
        case .real: return try record.double(field, column).map(SQLValue.real) ?? .null
        case .date: return try record.timestamp(field, column).map { .integer(Int64($0.days)) } ?? .null
        case .datetime: return try record.timestamp(field, column).map { .integer(Int64($0.secondsOrMidnight)) } ?? .null
        }
    }
}
