import XCTest
@testable import StratumAnalytics

final class ClusterMetricsTests: XCTestCase {
    func testAdjustedRandHandComputed() {
        XCTAssertEqual(ClusterMetrics.adjustedRandIndex([1, 1, 2, 2], [5, 5, 9, 9]), 1)
        XCTAssertEqual(ClusterMetrics.adjustedRandIndex([0, 0, 0], [1, 1, 1]), 1)
        // Contingency [[1,1],[1,1]]: index 0, expected (2·2)/6 = 2/3, max 2 → (0 − 2/3)/(2 − 2/3) = −0.5.
        XCTAssertEqual(ClusterMetrics.adjustedRandIndex([0, 0, 1, 1], [0, 1, 0, 1]), -0.5, accuracy: 1e-12)
    }

    func testAdjustedRandMatchesScikitLearn() throws {
        let random = SeededRandom(seed: 12)
        var cases: [([Int], [Int])] = []
        for n in [10, 57, 300] {
            let a = (0..<n).map { _ in random.integer(below: 4) }
            let b = a.map { random.uniform() < 0.7 ? $0 : random.integer(below: 5) }
            cases.append((a, b))
        }
        let arg = cases.map { "\($0.0.map(String.init).joined(separator: ","))|\($0.1.map(String.init).joined(separator: ","))" }.joined(separator: ";")
        let peer = try PeerPython.json("""
            import sys, json
            from sklearn.metrics import adjusted_rand_score
            out = [adjusted_rand_score([int(v) for v in a.split(',')], [int(v) for v in b.split(',')]) for a, b in (c.split('|') for c in sys.argv[1].split(';'))]
            print(json.dumps({'ari': out}))
            """, arguments: [arg])
        let expected = try XCTUnwrap(peer["ari"] as? [Double])
        for (c, e) in zip(cases, expected) { XCTAssertEqual(ClusterMetrics.adjustedRandIndex(c.0, c.1), e, accuracy: 1e-12) }
    }

    func testSilhouetteHandComputedAndSampled() {
        // Clusters {0, 1} and {4}: row 0: a = 1, b = 4 → 0.75; row 1: a = 1, b = 3 → 2/3; row 2: singleton → 0.
        let x = Matrix([[0], [1], [4]])
        XCTAssertEqual(ClusterMetrics.silhouette(x, labels: [1, 1, 2]).mean!, (0.75 + 2.0 / 3) / 3, accuracy: 1e-12)
        let (blobs, truth) = ClusterTestData.blobs(k: 3, perCluster: 100, dimension: 2)
        let sampled = ClusterMetrics.silhouette(blobs, labels: truth, sampleLimit: 120, seed: 3)
        XCTAssertEqual(sampled.sampled, 120)
        XCTAssertGreaterThan(sampled.mean!, 0.8)
    }
}
