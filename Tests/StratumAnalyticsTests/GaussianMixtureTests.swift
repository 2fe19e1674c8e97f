import XCTest
@testable import StratumAnalytics

final class GaussianMixtureTests: XCTestCase {
    func testPlantedBlobsRecoveredWithProbabilities() throws {
        let (x, truth) = ClusterTestData.blobs(k: 3, perCluster: 300, dimension: 3)
        for covariance in CovarianceType.allCases {
            let fit = try Clustering.fit(x, options: ClusterOptions(method: .gmm, k: 3, seed: 5, restarts: 2, covariance: covariance))
            XCTAssertGreaterThanOrEqual(ClusterMetrics.adjustedRandIndex(truth, fit.assignments), 0.99, "\(covariance)")
            let m = try XCTUnwrap(fit.memberships)
            for i in stride(from: 0, to: x.rows, by: 37) {
                XCTAssertEqual((0..<3).reduce(0.0) { $0 + m[i, $1] }, 1, accuracy: 1e-9)
                XCTAssertEqual(fit.probabilities![i], m[i, fit.assignments[i] - 1])
            }
            XCTAssertEqual(fit.predict(x), fit.assignments)
            // BIC with scikit-learn's parameter count: full 3·(3·4/2) + 3·3 + 2 = 29; diagonal 3·3 + 3·3 + 2 = 20.
            let p = covariance == .full ? 29.0 : 20.0
            XCTAssertEqual(fit.bic!, -2 * fit.logLikelihood! + p * log(Double(x.rows)), accuracy: 1e-6)
            XCTAssertEqual(fit.logLikelihood!, fit.meanLogLikelihood! * Double(x.rows), accuracy: 1e-6)
        }
    }

    func testSameSeedSameResultWithParallelBlocks() throws {
        // 24,000 rows: 3 blocks, so the E- and M-steps run in parallel.
        let (x, _) = ClusterTestData.blobs(k: 4, perCluster: 6_000, dimension: 3, spread: 5)
        let options = ClusterOptions(method: .gmm, k: 4, seed: 21, restarts: 2, covariance: .full)
        let a = try Clustering.fit(x, options: options), b = try Clustering.fit(x, options: options)
        XCTAssertEqual(a.assignments, b.assignments)
        XCTAssertEqual(a.memberships, b.memberships)
        XCTAssertEqual(a.logLikelihood, b.logLikelihood)
    }

    func testSingleComponentIsTheSampleGaussian() throws {
        // k = 1, diagonal: the MLE mean and (population) variance + 1e-6; LL in closed form.
        let x = Matrix([[1, 2], [3, 6], [5, 4], [7, 8]])
        let fit = try Clustering.fit(x, options: ClusterOptions(method: .gmm, k: 1, seed: 1, restarts: 1, covariance: .diagonal))
        let mix = try XCTUnwrap(fit.mixture)
        XCTAssertEqual(mix.means[0, 0], 4, accuracy: 1e-9)
        XCTAssertEqual(mix.means[0, 1], 5, accuracy: 1e-9)
        XCTAssertEqual(mix.covariances[0], 5 + 1e-6, accuracy: 1e-9)
        XCTAssertEqual(mix.covariances[1], 5 + 1e-6, accuracy: 1e-9)
        let v = 5 + 1e-6
        let expected = -0.5 * (2 * log(2 * Double.pi) + 2 * log(v)) - 0.5 * (20 + 20) / v / 4
        XCTAssertEqual(fit.meanLogLikelihood!, expected, accuracy: 1e-9)
    }

    /// Mean log-likelihood within 1% of scikit-learn's GaussianMixture(n_init=5).
    func peerCheck(_ dataset: String, k: Int, covariance: CovarianceType) throws {
        let (x, peer) = try ClusterTestData.peerDataset(dataset, peer: """
            from sklearn.mixture import GaussianMixture
            X = np.loadtxt(sys.argv[1], delimiter=',')
            m = GaussianMixture(int(sys.argv[2]), covariance_type=sys.argv[3], n_init=5, random_state=0).fit(X)
            print(json.dumps({'score': float(m.score(X)), 'bic': float(m.bic(X))}))
            """, arguments: [String(k), covariance.rawValue])
        let fit = try Clustering.fit(x, options: ClusterOptions(method: .gmm, k: k, seed: 7, restarts: 5, covariance: covariance))
        let score = try XCTUnwrap(peer["score"] as? Double)
        XCTAssertEqual(fit.meanLogLikelihood!, score, accuracy: 0.01 * abs(score), "\(dataset) k=\(k) \(covariance)")
        let bic = try XCTUnwrap(peer["bic"] as? Double)
        print("peer check gmm \(dataset) k=\(k) \(covariance.rawValue): stratum mean LL \(fit.meanLogLikelihood!), scikit-learn \(score); BIC \(fit.bic!) vs \(bic)")
        XCTAssertEqual(fit.bic!, bic, accuracy: 0.01 * abs(bic), "\(dataset) k=\(k) \(covariance)")
    }

    func testPeerBreastCancerFullK3() throws { try peerCheck("breast_cancer", k: 3, covariance: .full) }
    func testPeerBreastCancerDiagK3() throws { try peerCheck("breast_cancer", k: 3, covariance: .diagonal) }
    func testPeerDiabetesFullK2() throws { try peerCheck("diabetes", k: 2, covariance: .full) }
    func testPeerDiabetesDiagK2() throws { try peerCheck("diabetes", k: 2, covariance: .diagonal) }
}
