import Foundation
import StratumQuery
import StratumStore
import XCTest

/// What the constructs eCQM measures need mean, on hand-made rows: `overlapping`, workflow
/// attributes (`where status in (…)`, rows without a status pass), `value is missing`,
/// `value in`, `at visit not in`, the `device` and `order` domains, and the `measure` statement.
final class MeasureLanguageTests: XCTestCase {
    let header = """
        param period = 2025-01-01 .. 2025-12-31
        valueset Dx = snomed:1
        valueset Lab = loinc:4548-4
        valueset Yes = snomed:373066001
        valueset Acute = omop:9203

        """

    func day(_ iso: String) -> SQLValue { .integer(Int64(Fixture.day(iso))) }

    func testOverlappingUsesTheConditionsPrevalencePeriod() throws {
        let f = try Fixture()
        for id in 1...5 { try f.person(Int64(id), born: "1960-01-01") }
        // 1: ongoing since 2018 (no end, no status) — overlaps. 2: ended in 2020 — does not.
        // 3: resolved without an end date — a one-day span in 2018, does not. 4: active, no end — overlaps.
        // 5: starts the day after the period — does not.
        let rows: [(Int64, String, String?, String?)] = [(1, "2018-03-01", nil, nil), (2, "2018-03-01", "2020-01-01", nil),
                                                         (3, "2018-03-01", nil, "resolved"), (4, "2018-03-01", nil, "active"),
                                                         (5, "2026-01-01", nil, "active")]
        for (person, start, end, status) in rows {
            try f.insert(CDMSchema.conditionOccurrence, [
                "person_id": .integer(person), "condition_start_date": day(start), "condition_end_date": end.map(day) ?? .null,
                "condition_status_source_value": status.map { .text($0) } ?? .null, "source_system": .text("snomed"), "source_code": .text("1"),
            ])
        }
        try f.run(header + """
            cohort Prevalent entry on end of period for everyone
              require condition in Dx overlapping period
            cohort FirstHalf entry on end of period for everyone
              require condition in Dx overlapping start of period .. 1 day before 6 months after start of period
            """)
        XCTAssertEqual(try f.persons("Prevalent"), [1, 4])
        XCTAssertEqual(try f.persons("FirstHalf"), [1, 4])
    }

    func testWorkflowStatusFiltersPassRowsWithoutAStatus() throws {
        let f = try Fixture()
        for id in 1...3 { try f.person(Int64(id), born: "1960-01-01") }
        for (person, status) in [(Int64(1), "finished"), (2, "cancelled")] {
            try f.insert(CDMSchema.visitOccurrence, ["visit_occurrence_id": .integer(person), "person_id": .integer(person),
                                                    "visit_start_date": day("2025-03-01"), "visit_end_date": day("2025-03-01"),
                                                    "status_source_value": .text(status)])
        }
        try f.insert(CDMSchema.visitOccurrence, ["visit_occurrence_id": .integer(3), "person_id": .integer(3),
                                                "visit_start_date": day("2025-03-01"), "visit_end_date": day("2025-03-01")])
        try f.run(header + """
            cohort Seen entry on end of period for everyone
              require visit where status in ("finished", "in-progress") during period
            cohort NotFinished entry on end of period for everyone
              require visit where status not in ("finished") during period
            """)
        XCTAssertEqual(try f.persons("Seen"), [1, 3], "cancelled fails, no status passes")
        XCTAssertEqual(try f.persons("NotFinished"), [2, 3])
    }

