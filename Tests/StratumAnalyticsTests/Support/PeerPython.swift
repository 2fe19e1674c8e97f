import Foundation
import XCTest

/// The Python with the pinned peer libraries (scikit-learn, statsmodels, pandas): `STRATUM_PEER_PYTHON`,
/// else `.venv-peers/bin/python` at the repository root (`make peers`; `make test` makes it first).
/// Tests that compare against a peer skip, saying why, when there is none.
enum PeerPython {
    static let repoRoot: URL = {
        var url = URL(fileURLWithPath: #filePath)
        while url.path != "/" {
            url.deleteLastPathComponent()
            if FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) { return url }
        }
        return URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
    }()

    /// `../shared` beside the checkout (sample archives and reference cases).
    static var shared: URL { repoRoot.deletingLastPathComponent().appendingPathComponent("shared") }

    static func executable() throws -> String {
        if let path = ProcessInfo.processInfo.environment["STRATUM_PEER_PYTHON"], !path.isEmpty { return path }
        let venv = repoRoot.appendingPathComponent(".venv-peers/bin/python").path
        guard FileManager.default.isExecutableFile(atPath: venv) else {
            throw XCTSkip("no peer Python: run `make peers` (or set STRATUM_PEER_PYTHON) to compare against scikit-learn/statsmodels")
        }
        return venv
    }

    /// Runs `script` (Python source) with `arguments`; returns stdout. Fails the test on a non-zero exit.
    static func run(_ script: String, arguments: [String] = [], file: StaticString = #filePath, line: UInt = #line) throws -> String {
        let python = try executable()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = ["-c", script] + arguments
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            XCTFail("peer script exited \(process.terminationStatus): \(String(decoding: stderr, as: UTF8.self))", file: file, line: line)
            throw XCTSkip("peer script failed")
        }
        return String(decoding: stdout, as: UTF8.self)
    }

    /// Parses the peer's stdout as one JSON object.
    static func json(_ script: String, arguments: [String] = []) throws -> [String: Any] {
        let text = try run(script, arguments: arguments)
        guard let object = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any] else {
            throw XCTSkip("peer script printed no JSON object")
        }
        return object
    }
}
