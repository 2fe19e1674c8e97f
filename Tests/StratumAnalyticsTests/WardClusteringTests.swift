import XCTest
@testable import StratumAnalytics

final class WardClusteringTests: XCTestCase {
    func testHandComputedMerges() {
        // 0, 1, 5, 6, 20 on a line: merges {0,1} and {5,6} at cost 0.5 each, then {0,1}+{5,6} at
        // 2·2/4·25 = 25, then + {20} at 4·1/5·(20−3)² = 231.2.
        let x = Matrix([[0], [1], [5], [6], [20]])
        let costs = WardClustering.merges(x).map(\.cost).sorted()
        XCTAssertEqual(costs.count, 4)
        for (a, b) in zip(costs, [0.5, 0.5, 25, 231.2]) { XCTAssertEqual(a, b, accuracy: 1e-9) }
        XCTAssertEqual(WardClustering.cut(WardClustering.merges(x), n: 5, k: 2).map(Int.init), [0, 0, 0, 0, 1])
    }

    func testMatchesScipyLinkageWard() throws {
        let (x, _) = ClusterTestData.blobs(k: 4, perCluster: 40, dimension: 3, spread: 4)
        let rows = (0..<x.rows).map { i in (0..<x.columns).map { String(format: "%.17g", x[i, $0]) }.joined(separator: ",") }.joined(separator: ";")
        let peer = try PeerPython.json("""
            import sys, json, numpy as np
            from scipy.cluster.hierarchy import linkage, fcluster
            X = np.array([[float(v) for v in r.split(',')] for r in sys.argv[1].split(';')])
            Z = linkage(X, method='ward')
            print(json.dumps({'labels': [int(v) for v in fcluster(Z, 4, criterion='maxclust')], 'heights': [float(h) for h in Z[:, 2]]}))
            """, arguments: [rows])
        let fit = try Clustering.fit(x, options: ClusterOptions(method: .ward, k: 4, seed: 1))
        XCTAssertEqual(ClusterMetrics.adjustedRandIndex(try XCTUnwrap(peer["labels"] as? [Int]), fit.assignments), 1)
        // scipy's heights are √(2 · Ward cost).
        let heights = try XCTUnwrap(peer["heights"] as? [Double])
        let ours = WardClustering.merges(x).map { (2 * $0.cost).squareRoot() }.sorted()
        for (a, b) in zip(ours, heights.sorted()) { XCTAssertEqual(a, b, accuracy: 1e-8 * max(1, b)) }
    }

    func testSubsampleAboveExactLimit() throws {
        let (x, truth) = ClusterTestData.blobs(k: 3, perCluster: 1_000, dimension: 3)
        let options = ClusterOptions(method: .ward, k: 3, seed: 9, exactLimit: 500)
        let fit = try Clustering.fit(x, options: options)
        XCTAssertEqual(fit.sampledRows, 500)
        XCTAssertGreaterThanOrEqual(ClusterMetrics.adjustedRandIndex(truth, fit.assignments), 0.99)
        XCTAssertEqual(try Clustering.fit(x, options: options).assignments, fit.assignments)
        XCTAssertEqual(fit.predict(x), fit.assignments)
    }
}
