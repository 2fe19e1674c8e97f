import XCTest
@testable import StratumAnalytics

final class ClusterProfileTests: XCTestCase {
    func testHandComputedProfile() throws {
        // Cluster 1: glucose 100, 102, 104 (mean 102, sd 2); cluster 2: 150, 160 (mean 155).
        let x = Matrix([[100, 50], [102, 52], [104, 54], [150, 50], [160, 60]])
        let p = ClusterProfile(x, assignments: [1, 1, 1, 2, 2], k: 2, featureNames: ["glucose", "age"])
        let c1 = p.clusters[0]
        XCTAssertEqual(c1.size, 3)
        XCTAssertEqual(c1.share, 0.6, accuracy: 1e-12)
        XCTAssertEqual(c1.features[0].mean, 102, accuracy: 1e-12)
        // t(0.975, 2) = 4.302653; half-width 4.302653 · 2/√3.
        XCTAssertEqual(c1.features[0].upper!, 102 + 4.302652729911275 * 2 / 3.0.squareRoot(), accuracy: 1e-6)
        // SMD glucose: (102 − 155) / √((4 + 50)/2).
        XCTAssertEqual(c1.features[0].smd, (102 - 155) / 27.0.squareRoot(), accuracy: 1e-9)
        XCTAssertEqual(c1.separating.first?.name, "glucose")
        XCTAssertTrue(p.text().contains("cluster 1: 3 rows (60.0%); most different: −10.20 glucose"), p.text())
        let csv = p.csvRows()
        XCTAssertEqual(csv.count, 1 + 2 * 2)
        XCTAssertEqual(csv[1][3], "glucose")
        let svg = p.svg()
        XCTAssertTrue(svg.contains("glucose") && svg.contains("Cluster 1 (n=3, 60%)") && !svg.contains("<script"))
    }
}
