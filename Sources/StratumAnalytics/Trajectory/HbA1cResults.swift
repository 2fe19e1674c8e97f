import Foundation
import StratumStore

/// HbA1c results ready for the trajectory model, read from a store or a CSV file, with counts of
/// what was converted or dropped (counts only: never values or ids).
public struct HbA1cResults: Sendable {
    public var observations: [TrajectoryObservation] = []
    /// IFCC results converted from mmol/mol to %.
    public var converted = 0
    /// Results outside 3–20 % (after conversion), dropped.
    public var droppedImplausible = 0
    /// Results whose unit is neither % nor mmol/mol, dropped.
    public var droppedUnknownUnit = 0
    /// Results after `asOf` left out.
    public var droppedAfterAsOf = 0

    public init() {}

    /// Adds one result given in `unit`, converting and filtering as documented in ``HbA1cUnit``.
    public mutating func add(personID: Int64, day: Int, value: Double, unit: HbA1cUnit?, asOf: Int? = nil) {
        if let asOf, day > asOf { droppedAfterAsOf += 1; return }
        guard let unit else { droppedUnknownUnit += 1; return }
        let percent = unit.percent(value)
        if unit == .mmolPerMol { converted += 1 }
        guard HbA1cUnit.plausibleRange.contains(percent) else { droppedImplausible += 1; return }
        observations.append(TrajectoryObservation(personID: personID, day: day, value: percent))
    }

    /// HbA1c results in the store's measurement table: LOINC 4548-4, 17856-6, 4549-2 or 59261-8
    /// by source code, or their OMOP concept ids when measurement_concept_id is filled. Results on
    /// or before `asOf` only, when given.
    public static func read(from db: Database, asOf: Int? = nil) throws -> HbA1cResults {
        let codes = HbA1cUnit.loincCodes.map { "'\($0)'" }.joined(separator: ", ")
        let concepts = HbA1cUnit.omopConceptIDs.map(String.init).joined(separator: ", ")
        let statement = try db.prepare("""
            SELECT person_id, measurement_date, value_as_number, unit_source_value FROM measurement
            WHERE value_as_number IS NOT NULL AND measurement_date IS NOT NULL AND person_id IS NOT NULL
              AND ((source_system = 'loinc' AND source_code IN (\(codes))) OR measurement_concept_id IN (\(concepts)))
            """)
        var results = HbA1cResults()
        while try statement.step() {
            guard let person = statement.value(at: 0).int, let day = statement.value(at: 1).int,
                  let value = statement.value(at: 2).double else { continue }
            results.add(personID: person, day: Int(day), value: value, unit: HbA1cUnit(unitText: statement.value(at: 3).text), asOf: asOf)
        }
        return results
    }

    /// Reads `person,date,value` CSV (a header line first; date as YYYY-MM-DD or a day number
    /// since 1970-01-01; value in %). Throws ``TrajectoryError/noData(_:)`` for a malformed line,
    /// naming the line number only.
    public static func readCSV(path: String, asOf: Int? = nil) throws -> HbA1cResults {
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        var results = HbA1cResults()
        results.observations.reserveCapacity(data.count / 20)
        var lineNumber = 0
        try data.withUnsafeBytes { (raw: UnsafeRawBufferPointer) in
            let bytes = raw.bindMemory(to: UInt8.self)
            var start = 0
            while start < bytes.count {
                var end = start
                while end < bytes.count && bytes[end] != 10 { end += 1 }
                lineNumber += 1
                var lineEnd = end
                if lineEnd > start && bytes[lineEnd - 1] == 13 { lineEnd -= 1 }
                if lineNumber > 1 && lineEnd > start {
                    guard let row = parseLine(bytes, start, lineEnd) else {
                        throw TrajectoryError.noData("\(path): line \(lineNumber) is not person,date,value")
                    }
                    results.add(personID: row.0, day: row.1, value: row.2, unit: .percent, asOf: asOf)
                }
                start = end + 1
            }
        }
        return results
    }

    private static func parseLine(_ b: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> (Int64, Int, Double)? {
        var fields: [Substring] = []
        var fieldStart = start
        for i in start...end where i == end || b[i] == 44 {
            fields.append(Substring(decoding: UnsafeBufferPointer(rebasing: b[fieldStart..<i]), as: UTF8.self))
            fieldStart = i + 1
        }
        guard fields.count == 3, let person = Int64(fields[0].trimmingCharacters(in: .whitespaces)),
              let value = Double(fields[2].trimmingCharacters(in: .whitespaces)), value.isFinite else { return nil }
        let dateText = fields[1].trimmingCharacters(in: .whitespaces)
        if let day = Int(dateText) { return (person, day, value) }
        guard let day = parseISODate(dateText) else { return nil }
        return (person, day, value)
    }

    /// Days since 1970-01-01 of an ISO date (YYYY-MM-DD); nil when malformed or invalid.
    public static func parseISODate(_ text: String) -> Int? {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
              let y = Int(parts[0]), let m = Int(parts[1]), let d = Int(parts[2]),
              CivilDate.isValid(year: y, month: m, day: d) else { return nil }
        return CivilDate.days(year: y, month: m, day: d)
    }
}
