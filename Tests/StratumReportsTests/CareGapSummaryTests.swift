import XCTest
@testable import StratumReports

final class CareGapSummaryTests: XCTestCase {
    func testMeasureCountsAndRates() throws {
        let summary = CareGapSummary(run: SamplePanel.run)
        XCTAssertEqual(summary.measureRows.map(\.measure.id), ["cms122", "cms165"])
        let cms122 = summary.measureRows[0].counts
        XCTAssertEqual([cms122.initialPopulation, cms122.denominator, cms122.denominatorExclusion, cms122.denominatorException,
                        cms122.numerator, cms122.openGaps], [24, 24, 4, 0, 14, 14])
        XCTAssertEqual(cms122.performanceDenominator, 20)
        XCTAssertEqual(try XCTUnwrap(cms122.rate), 0.7, accuracy: 1e-12)
        // Inverse measure: the rate is still the numerator's share (and the numerator is the gap).
        XCTAssertEqual(summary.rate(cms122), .value(14.0 / 20.0))
        XCTAssertEqual(summary.gapRate(cms122), .value(14.0 / 20.0))

        let cms165 = summary.measureRows[1].counts
        XCTAssertEqual([cms165.initialPopulation, cms165.denominator, cms165.denominatorExclusion, cms165.numerator, cms165.openGaps],
                       [30, 30, 4, 13, 13])
        XCTAssertEqual(summary.rate(cms165), .value(0.5))
        XCTAssertEqual(summary.gapRate(cms165), .value(0.5))
        // Provider 501's CMS122 performance denominator is 12 − 2 = 10: a small cell.
        let provider = try XCTUnwrap(summary.providerRows.first { $0.measure.id == "cms122" && $0.key == "501" })
        XCTAssertEqual(provider.counts.performanceDenominator, 10)
        XCTAssertEqual(summary.rate(provider.counts), .suppressed)
    }

    func testSuppressionRule() {
        let summary = CareGapSummary(run: SamplePanel.run)
        XCTAssertEqual(summary.cell(0), .count(0))
        XCTAssertEqual(summary.cell(1), .suppressed)
        XCTAssertEqual(summary.cell(10), .suppressed)
        XCTAssertEqual(summary.cell(11), .count(11))
        XCTAssertEqual(summary.text(10), "<11")
        XCTAssertEqual(summary.text(0), "0")

        var counts = CareGapSummary.Counts()
        XCTAssertEqual(summary.rate(counts), .undefined)
        counts.denominator = 30
        counts.numerator = 12
        XCTAssertEqual(summary.rate(counts), .value(0.4))
        counts.denominatorExclusion = 25   // performance denominator 5: suppressed
        counts.numerator = 0
        XCTAssertEqual(summary.rate(counts), .suppressed)

        var run = SamplePanel.run
        run.minCell = 0
        let unsuppressed = CareGapSummary(run: run)
        XCTAssertEqual(unsuppressed.cell(1), .count(1))
        XCTAssertEqual(unsuppressed.rate(unsuppressed.providerRows[0].counts), .value(7.0 / 10.0))
    }

    func testProviderAndCareSiteRows() throws {
        let summary = CareGapSummary(run: SamplePanel.run)
        let providers = summary.providerRows.filter { $0.measure.id == "cms165" }
        XCTAssertEqual(providers.map(\.key), ["501", "502", "503", "unattributed"])
        XCTAssertEqual(providers.map(\.name), ["Dr. Ana Ruiz", "Dr. \"Sam\" O'Neil, MD", "Dr. Lee Chen", ""])
        XCTAssertEqual(providers.map(\.counts.initialPopulation), [15, 11, 3, 1])
        XCTAssertEqual(providers.map(\.counts.initialPopulation).reduce(0, +), summary.measureRows[1].counts.initialPopulation)
        XCTAssertEqual(summary.rate(providers[2].counts), .suppressed)
        let sites = summary.careSiteRows.filter { $0.measure.id == "cms165" }
        XCTAssertEqual(sites.map(\.key), ["71", "72", "unattributed"])
        XCTAssertEqual(sites.map(\.counts.initialPopulation).reduce(0, +), 30)
        XCTAssertEqual(summary.rows.count, summary.measureRows.count + summary.providerRows.count + summary.careSiteRows.count)
    }

    /// Several groups, exceptions, a group the measure does not declare, a measure the run does
    /// not describe, and a person the run does not list.
    func testGroupsOrderingAndUnknowns() {
        let measure = MeasureDescriptor(
            id: "cms347", cmsId: "CMS347v8", title: "Statin Therapy", version: "1", url: nil, improvement: .increase,
            groups: [MeasureGroup(id: "2", title: "Diabetes", populations: [.initialPopulation, .denominator, .denominatorException, .numerator]),
                     MeasureGroup(id: "1", title: "ASCVD", populations: [.initialPopulation, .denominator, .numerator])],
            valueSetSource: "x", scriptFile: "cms347.stratum")
        let patient = PatientSummary(personId: 7, age: 60, sex: "male", providerId: 9, providerName: "P", careSiteId: nil, careSiteName: nil)
        func outcome(_ measure: String, _ group: String, _ person: Int64, _ populations: Set<MeasurePopulation>) -> MeasureOutcome {
            MeasureOutcome(measureId: measure, groupId: group, personId: person, populations: populations, hasGap: false, evidence: [])
        }
        let run = CareGapRun(
            periodStart: "2025-01-01", periodEnd: "2025-12-31", generatedAt: "t", engineVersion: "v", dataSnapshot: "d", minCell: 0,
            measures: [measure], patients: [patient],
            outcomes: [outcome("zz", "1", 7, [.initialPopulation]),
                       outcome("cms347", "9", 8, [.initialPopulation, .numeratorExclusion]),
                       outcome("cms347", "2", 8, [.initialPopulation, .denominator, .denominatorException]),
                       outcome("cms347", "2", 7, [.initialPopulation, .denominator, .numerator])],
            timings: [:])
        let index = CareGapRunIndex(run: run)
        XCTAssertEqual(index.buckets.map { "\($0.measure.id)/\($0.group.id)" }, ["cms347/2", "cms347/1", "cms347/9", "zz/1"])
        XCTAssertEqual(index.buckets[0].outcomes, [3, 2], "by person id")
        XCTAssertEqual(index.populations(of: index.buckets[2]), [.initialPopulation, .numeratorExclusion])
        XCTAssertEqual(index.groupLabel(index.buckets[0]), "group 2: Diabetes")
        XCTAssertEqual(index.patients.map(\.personId), [7, 8])

        let summary = CareGapSummary(index: index)
        let group2 = summary.measureRows[0].counts
        XCTAssertEqual(group2.denominatorException, 1)
        XCTAssertEqual(group2.performanceDenominator, 1)
        XCTAssertEqual(summary.rate(group2), .value(1))
        XCTAssertEqual(summary.rate(summary.measureRows[1].counts), .undefined)
        XCTAssertEqual(summary.providerRows.filter { $0.group.id == "2" }.map(\.key), ["9", "unattributed"])
    }
}
