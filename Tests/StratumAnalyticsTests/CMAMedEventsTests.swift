import XCTest
import StratumAnalytics

/// Every patient of AdhereR's `med.events` (1,080 events) computes, and the CMAs keep their ranges.
final class CMAMedEventsTests: XCTestCase {
    func testEveryPatientComputesWithinRange() throws {
        let events = try CMAReference.medEvents()
        XCTAssertEqual(events.count, 1080)
        let grouped = CMACalculator.groupByPatient(events)
        XCTAssertEqual(grouped.patients.count, Set(events.map(\.patient)).count)
        for p in [CMAParameters(), CMAParameters(followUpStart: 0, followUpDays: 730, observationStart: 182, observationDays: 365),
                  CMAParameters(observationStart: 30, observationDays: 300, carryOnlyForSameMedication: true, considerDosageChange: true)] {
            let calc = CMACalculator(parameters: p)
            var defined = [Int](repeating: 0, count: 10)
            for r in grouped.patients {
                let e = grouped.events[r]
                let v = (1...9).map { calc.cma($0, events: e) }
                for k in 1...9 where v[k - 1] != nil { defined[k] += 1; XCTAssertTrue(v[k - 1]!.isFinite) }
                XCTAssertEqual(v[2], v[0].map { min($0, 1) })
                XCTAssertEqual(v[3], v[1].map { min($0, 1) })
                for k in [3, 4, 5, 6, 7, 8, 9] { if let x = v[k - 1] { XCTAssertTrue((-1e-12...1 + 1e-12).contains(x), "CMA\(k) = \(x)") } }
                for k in [1, 2] { if let x = v[k - 1] { XCTAssertGreaterThanOrEqual(x, 0) } }
                let episodes = calc.perEpisode([1, 9], events: e, maxGap: 180)
                for ep in episodes { XCTAssertLessThan(ep.startDay, ep.endDay); if let x = ep.values[8] { XCTAssertTrue((0...1 + 1e-12).contains(x)) } }
                XCTAssertEqual(calc.slidingWindows([9], events: e, windowDays: 120, stepDays: 30).count, (p.observationDays - 120) / 30 + 1)
            }
            // CMA7 and CMA9 are defined for every patient (the first event, on the FUW start, precedes the OW).
            for k in [7, 9] { XCTAssertEqual(defined[k], grouped.patients.count, "CMA\(k)") }
        }
    }
}
