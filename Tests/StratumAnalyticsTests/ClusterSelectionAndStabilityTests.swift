import XCTest
@testable import StratumAnalytics

final class KSelectionTests: XCTestCase {
    func testRecommendsPlantedK() throws {
        let (x, _) = ClusterTestData.blobs(k: 4, perCluster: 150, dimension: 4)
        for method in [ClusterMethod.kmeans, .ward, .gmm] {
            let table = try Clustering.chooseK(x, range: 2...6, options: ClusterOptions(method: method, k: 2, seed: 3, restarts: 3, covariance: .diagonal))
            XCTAssertEqual(table.recommendedK, 4, "\(method)")
            XCTAssertEqual(table.rows.map(\.k), [2, 3, 4, 5, 6])
            XCTAssertEqual(table.criterion, method == .gmm ? "bic" : "silhouette")
            XCTAssertEqual(table.rows.allSatisfy { $0.bic != nil }, method == .gmm)
            let svg = table.svg()
            XCTAssertTrue(svg.hasPrefix("<svg") && svg.hasSuffix("</svg>\n") && !svg.contains("<script"))
        }
    }
}

final class ClusterStabilityTests: XCTestCase {
    func testSeparatedClustersAreStable() throws {
        let (x, _) = ClusterTestData.blobs(k: 3, perCluster: 100, dimension: 2)
        let fit = try Clustering.fit(x, options: ClusterOptions(method: .kmeans, k: 3, seed: 8, restarts: 2))
        let s = try Clustering.stability(x, fit: fit, replicates: 10)
        XCTAssertEqual(s.adjustedRand.count, 10)
        XCTAssertGreaterThan(s.meanAdjustedRand, 0.99)
        XCTAssertTrue(s.jaccard.allSatisfy { $0 > 0.98 }, "\(s.jaccard)")
        let again = try Clustering.stability(x, fit: fit, replicates: 10)
        XCTAssertEqual(again.adjustedRand, s.adjustedRand)
    }

    func testNoStructureIsUnstable() throws {
        // Uniform noise cut into 5: the partition moves between replicates.
        let random = SeededRandom(seed: 4)
        let x = Matrix(rows: 300, columns: 2, storage: (0..<600).map { _ in random.uniform() })
        let fit = try Clustering.fit(x, options: ClusterOptions(method: .kmeans, k: 5, seed: 8, restarts: 1))
        let s = try Clustering.stability(x, fit: fit, replicates: 10)
        XCTAssertLessThan(s.meanAdjustedRand, 0.9)
        XCTAssertLessThanOrEqual(s.adjustedRandLower, s.meanAdjustedRand)
        XCTAssertGreaterThanOrEqual(s.adjustedRandUpper, s.meanAdjustedRand)
    }
}
