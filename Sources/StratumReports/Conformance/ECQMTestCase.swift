import Foundation

/// One patient of an eCQM test deck (as MADiE exports them and the eCQM content repositories
/// publish them): a folder holding the patient's FHIR resources, one resource per file, and a
/// `MeasureReport-*.json` whose groups give the expected population counts (0 or 1) and whose
/// `period` is the measurement period.
public struct ECQMTestCase: Sendable {
    /// The folder name (the patient's id).
    public var id: String
    /// The test-case name from the deck's README.txt ("IPPass PatientAge75"), or the
    /// MeasureReport's test-case description, when there is one.
    public var name: String?
    public var folder: URL
    public var periodStart: String
    public var periodEnd: String
    /// Expected counts by group id ("1", "2", … in the order of the report's groups) and population.
    public var expected: [(group: String, counts: [MeasurePopulation: Int])]

    /// Every test case in `directory`: its sub-folders that hold a MeasureReport, sorted by id.
    /// Files at the deck's top level (flat copies of all resources) are ignored.
    public static func loadDeck(_ directory: URL) throws(CareGapError) -> [ECQMTestCase] {
        let fm = FileManager.default
        guard let entries = try? fm.contentsOfDirectory(atPath: directory.path) else {
            throw CareGapError("cannot read the test directory \(directory.path)")
        }
        let names = readNames(directory.appendingPathComponent("README.txt"))
        var cases: [ECQMTestCase] = []
        for entry in entries.sorted() {
            let folder = directory.appendingPathComponent(entry)
            var isDirectory: ObjCBool = false
            guard fm.fileExists(atPath: folder.path, isDirectory: &isDirectory), isDirectory.boolValue,
                  let files = try? fm.contentsOfDirectory(atPath: folder.path),
                  let report = files.sorted().first(where: { $0.hasPrefix("MeasureReport") && $0.hasSuffix(".json") }) else { continue }
            cases.append(try parse(report: folder.appendingPathComponent(report), id: entry, folder: folder, name: names[entry]))
        }
        if cases.isEmpty { throw CareGapError("no test cases in \(directory.path): expected one folder per patient, each with a MeasureReport-*.json") }
        return cases
    }

    static func parse(report url: URL, id: String, folder: URL, name: String?) throws(CareGapError) -> ECQMTestCase {
        guard let data = FileManager.default.contents(atPath: url.path),
              let json = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw CareGapError("\(id)/\(url.lastPathComponent): not a JSON object")
        }
        guard json["resourceType"] as? String == "MeasureReport" else { throw CareGapError("\(id)/\(url.lastPathComponent): not a MeasureReport") }
        guard let period = json["period"] as? [String: Any], let start = period["start"] as? String, let end = period["end"] as? String else {
            throw CareGapError("\(id)/\(url.lastPathComponent): no period.start and period.end")
        }
        var expected: [(String, [MeasurePopulation: Int])] = []
        for (index, group) in ((json["group"] as? [[String: Any]]) ?? []).enumerated() {
            var counts: [MeasurePopulation: Int] = [:]
            for population in (group["population"] as? [[String: Any]]) ?? [] {
                guard let coding = ((population["code"] as? [String: Any])?["coding"] as? [[String: Any]])?.first,
                      let code = coding["code"] as? String, let kind = MeasurePopulation(rawValue: code) else { continue }
                counts[kind] = (population["count"] as? Int) ?? 0
            }
            expected.append((String(index + 1), counts))
        }
        if expected.isEmpty { throw CareGapError("\(id)/\(url.lastPathComponent): no group with populations") }
        let description = ((json["extension"] as? [[String: Any]]) ?? [])
            .first { ($0["url"] as? String)?.hasSuffix("cqfm-testCaseDescription") == true }?["valueMarkdown"] as? String
        return ECQMTestCase(id: id, name: name ?? description, folder: folder, periodStart: String(start.prefix(10)),
                            periodEnd: String(end.prefix(10)), expected: expected)
    }

    /// `uuid = name` lines of a deck's README.txt.
    static func readNames(_ url: URL) -> [String: String] {
        guard let data = FileManager.default.contents(atPath: url.path), let text = String(data: data, encoding: .utf8) else { return [:] }
        var out: [String: String] = [:]
        for line in text.split(whereSeparator: \.isNewline) {
            let parts = line.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            if parts.count == 2, parts[0].count == 36 { out[parts[0]] = parts[1] }
        }
        return out
    }
}
