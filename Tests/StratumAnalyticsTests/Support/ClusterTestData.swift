import Foundation
import XCTest
@testable import StratumAnalytics

enum ClusterTestData {
    /// `k` well-separated spherical Gaussian blobs (centres 10 SD apart on distinct axes), `perCluster`
    /// rows each, in cluster order; returns the matrix and the planted labels.
    static func blobs(k: Int, perCluster: Int, dimension d: Int, seed: UInt64 = 3, spread: Double = 1) -> (Matrix, [Int]) {
        let random = SeededRandom(seed: seed)
        var storage: [Double] = []
        var labels: [Int] = []
        for c in 0..<k {
            for _ in 0..<perCluster {
                for j in 0..<d {
                    let centre = (j == c % d ? 10.0 : 0) * Double(1 + c / d) + (c >= d && j == (c + 1) % d ? 10 : 0)
                    storage.append(centre + spread * random.gaussian())
                }
                labels.append(c)
            }
        }
        return (Matrix(rows: k * perCluster, columns: d, storage: storage), labels)
    }

    /// A scikit-learn data set, standardised (population SD), written to a temp CSV by the peer
    /// Python; returns the matrix read back from that CSV and the CSV path.
    static func peerDataset(_ name: String) throws -> (Matrix, URL) {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("stratum-peer-\(name)-\(UUID().uuidString).csv")
        _ = try PeerPython.run("import sys, numpy as np; from sklearn import datasets; X = getattr(datasets, 'load_' + sys.argv[1])().data; X = (X - X.mean(0)) / X.std(0); np.savetxt(sys.argv[2], X, delimiter=',', fmt='%.17g')",
                               arguments: [name, url.path])
        let text = try String(contentsOf: url, encoding: .utf8)
        let rows = text.split(separator: "\n").map { $0.split(separator: ",").map { Double($0)! } }
        return (Matrix(rows), url)
    }
}