    func testValueIsMissingOnTheMostRecentDay() throws {
        let f = try Fixture()
        for id in 1...3 { try f.person(Int64(id), born: "1960-01-01") }
        // 1: latest day has a result without a value. 2: latest day has 7.1. 3: no result.
        try f.measurement(1, "4548-4", on: "2025-02-01", value: 10, unit: "%")
        try f.insert(CDMSchema.measurement, ["person_id": .integer(1), "measurement_date": day("2025-06-01"),
                                            "source_system": .text("loinc"), "source_code": .text("4548-4")])
        try f.measurement(2, "4548-4", on: "2025-06-01", value: 7.1, unit: "%")
        try f.run(header + """
            cohort NoResult entry on end of period for everyone
              require lowest on last day measurement in Lab during period value is missing
            cohort HasResult entry on end of period for everyone
              require last measurement in Lab during period value is not missing
            cohort High entry on end of period for everyone
              require lowest on last day measurement in Lab during period value > 9 %
            """)
        XCTAssertEqual(try f.persons("NoResult"), [1])
        XCTAssertEqual(try f.persons("HasResult"), [2])
        // A comparison with a unit reads only results it can compare (docs/LANGUAGE.md 7.7): the
        // valueless result is skipped, so person 1's most recent comparable day is 2025-02-01.
        XCTAssertEqual(try f.persons("High"), [1])
    }

    func testValueInTestsTheSelectedObservationsCodedAnswer() throws {
        let f = try Fixture()
        for id in 1...2 { try f.person(Int64(id), born: "1950-01-01") }
        // Person 1 said yes, then no: the last answer counts. Person 2 said yes last.
        let answers: [(Int64, String, String)] = [(1, "2025-01-01", "373066001"), (1, "2025-05-01", "373067005"), (2, "2025-05-01", "373066001")]
        for (person, date, answer) in answers {
            try f.insert(CDMSchema.observation, ["person_id": .integer(person), "observation_date": day(date),
                                                "source_system": .text("loinc"), "source_code": .text("45755-6"),
                                                "value_source_system": .text("snomed"), "value_source_code": .text(answer)])
        }
        try f.run(header + """
            cohort SaidYesLast entry on end of period for everyone
              require last observation in loinc:45755-6 during period value in Yes
            cohort EverYes entry on end of period for everyone
              require observation in loinc:45755-6 value in Yes during period
            """)
        XCTAssertEqual(try f.persons("SaidYesLast"), [2])
        XCTAssertEqual(try f.persons("EverYes"), [1, 2])
    }

    func testAtVisitNotInSkipsReadingsFromAcuteVisits() throws {
        let f = try Fixture()
        for id in 1...2 { try f.person(Int64(id), born: "1960-01-01") }
        try f.insert(CDMSchema.visitOccurrence, ["visit_occurrence_id": .integer(10), "person_id": .integer(1), "visit_concept_id": .integer(9203),
                                                "visit_start_date": day("2025-06-01")])
        try f.insert(CDMSchema.measurement, ["person_id": .integer(1), "measurement_date": day("2025-06-01"), "visit_occurrence_id": .integer(10),
                                            "source_system": .text("loinc"), "source_code": .text("4548-4"), "value_as_number": .real(5)])
        try f.measurement(2, "4548-4", on: "2025-06-01", value: 5, unit: nil)
        try f.run(header + """
            cohort Outpatient entry on end of period for everyone
              require measurement in Lab at visit not in Acute during period
            """)
        XCTAssertEqual(try f.persons("Outpatient"), [2], "no visit counts as not acute")
    }

    func testDeviceAndOrderDomainsAndDoNotPerform() throws {
        let f = try Fixture()
        for id in 1...3 { try f.person(Int64(id), born: "1950-01-01") }
        for (person, flag) in [(Int64(1), SQLValue.null), (2, .integer(1))] {
            try f.insert(CDMSchema.deviceExposure, ["person_id": .integer(person), "device_exposure_start_date": day("2025-04-01"),
                                                   "source_system": .text("snomed"), "source_code": .text("183240000"),
                                                   "status_source_value": .text("completed"), "intent_source_value": .text("order"),
                                                   "do_not_perform": flag])
        }
        try f.insert(CDMSchema.serviceRequest, ["person_id": .integer(3), "service_request_date": day("2025-04-01"),
                                               "source_system": .text("snomed"), "source_code": .text("385763009"),
                                               "status_source_value": .text("draft"), "intent_source_value": .text("order")])
        try f.run(header + """
            cohort Wheelchair entry on end of period for everyone
              require device in snomed:183240000 where do_not_perform = 0 during period
            cohort HospiceOrder entry on end of period for everyone
              require order in snomed:385763009 where status in ("active", "completed") during period
            cohort AnyOrder entry on end of period for everyone
              require order in snomed:385763009 during period
            """)
        XCTAssertEqual(try f.persons("Wheelchair"), [1])
        XCTAssertEqual(try f.persons("HospiceOrder"), [], "a draft order is not active or completed")
        XCTAssertEqual(try f.persons("AnyOrder"), [3])
    }

