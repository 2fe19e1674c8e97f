import XCTest
@testable import StratumAnalytics

final class KMeansTests: XCTestCase {
    func testHandComputedTwoClusters() throws {
        // {0, 1, 2} and {10, 11, 12} on a line: centres 1 and 11, inertia 2 + 2.
        let x = Matrix([[0], [1], [2], [10], [11], [12], [11]])
        let fit = try Clustering.fit(x, options: ClusterOptions(method: .kmeans, k: 2, seed: 1))
        XCTAssertEqual(fit.assignments, [2, 2, 2, 1, 1, 1, 1])  // the larger cluster is number 1
        XCTAssertEqual(fit.sizes, [4, 3])
        XCTAssertEqual(fit.centroids[0, 0], 11, accuracy: 1e-12)
        XCTAssertEqual(fit.centroids[1, 0], 1, accuracy: 1e-12)
        XCTAssertEqual(fit.inertia, 2 + 2, accuracy: 1e-12)
        XCTAssertTrue(fit.converged)
        XCTAssertEqual(fit.predict(Matrix([[3], [9]])), [2, 1])
    }

    func testPlantedBlobsRecovered() throws {
        let (x, truth) = ClusterTestData.blobs(k: 5, perCluster: 400, dimension: 4)
        let fit = try Clustering.fit(x, options: ClusterOptions(method: .kmeans, k: 5, seed: 11))
        XCTAssertGreaterThanOrEqual(ClusterMetrics.adjustedRandIndex(truth, fit.assignments), 0.99)
        XCTAssertEqual(fit.sizes, [400, 400, 400, 400, 400])
    }

    func testSameSeedSameResultWithParallelBlocks() throws {
        // 60,000 rows: 8 blocks, so assignment runs in parallel.
        let (x, _) = ClusterTestData.blobs(k: 6, perCluster: 10_000, dimension: 5, spread: 4)
        let options = ClusterOptions(method: .kmeans, k: 6, seed: 99, restarts: 3)
        let a = try Clustering.fit(x, options: options), b = try Clustering.fit(x, options: options)
        XCTAssertEqual(a.assignments, b.assignments)
        XCTAssertEqual(a.centroids, b.centroids)
        XCTAssertEqual(a.inertia, b.inertia)
        let c = try Clustering.fit(x, options: ClusterOptions(method: .kmeans, k: 6, seed: 100, restarts: 1))
        XCTAssertEqual(c.assignments.count, x.rows)
    }

    func testEmptyClusterIsRelocated() throws {
        // Three identical rows and one far: k = 3 forces relocation; every cluster keeps a row.
        let x = Matrix([[0, 0], [0, 0], [0, 0], [5, 5], [5, 5.1]])
        let fit = try Clustering.fit(x, options: ClusterOptions(method: .kmeans, k: 3, seed: 4))
        XCTAssertEqual(fit.sizes.reduce(0, +), 5)
        XCTAssertFalse(fit.sizes.contains(0), "\(fit.sizes)")
    }

    func testRejectsBadInput() {
        XCTAssertThrowsError(try Clustering.fit(Matrix([[1], [2]]), options: ClusterOptions(k: 3)))
        XCTAssertThrowsError(try Clustering.fit(Matrix([[1], [.nan]]), options: ClusterOptions(k: 1)))
    }

    /// Inertia within 0.5% of scikit-learn's KMeans(n_init=10, lloyd) and ARI ≥ 0.95.
    func peerCheck(_ dataset: String, k: Int) throws {
        let (x, peer) = try ClusterTestData.peerDataset(dataset, peer: """
            from sklearn.cluster import KMeans
            X = np.loadtxt(sys.argv[1], delimiter=',')
            m = KMeans(int(sys.argv[2]), n_init=10, algorithm='lloyd', random_state=0).fit(X)
            print(json.dumps({'inertia': float(m.inertia_), 'labels': [int(v) for v in m.labels_]}))
            """, arguments: [String(k)])
        let fit = try Clustering.fit(x, options: ClusterOptions(method: .kmeans, k: k, seed: 2026, restarts: 10))
        let inertia = try XCTUnwrap(peer["inertia"] as? Double)
        XCTAssertEqual(fit.inertia, inertia, accuracy: 0.005 * inertia, "\(dataset) k=\(k)")
        let labels = try XCTUnwrap(peer["labels"] as? [Int])
        print("peer check k-means \(dataset) k=\(k): stratum inertia \(fit.inertia), scikit-learn \(inertia), ARI \(ClusterMetrics.adjustedRandIndex(labels, fit.assignments))")
        XCTAssertGreaterThanOrEqual(ClusterMetrics.adjustedRandIndex(labels, fit.assignments), 0.95, "\(dataset) k=\(k)")
    }

    func testPeerBreastCancerK3() throws { try peerCheck("breast_cancer", k: 3) }
    func testPeerDiabetesK2() throws { try peerCheck("diabetes", k: 2) }
}
