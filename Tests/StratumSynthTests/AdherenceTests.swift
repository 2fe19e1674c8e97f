import Foundation
import StratumSynth
import XCTest

/// Recomputes PDC (PQA-style) from the dispenses and checks it against the planted model.
final class AdherenceTests: XCTestCase {
    /// Therapy class of each chronic drug (RxNorm → class).
    static let classes: [String: String] = [
        "860975": "metformin", "861007": "metformin", "617312": "statin", "259255": "statin", "312961": "statin",
        "314076": "ras", "979492": "ras", "979480": "ras", "866427": "beta-blocker",
    ]

    func testPDCDistributionFor2024() throws {
        let (_, _, resources) = try ArchiveFixture.population()
        let calendar = Calendar(identifier: .gregorian)
        func day(_ text: String) -> Int {
            var components = DateComponents()
            components.year = Int(text.prefix(4)); components.month = Int(text.dropFirst(5).prefix(2))
            components.day = Int(text.dropFirst(8).prefix(2))
            components.timeZone = TimeZone(identifier: "UTC")
            return Int(calendar.date(from: components)!.timeIntervalSince1970 / 86_400)
        }
        let deaths = Dictionary(uniqueKeysWithValues: resources["Patient"]!.compactMap { p in
            p.string("deceasedDateTime").map { (p.string("id")!, day($0)) }
        })
        var fills: [String: [(day: Int, supply: Int)]] = [:]
        for dispense in resources["MedicationDispense"]! {
            guard let code = dispense.codes("medicationCodeableConcept").first?.split(separator: "|").last,
                  let therapy = Self.classes[String(code)] else { continue }
            let key = dispense.referenceID("subject")! + "/" + therapy
            fills[key, default: []].append((day(dispense.string("whenHandedOver")!), dispense.object("daysSupply")!["value"] as! Int))
        }
        let yearStart = day("2024-01-01"), yearEnd = day("2024-12-31")
        var pdcs: [Double] = []
        for (key, list) in fills {
            // PQA: ≥ 2 fills in the year, first fill ≥ 91 days before its end; refills shifted.
            let inYear = list.filter { $0.day >= yearStart && $0.day <= yearEnd }.sorted { $0.day < $1.day }
            guard inYear.count >= 2, yearEnd - inYear[0].day >= 91 else { continue }
            let end = min(yearEnd, deaths[String(key.prefix { $0 != "/" })] ?? yearEnd)
            var coveredUntil = inYear[0].day, covered = 0
            for fill in inYear where fill.day <= end {
                let start = max(fill.day, coveredUntil)
                covered += max(0, min(start + fill.supply, end + 1) - start)
                coveredUntil = start + fill.supply
            }
            pdcs.append(Double(covered) / Double(end - inYear[0].day + 1))
        }
        XCTAssertGreaterThan(pdcs.count, 300)
        let adherent = Double(pdcs.filter { $0 >= 0.8 }.count) / Double(pdcs.count)
        let mean = pdcs.reduce(0, +) / Double(pdcs.count)
        // docs/SYNTH.md: about 77% adherent (PDC ≥ 0.8), mean PDC about 0.88, a tail below 0.6.
        XCTAssertEqual(adherent, 0.77, accuracy: 0.07)
        XCTAssertEqual(mean, 0.88, accuracy: 0.05)
        XCTAssertGreaterThan(pdcs.filter { $0 < 0.6 }.count, pdcs.count / 20)
    }
}