    /// On a calendar entry, age is a birth-date range found once; birthdays on the day itself and
    /// 29 February must agree with the per-row formula.
    func testAgeOnACalendarEntryDayAtTheBirthdayBoundaries() throws {
        let f = try Fixture()
        try f.person(1, born: "2007-12-31")      // 18 on 2025-12-31
        try f.person(2, born: "2008-01-01")      // 17
        try f.person(3, born: "1950-12-31")      // 75
        try f.person(4, born: "1949-12-31")      // 76
        try f.person(5, born: "2004-02-29")      // 20 on 2025-02-28 (the birthday is 1 March)
        try f.insert(CDMSchema.person, ["person_id": .integer(6), "year_of_birth": .integer(2000)])   // 25 by year
        try f.run(header + """
            cohort Adults entry on end of period for everyone
              require age between 18 and 75
            cohort Twenty entry on 2025-02-28 for everyone
              require age = 20
            cohort Over20 entry on 2025-02-28 for everyone
              require age > 20
            """)
        XCTAssertEqual(try f.persons("Adults"), [1, 3, 5, 6])
        XCTAssertEqual(try f.persons("Twenty"), [5])
        XCTAssertEqual(try f.persons("Over20"), [3, 4, 6])
    }

    func testMeasureStatementBindsPopulationsAndEvidence() throws {
        let f = try Fixture()
        try f.person(1, born: "1960-01-01")
        let session = try Session(store: f.store)
        try session.run(SourceFile(name: "m.stratum", text: header + """
            cohort Everyone entry on end of period for everyone
            cohort Treated from Everyone at end of period
              require condition in Dx
            measure M1 "A measure"
              version "1.0" improvement decrease
              initial population Everyone
              denominator Everyone
              numerator Treated
              evidence age, condition in Dx as "has dx"
            """))
        let m = try XCTUnwrap(session.environment.measures["m1"]?.value)
        XCTAssertEqual(m.improvement, "decrease")
        XCTAssertEqual(m.groups.map(\.id), ["1"])
        XCTAssertEqual(m.groups[0].populations.map(\.code), ["initial-population", "denominator", "numerator"])
        XCTAssertEqual(m.evidence.count, 2)
        let table = try session.table(of: "Everyone", columns: [.person] + m.evidence, title: "M1")
        XCTAssertEqual(table.columns, ["person", "age", "has dx"])
    }

    func testMeasureWithoutANumeratorIsAnError() throws {
        let f = try Fixture()
        let session = try Session(store: f.store)
        XCTAssertThrowsError(try session.run(SourceFile(name: "m.stratum", text: header + """
            cohort Everyone entry on end of period for everyone
            measure M2
              initial population Everyone
              denominator Everyone
              denominator exclusion Nobody
            """))) { error in
            let text = String(describing: error)
            XCTAssertTrue(text.contains("unknown cohort 'Nobody'") || text.contains("Nobody"), text)
            XCTAssertTrue(text.contains("has no numerator"), text)
        }
    }

