import Foundation
import XCTest

/// Runs the built `stratum` binary (beside the test bundle) and captures what it prints.
struct CLIResult {
    var status: Int32
    var stdout: String
    var stderr: String
}

enum CLI {
    static var binary: URL {
        var dir = URL(fileURLWithPath: CommandLine.arguments.first { $0.hasSuffix(".xctest") } ?? CommandLine.arguments[0])
        while dir.pathExtension == "xctest" || dir.lastPathComponent == "xctest" { dir.deleteLastPathComponent() }
        if !FileManager.default.fileExists(atPath: dir.appendingPathComponent("stratum").path) {
            dir = Bundle.main.bundleURL
        }
        return dir.appendingPathComponent("stratum")
    }

    static var repoRoot: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }

    static func sharedData(_ name: String) throws -> String {
        let path = repoRoot.deletingLastPathComponent().appendingPathComponent("shared/data/\(name)").path
        guard FileManager.default.fileExists(atPath: path) else { throw XCTSkip("\(name) not found at \(path)") }
        return path
    }

    static func start(_ arguments: [String]) throws -> (Process, Pipe, Pipe) {
        let process = Process()
        process.executableURL = binary
        process.arguments = arguments
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        return (process, out, err)
    }

    @discardableResult
    static func run(_ arguments: [String]) throws -> CLIResult {
        let (process, out, err) = try start(arguments)
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return CLIResult(status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
                         stderr: String(decoding: stderr, as: UTF8.self))
    }

    static func tempDir() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("stratum-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir
    }
}

/// Compares text with a golden file under Tests/StratumCLITests/Golden/. With
/// STRATUM_RECORD_GOLDEN=1 the file is rewritten and the test still fails, so recording is never silent.
func assertGolden(_ actual: String, _ name: String, file: StaticString = #filePath, line: UInt = #line) throws {
    let url = CLI.repoRoot.appendingPathComponent("Tests/StratumCLITests/Golden/\(name)")
    if ProcessInfo.processInfo.environment["STRATUM_RECORD_GOLDEN"] == "1" {
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try actual.write(to: url, atomically: true, encoding: .utf8)
        XCTFail("recorded golden file \(name); run again without STRATUM_RECORD_GOLDEN", file: file, line: line)
        return
    }
    let expected = try String(contentsOf: url, encoding: .utf8)
    XCTAssertEqual(actual, expected, "differs from golden file \(name)", file: file, line: line)
}
