import XCTest
import StratumAnalytics

/// AdhereR's vignette (patients 37 and 76 of med.events): every printed number is parsed from
/// `vignette_outputs.txt` and compared with the Swift CMAs computed with the vignette's parameters.
final class CMAVignetteTests: XCTestCase {
    var events: [MedicationEvent] = []
    var vignette = CMAReference.Vignette()

    override func setUpWithError() throws {
        events = try CMAReference.medEvents()
        vignette = try CMAReference.vignette()
    }

    func testParsedTheVignette() {
        XCTAssertEqual(vignette.cma1.count, 2)
        XCTAssertEqual(vignette.percentLines.count, 4)
        XCTAssertEqual(vignette.episodes.count, 5)
        XCTAssertEqual(vignette.windows.count, 12)
    }

    /// cma1 <- CMA1(…, followup.window.start=0, observation.window.start=182, observation.window.duration=365)
    func testCMA1() throws {
        let calc = CMACalculator(parameters: CMAParameters(followUpStart: 0, followUpDays: 730, observationStart: 182, observationDays: 365))
        for (id, expected) in vignette.cma1 {
            let value = try XCTUnwrap(calc.cma(1, events: CMAReference.patient(id, in: events)))
            XCTAssertEqual(value, expected, accuracy: 5e-7, "patient \(id)")
        }
        let percent = try XCTUnwrap(calc.cma(1, events: CMAReference.patient("76", in: events))) * 100
        XCTAssertEqual((percent * 100).rounded() / 100, vignette.percentLines[0][0], accuracy: 1e-9)
    }

    /// cma8 <- CMA8(…, carry.only.for.same.medication=FALSE, consider.dosage.change=FALSE,
    ///              followup.window.start=0, observation.window.start=374, observation.window.duration=294)
    func testCMA8LaggedWindow() throws {
        let calc = CMACalculator(parameters: CMAParameters(followUpStart: 0, followUpDays: 730, observationStart: 374, observationDays: 294))
        let value = try XCTUnwrap(calc.cma(8, events: CMAReference.patient("76", in: events)))
        XCTAssertEqual((value * 10000).rounded() / 100, vignette.percentLines[1][0], accuracy: 1e-9)
    }

    /// cmaE <- CMA_per_episode(CMA="CMA9", carryover.within.obs.window=TRUE, carry.only.for.same.medication=FALSE,
    ///   consider.dosage.change=FALSE, medication.change.means.new.treatment.episode=TRUE, maximum.permissible.gap=180,
    ///   followup.window 0 + 730, observation.window 0 + 730)
    func testCMA9PerEpisode() throws {
        let calc = CMACalculator(parameters: CMAParameters(followUpStart: 0, followUpDays: 730, observationStart: 0, observationDays: 730))
        var got: [CMAWindowValue] = []
        for id in ["37", "76"] {
            got += calc.perEpisode([9], events: CMAReference.patient(id, in: events), maxGap: 180, medicationChangeStartsEpisode: true)
        }
        XCTAssertEqual(got.count, vignette.episodes.count)
        for (g, e) in zip(got, vignette.episodes) {
            XCTAssertEqual(g.patient, e.patient)
            XCTAssertEqual(g.index, e.episode)
            XCTAssertEqual(CMADate.iso(g.startDay), e.start)
            XCTAssertEqual(CMADate.iso(g.endDay), e.end)
            XCTAssertEqual(g.endDay - g.startDay, e.duration)
            XCTAssertEqual(g.endGapDays ?? -1, e.gap, accuracy: 1e-9)
            XCTAssertEqual(try XCTUnwrap(g.values[8]), e.cma, accuracy: 5e-7, "patient \(e.patient) episode \(e.episode)")
        }
        let percent76 = got.filter { $0.patient == "76" }.map { (($0.values[8] ?? .nan) * 10000).rounded() / 100 }
        XCTAssertEqual(percent76, vignette.percentLines[2])
    }

    /// cmaW <- CMA_sliding_window(CMA.to.apply="CMA9", followup.window.start=0, observation.window 0 + 730,
    ///   sliding.window.start=0, sliding.window.duration=120, sliding.window.step.duration=120)
    func testCMA9SlidingWindows() throws {
        let calc = CMACalculator(parameters: CMAParameters(followUpStart: 0, followUpDays: 730, observationStart: 0, observationDays: 730))
        var got: [CMAWindowValue] = []
        for id in ["37", "76"] {
            got += calc.slidingWindows([9], events: CMAReference.patient(id, in: events), windowDays: 120, stepDays: 120)
        }
        XCTAssertEqual(got.count, vignette.windows.count)
        for (g, e) in zip(got, vignette.windows) {
            XCTAssertEqual(g.patient, e.patient)
            XCTAssertEqual(g.index, e.window)
            XCTAssertEqual(CMADate.iso(g.startDay), e.start)
            XCTAssertEqual(CMADate.iso(g.endDay), e.end)
            XCTAssertEqual(try XCTUnwrap(g.values[8]), e.cma, accuracy: 5e-7, "patient \(e.patient) window \(e.window)")
        }
        let percent76 = got.filter { $0.patient == "76" }.map { (($0.values[8] ?? .nan) * 10000).rounded() / 100 }
        XCTAssertEqual(percent76, vignette.percentLines[3])
    }
}
