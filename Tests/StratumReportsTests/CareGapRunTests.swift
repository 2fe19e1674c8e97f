import XCTest
@testable import StratumReports

final class CareGapRunTests: XCTestCase {
    func testPopulationsSortInMeasureOrder() {
        XCTAssertEqual([MeasurePopulation.numerator, .initialPopulation, .denominatorExclusion, .denominator].sorted(),
                       [.initialPopulation, .denominator, .denominatorExclusion, .numerator])
    }
}