    /// `overlapping from L to U` with bounds relative to the entry: "overlaps the encounter" and,
    /// with a second window, CQL's "overlaps after" (overlaps it and ends after its last day).
    func testOverlappingBetweenBoundsRelativeToTheEntry() throws {
        let f = try Fixture()
        for id in 1...5 { try f.person(Int64(id), born: "1960-01-01") }
        // Every person has a visit on 2025-03-10 … 2025-03-12.
        for id in 1...5 {
            try f.insert(CDMSchema.visitOccurrence, ["visit_occurrence_id": .integer(Int64(id)), "person_id": .integer(Int64(id)),
                                                    "visit_start_date": day("2025-03-10"), "visit_end_date": day("2025-03-12"),
                                                    "source_system": .text("snomed"), "source_code": .text("185463005")])
        }
        // 1: active since 2020, no end — overlaps and lasts after. 2: ends on the visit's last day —
        // overlaps, does not last after. 3: ended the day before the visit — neither.
        // 4: starts the day after the visit — neither. 5: resolved without an end, starting on the
        // visit's first day — a one-day span: overlaps, does not last after.
        let rows: [(Int64, String, String?, String?)] = [(1, "2020-01-01", nil, "active"), (2, "2024-06-01", "2025-03-12", nil),
                                                         (3, "2024-06-01", "2025-03-09", nil), (4, "2025-03-13", nil, "active"),
                                                         (5, "2025-03-10", nil, "resolved")]
        for (person, start, end, status) in rows {
            try f.insert(CDMSchema.conditionOccurrence, [
                "person_id": .integer(person), "condition_start_date": day(start), "condition_end_date": end.map(day) ?? .null,
                "condition_status_source_value": status.map { .text($0) } ?? .null, "source_system": .text("snomed"), "source_code": .text("1"),
            ])
        }
        try f.run(header + """
            cohort During entry visit in snomed:185463005
              require condition in Dx overlapping from entry to entry end
              exit 0 days after entry end
            cohort LastsAfter entry visit in snomed:185463005
              require condition in Dx overlapping from entry to entry end overlapping from 1 day after entry end to any time
              exit 0 days after entry end
            cohort Between entry visit in snomed:185463005
              require condition in Dx overlapping between 2 days before entry and entry
            """)
        XCTAssertEqual(try f.persons("During"), [1, 2, 5])
        XCTAssertEqual(try f.rows("During").first, "1 2025-03-10…2025-03-12")
        XCTAssertEqual(try f.persons("LastsAfter"), [1])
        XCTAssertEqual(try f.persons("Between"), [1, 2, 3, 5], "3 ended the day before the visit, inside the two days before it")
    }

    func testOverlappingBoundsMustBeWholeDays() throws {
        let f = try Fixture()
        let session = try Session(store: f.store)
        XCTAssertThrowsError(try session.run(SourceFile(name: "m.stratum", text: header + """
            cohort C entry visit
              require condition in Dx overlapping from 2 hours before entry to entry
            """))) { error in
            XCTAssertTrue(String(describing: error).contains("'overlapping' compares whole days"), String(describing: error))
        }
        XCTAssertThrowsError(try session.run(SourceFile(name: "m.stratum", text: header + """
            cohort C entry visit
              require condition in Dx ending overlapping from entry to entry end
            """))) { error in
            XCTAssertTrue(String(describing: error).contains("leave out 'starting'/'ending'"), String(describing: error))
        }
    }

    /// `where type = 32838` keeps prescriptions (FHIR MedicationRequest) and leaves out
    /// dispensings (32825) and statements (32865) of the same drug.
    func testDrugTypeTellsPrescriptionsFromDispensings() throws {
        let f = try Fixture()
        for id in 1...3 { try f.person(Int64(id), born: "1960-01-01") }
        for (person, type) in [(Int64(1), Int64(32838)), (2, 32825), (3, 32865)] {
            try f.insert(CDMSchema.drugExposure, ["person_id": .integer(person), "drug_exposure_start_date": day("2025-04-01"),
                                                 "drug_type_concept_id": .integer(type), "source_system": .text("rxnorm"), "source_code": .text("617312")])
        }
        try f.run(header + """
            cohort Prescribed entry on end of period for everyone
              require drug in rxnorm:617312 where type = 32838 during period
            cohort NotPrescribed entry on end of period for everyone
              require drug in rxnorm:617312 where type != 32838 during period
            """)
        XCTAssertEqual(try f.persons("Prescribed"), [1])
        XCTAssertEqual(try f.persons("NotPrescribed"), [2, 3])
    }
}
