import XCTest
import StratumAnalytics

/// Small cases whose CMAs are derived on paper (day numbers from 1970-01-01 = day 0).
final class CMAHandBuiltTests: XCTestCase {
    func ev(_ day: Int, _ duration: Double, _ med: String = "a", dose: Double = 1, patient: String = "p") -> MedicationEvent {
        MedicationEvent(patient: patient, day: day, duration: duration, dose: dose, medication: med)
    }

    /// A(day 0, 30 d), B(40, 20), C(50, 20), D(100, 10); FUW [0, 200), OW [20, 120).
    /// OW events (20 ≤ day ≤ 120): B, C, D.
    /// - CMA1 = (20 + 20) / (100 − 40) = 40/60; CMA3 = min(CMA1, 1).
    /// - CMA2 = (20 + 20 + 10) / (120 − 40) = 50/80; CMA4 = min(CMA2, 1).
    /// - Gaps inside the OW only (CMA5/6): B interval 10, supply 20 → carry 10; C interval 50, supply 30 → gap 20;
    ///   D interval to the OW end 20, supply 10 → gap 10. CMA5 = 1 − 20/60; CMA6 = 1 − 30/80.
    /// - CMA7 (carry from before): A covers [0,30) → 10 days of the OW; B [40,50) 10; C [50,80) 30; D [100,110) 10:
    ///   60/100.
    /// - CMA8: A's supply ends on day 30 → OW lagged to [30, 120): (10 + 30 + 10)/90 = 50/90.
    /// - CMA9 (intervals over the FUW): A 40 d at 30/40, B 10 d at 1, C 50 d at 30/50, D to the FUW end 100 d at 10/100;
    ///   days in the OW 20, 10, 50, 20 → (15 + 10 + 30 + 2)/100 = 0.57.
    func testEachCMAOnPaper() {
        let events = [ev(0, 30), ev(40, 20), ev(50, 20), ev(100, 10)][...]
        let calc = CMACalculator(parameters: CMAParameters(followUpStart: 0, followUpDays: 200, observationStart: 20, observationDays: 100))
        let expected: [Double] = [40.0 / 60, 50.0 / 80, 40.0 / 60, 50.0 / 80, 1 - 20.0 / 60, 1 - 30.0 / 80, 0.6, 50.0 / 90, 0.57]
        for k in 1...9 {
            XCTAssertEqual(calc.cma(k, events: events) ?? .nan, expected[k - 1], accuracy: 1e-12, "CMA\(k)")
        }
    }

    /// Oversupply: A(0, 100), B(10, 100); FUW [0, 400), OW [0, 200). CMA1 = 100/10 = 10, CMA3 = 1;
    /// CMA2 = 200/200 = 1 = CMA4; carry-over covers [0, 200) entirely → CMA5…CMA8 = 1;
    /// CMA9: A 10 d at 1, B to the FUW end 390 d with 190 supply (100 + 90 carried) → ratio 190/390, 190 d in the OW:
    /// (10 + 190 × 190/390)/200.
    func testOversupplyCapsOnlyCMA3AndCMA4() {
        let events = [ev(0, 100), ev(10, 100)][...]
        let calc = CMACalculator(parameters: CMAParameters(followUpStart: 0, followUpDays: 400, observationStart: 0, observationDays: 200))
        XCTAssertEqual(calc.cma(1, events: events) ?? .nan, 10, accuracy: 1e-12)
        XCTAssertEqual(calc.cma(3, events: events) ?? .nan, 1, accuracy: 1e-12)
        XCTAssertEqual(calc.cma(2, events: events) ?? .nan, 1, accuracy: 1e-12)
        XCTAssertEqual(calc.cma(4, events: events) ?? .nan, 1, accuracy: 1e-12)
        for k in 5...8 { XCTAssertEqual(calc.cma(k, events: events) ?? .nan, 1, accuracy: 1e-12, "CMA\(k)") }
        XCTAssertEqual(calc.cma(9, events: events) ?? .nan, (10 + 190 * 190.0 / 390) / 200, accuracy: 1e-12)
    }

