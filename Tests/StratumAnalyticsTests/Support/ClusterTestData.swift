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
    /// Python, which then runs `peer` (with `X` the standardised matrix and `sys.argv[2:]` the
    /// arguments) and prints one JSON object; one Python process per check, so the peer libraries
    /// are imported once. Returns the matrix read back from the CSV, and the peer's JSON.
    static func peerDataset(_ name: String, peer: String, arguments: [String]) throws -> (Matrix, [String: Any]) {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("stratum-peer-\(name)-\(UUID().uuidString).csv")
        defer { try? FileManager.default.removeItem(at: url) }
        let prefix = "import sys, json, numpy as np\nfrom sklearn import datasets\nX = getattr(datasets, 'load_' + sys.argv[1])().data\nX = (X - X.mean(0)) / X.std(0)\nnp.savetxt(sys.argv[2], X, delimiter=',', fmt='%.17g')\nsys.argv = [sys.argv[0]] + sys.argv[2:]\n"
        let json = try PeerPython.json(prefix + peer, arguments: [name, url.path] + arguments)
        let text = try String(contentsOf: url, encoding: .utf8)
        let rows = text.split(separator: "\n").map { $0.split(separator: ",").map { Double($0)! } }
        return (Matrix(rows), json)
    }
}
