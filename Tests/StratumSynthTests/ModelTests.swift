import StratumStore
import Foundation
@testable import StratumSynth
import XCTest

/// Checks of the generative model against its latent parameters (which the archive does not carry).
final class ModelTests: XCTestCase {
    /// Mean 2024 PDC (PQA-style, per therapy class) must fall with the latent adherence class.
    func testPDCFollowsTheLatentAdherenceClass() {
        let period = SynthPeriod(startYear: 2015, endYear: 2025)
        let directory = Directory(seed: 77, patients: 3_000)
        let simulator = PatientSimulator(period: period, directory: directory)
        let yearStart = CivilDate.days(year: 2024, month: 1, day: 1), yearEnd = CivilDate.days(year: 2024, month: 12, day: 31)
        var byClass = [[Double]](repeating: [], count: 3)
        for index in 0..<3_000 {
            var out = ChunkBuffers()
            simulator.run(index: index, seed: 77, into: &out)
            for therapy in Therapy.allCases {
                let fills = simulator.dispenses
                    .filter { $0.drug.therapy == therapy }
                    .map { (day: $0.handedOver / 86_400, supply: $0.supply) }
                    .filter { $0.day >= yearStart && $0.day <= yearEnd }
                    .sorted { $0.day < $1.day }
                guard fills.count >= 2, yearEnd - fills[0].day >= 91 else { continue }
                let end = min(yearEnd, simulator.profile.exitDay - 1)
                var coveredUntil = fills[0].day, covered = 0
                for fill in fills {
                    let start = max(fill.day, coveredUntil)
                    covered += max(0, min(start + fill.supply, end + 1) - start)
                    coveredUntil = start + fill.supply
                }
                byClass[simulator.profile.adherenceClass].append(Double(covered) / Double(end - fills[0].day + 1))
            }
        }
        let means = byClass.map { $0.reduce(0, +) / Double(max(1, $0.count)) }
        XCTAssertTrue(byClass.allSatisfy { $0.count >= 20 }, "\(byClass.map(\.count))")
        XCTAssertGreaterThan(means[0], 0.93)
        XCTAssertGreaterThan(means[0], means[1] + 0.1)
        XCTAssertGreaterThan(means[1], means[2] + 0.05)
    }

    /// Patients with better metformin coverage have lower HbA1c, other things equal.
    func testMetforminCoverageLowersHbA1c() {
        let simulator = PatientSimulator(period: SynthPeriod(startYear: 2015, endYear: 2025),
                                         directory: Directory(seed: 5, patients: 100))
        simulator.profile.onset[ChronicCondition.diabetes.rawValue] = CivilDate.days(year: 2016, month: 1, day: 1)
        simulator.profile.a1cBase = 9
        simulator.profile.a1cSlope = 0
        simulator.profile.metforminEffect = 1.5
        let day = CivilDate.days(year: 2018, month: 6, day: 1)
        let untreated = (0..<200).map { _ in simulator.hba1c(on: day) }.reduce(0, +) / 200
        simulator.coverage[Therapy.metformin.rawValue] = [(day - 120, day + 30)]
        let treated = (0..<200).map { _ in simulator.hba1c(on: day) }.reduce(0, +) / 200
        XCTAssertEqual(untreated, 9, accuracy: 0.1)
        XCTAssertEqual(treated, 7.5, accuracy: 0.1)
        XCTAssertEqual(simulator.coveredFraction(.metformin, before: day, days: 90), 1)
        XCTAssertEqual(simulator.coveredFraction(.metformin, before: day - 100, days: 90), 20.0 / 90, accuracy: 1e-9)
    }

    func testDistributions() {
        var rng = Xoshiro256(seed: 1)
        let n = 200_000
        var sum = 0.0, squares = 0.0, beta = 0.0, gamma = 0.0
        for _ in 0..<n {
            let x = rng.normal()
            sum += x; squares += x * x
            beta += rng.beta(6, 4)
            gamma += rng.gamma(shape: 1.5, scale: 0.45)
        }
        XCTAssertEqual(sum / Double(n), 0, accuracy: 0.01)
        XCTAssertEqual(squares / Double(n), 1, accuracy: 0.01)
        XCTAssertEqual(beta / Double(n), 0.6, accuracy: 0.005)
        XCTAssertEqual(gamma / Double(n), 0.675, accuracy: 0.01)
        var a = Xoshiro256(seed: 9, stream: 1, index: 2), b = Xoshiro256(seed: 9, stream: 1, index: 2)
        XCTAssertEqual((0..<10).map { _ in a.next() }, (0..<10).map { _ in b.next() })
    }

    func testJSONFormatting() {
        var json = JSONText()
        json.fixed(7.25, places: 1); json.raw(" ")
        json.fixed(-0.04, places: 1); json.raw(" ")
        json.fixed(12, places: 0); json.raw(" ")
        json.int(-1_234_567); json.raw(" ")
        json.dateTime(CivilDate.days(year: 2024, month: 2, day: 29) * 86_400 + 13 * 3600 + 5 * 60 + 9); json.raw(" ")
        json.date(CivilDate.days(year: 1969, month: 12, day: 31))
        XCTAssertEqual(String(decoding: json.bytes, as: UTF8.self),
                       "7.3 0.0 12 -1234567 \"2024-02-29T13:05:09Z\" \"1969-12-31\"")
        for day in stride(from: -800_000, through: 800_000, by: 997) {
            let (y, m, d) = CivilDate.civil(days: day)
            XCTAssertEqual(CivilDate.days(year: y, month: m, day: d), day)
        }
        json.reset()
        json.id(ResourceID(key: 1, kind: 2, counter: 3))
        let id = String(decoding: json.bytes, as: UTF8.self)
        XCTAssertNotNil(id.range(of: #"^"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}"$"#,
                                 options: .regularExpression), id)
    }

    func testNPIs() {
        XCTAssertEqual(Directory.npi(index: 0, salt: 0).count, 10)
        // CMS's published example NPI 1234567893 passes the same check.
        let digits = ("80840" + "1234567893").compactMap(\.wholeNumberValue)
        var sum = 0
        for (i, digit) in digits.reversed().enumerated() { sum += i % 2 == 1 ? (digit * 2 > 9 ? digit * 2 - 9 : digit * 2) : digit }
        XCTAssertEqual(sum % 10, 0)
        XCTAssertEqual(Set((0..<5_000).map { Directory.npi(index: $0, salt: 12_345) }).count, 5_000)
    }
}