    /// X(0, a, dose 2, 30 d), Y(10, b, dose 4, 10 d); FUW = OW = [0, 40).
    /// Default: X leaves 20 days for Y → Y covers [10, 40) → CMA7 = 40/40 = 1.
    /// Carry only for the same medication: Y starts from 0 → covers [10, 20) → (10 + 10)/40 = 0.5.
    /// Dosage change: the 20 carried days halve (2/4) → Y covers 20 of its 30 days → (10 + 20)/40 = 0.75.
    func testCarryOverRules() {
        let events = [ev(0, 30, "a", dose: 2), ev(10, 10, "b", dose: 4)][...]
        var p = CMAParameters(followUpStart: 0, followUpDays: 40, observationStart: 0, observationDays: 40)
        XCTAssertEqual(CMACalculator(parameters: p).cma(7, events: events) ?? .nan, 1, accuracy: 1e-12)
        p.carryOnlyForSameMedication = true
        XCTAssertEqual(CMACalculator(parameters: p).cma(7, events: events) ?? .nan, 0.5, accuracy: 1e-12)
        p.carryOnlyForSameMedication = false
        p.considerDosageChange = true
        XCTAssertEqual(CMACalculator(parameters: p).cma(7, events: events) ?? .nan, 0.75, accuracy: 1e-12)
    }

    /// One event in the OW: CMA1/3/5 need two events (nil); CMA2 = 30/(100 − 10). An OW outside the FUW: all nil.
    func testUndefinedCases() {
        let events = [ev(0, 30), ev(10, 30)][...]
        let calc = CMACalculator(parameters: CMAParameters(followUpStart: 0, followUpDays: 200, observationStart: 5, observationDays: 95))
        XCTAssertNil(calc.cma(1, events: events))
        XCTAssertNil(calc.cma(3, events: events))
        XCTAssertNil(calc.cma(5, events: events))
        XCTAssertEqual(calc.cma(2, events: events) ?? .nan, 30.0 / 90, accuracy: 1e-12)
        let outside = CMACalculator(parameters: CMAParameters(followUpStart: 0, followUpDays: 100, observationStart: 50, observationDays: 100))
        for k in 1...9 { XCTAssertNil(outside.cma(k, events: events), "CMA\(k)") }
        XCTAssertNil(calc.cma(10, events: events))
        XCTAssertNil(calc.cma(1, events: [][...]))
    }

    /// A(0, 30), B(100, 30), C(300, 30), max gap 100, FUW [0, 365): A's gap 70 keeps B in episode 1; B's gap
    /// (300 − 130 = 170) splits; episode 1 = [0, 130) with end gap 170. C is last: its gap to the FUW end
    /// (365 − 330 = 35) is permissible, so episode 2 = [300, 365). Per-episode CMA9: episode 1 has A 100 d at
    /// 30/100 and B 30 d at 1 → 60/130; episode 2: 30/65.
    func testEpisodesOnPaper() {
        let events = [ev(0, 30), ev(100, 30), ev(300, 30)][...]
        let calc = CMACalculator(parameters: CMAParameters(followUpStart: 0, followUpDays: 365, observationStart: 0, observationDays: 365))
        let eps = calc.episodes(events: events, maxGap: 100)
        XCTAssertEqual(eps.map(\.startDay), [0, 300])
        XCTAssertEqual(eps.map(\.endDay), [130, 365])
        XCTAssertEqual(eps.map(\.endGapDays), [170, 35])
        XCTAssertEqual(eps.map(\.eventRange), [0..<2, 2..<3])
        let per = calc.perEpisode([9], events: events, maxGap: 100)
        XCTAssertEqual(per[0].values[8] ?? .nan, 60.0 / 130, accuracy: 1e-12)
        XCTAssertEqual(per[1].values[8] ?? .nan, 30.0 / 65, accuracy: 1e-12)
        // A medication change splits only when asked.
        let changed = [ev(0, 30, "a"), ev(20, 30, "b")][...]
        XCTAssertEqual(calc.episodes(events: changed, maxGap: 100).count, 2)
        XCTAssertEqual(calc.episodes(events: changed, maxGap: 100, medicationChangeStartsEpisode: false).count, 1)
    }

