import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import XCTest
@testable import StratumAnalytics

/// The SVG charts: well-formed, self-contained (no scripts or external references), labelled.
final class TrajectoryChartTests: XCTestCase {
    func assertSelfContainedSVG(_ svg: String, file: StaticString = #filePath, line: UInt = #line) {
        let parser = XMLParser(data: Data(svg.utf8))
        XCTAssertTrue(parser.parse(), "not well-formed XML: \(String(describing: parser.parserError))", file: file, line: line)
        XCTAssertTrue(svg.hasPrefix("<svg xmlns=\"http://www.w3.org/2000/svg\""), file: file, line: line)
        for forbidden in ["<script", "href=", "@import", "url("] { XCTAssertFalse(svg.contains(forbidden), forbidden, file: file, line: line) }
    }

    func testPatientChartHasPointsBandsThresholdAndDateLabels() throws {
        var rows = TrajectorySimulation(patients: 100, seed: 2).observations()
        for k in 0..<5 { rows.append(TrajectoryObservation(personID: 1, day: 18_000 + 200 * k, value: 7.5 + 0.2 * Double(k))) }
        let model = try TrajectoryModel.fit(PatientSeries.build(from: rows))
        let i = try XCTUnwrap(model.index(of: 1))
        let forecast = model.forecast(horizonDays: 365, threshold: 9)[i]
        let svg = TrajectoryChart.patientSVG(model: model, patient: i, forecast: forecast, threshold: 9)
        assertSelfContainedSVG(svg)
        XCTAssertEqual(svg.components(separatedBy: "<circle").count - 1, 5)   // the patient's results
        XCTAssertEqual(svg.components(separatedBy: "<polygon").count - 1, 2)  // 80% and 95% bands
        XCTAssertTrue(svg.contains("threshold 9 %"))
        XCTAssertTrue(svg.contains(">2020-01<"), "date tick labels (results from 2019-04-13 to 2021-06-24)")
        XCTAssertTrue(svg.contains("HbA1c (%)"))
    }

    func testCohortChartDrawsSpaghettiMeanAndBand() throws {
        let model = try TrajectoryModel.fit(TrajectorySimulation(patients: 500, seed: 3).series())
        let svg = TrajectoryChart.cohortSVG(model: model, maxPatients: 100)
        assertSelfContainedSVG(svg)
        XCTAssertTrue(svg.contains("500 patients (100 drawn)"))
        XCTAssertEqual(svg.components(separatedBy: "<polygon").count - 1, 1)
        XCTAssertTrue(svg.contains("years since the patient's first result"))
        XCTAssertTrue(svg.contains(String(format: "mean %.2f", model.beta[0])))
    }
}