    /// OW [0, 100), windows of 30 every 20 → starts 0, 20, 40, 60 (the next, 80, would end past the OW).
    func testSlidingWindowPlacement() {
        let events = [ev(0, 200)][...]
        let calc = CMACalculator(parameters: CMAParameters(followUpStart: 0, followUpDays: 300, observationStart: 0, observationDays: 100))
        let w = calc.slidingWindows([7, 9], events: events, windowDays: 30, stepDays: 20)
        XCTAssertEqual(w.map(\.startDay), [0, 20, 40, 60])
        XCTAssertEqual(w.map(\.endDay), [30, 50, 70, 90])
        for x in w { XCTAssertEqual(x.values[6] ?? .nan, 1, accuracy: 1e-12); XCTAssertNil(x.values[0]) }
    }

    func testDatesAndGrouping() {
        XCTAssertEqual(CMADate.parse(Array("04/10/2036".utf8), format: "%m/%d/%Y").map(CMADate.iso), "2036-04-10")
        XCTAssertEqual(CMADate.parse(Array("2036-02-29".utf8), format: "%Y-%m-%d").map(CMADate.iso), "2036-02-29")
        XCTAssertNil(CMADate.parse(Array("2037-02-29".utf8), format: "%Y-%m-%d"))
        XCTAssertNil(CMADate.parse(Array("13/01/2036".utf8), format: "%m/%d/%Y"))
        XCTAssertEqual(CMADate.day(year: 1970, month: 1, day: 1), 0)
        XCTAssertFalse(CMADate.isSupported(format: "%Y-%b-%d"))
        let g = CMACalculator.groupByPatient([ev(5, 1, patient: "b"), ev(3, 1, patient: "a"), ev(1, 1, patient: "b"), ev(3, 2, patient: "a")])
        XCTAssertEqual(g.patients, [0..<2, 2..<4])
        XCTAssertEqual(g.events.map(\.day), [1, 5, 3, 3])
        XCTAssertEqual(g.events.map(\.duration), [1, 1, 1, 2])  // ties keep input order
    }
}

/// The CSV reader: quoting, CRLF, BOM, blank lines, and errors that name line and column only.
final class CMAEventCSVTests: XCTestCase {
    let columns = MedicationEventCSV.Columns(id: "id", date: "date", duration: "days", dose: "dose", medication: "class", dateFormat: "%Y-%m-%d")

    func testQuotedFieldsCRLFAndBOM() throws {
        let text = "\u{FEFF}id,date,days,dose,class\r\n\"Doe, \"\"J\"\"\",2036-02-29,30,2.5,\"med A\"\r\n\r\nP2,2036-03-01,1.5,1,b\r\n"
        let events = try MedicationEventCSV.parse(Array(text.utf8), name: "x.csv", columns: columns)
        XCTAssertEqual(events.count, 2)
        XCTAssertEqual(events[0].patient, "Doe, \"J\"")
        XCTAssertEqual(events[0].medication, "med A")
        XCTAssertEqual(events[0].dose, 2.5)
        XCTAssertEqual(CMADate.iso(events[0].day), "2036-02-29")
        XCTAssertEqual(events[1].duration, 1.5)
    }

    func testErrorsNameLineAndColumn() {
        func message(_ text: String) -> String {
            do { _ = try MedicationEventCSV.parse(Array(text.utf8), name: "x.csv", columns: columns); return "" } catch { return "\(error)" }
        }
        XCTAssertTrue(message("id,date,days,dose,class\nP1,2036-01-01,30,0,a\n").hasPrefix("x.csv:2:4:"))
        XCTAssertTrue(message("id,date,days,dose,class\nP1,2036-01-01,30,1\n").hasPrefix("x.csv:2:"))
        XCTAssertTrue(message("id,date,days,dose,class\nP1,\"2036-01-01,30,1,a\n").hasPrefix("x.csv:2:2:"))
        XCTAssertTrue(message("id,when,days,dose,class\n").contains("--date"))
        XCTAssertFalse(message("id,date,days,dose,class\nSECRET,2036-13-01,30,1,a\n").contains("SECRET"))
    }
}
