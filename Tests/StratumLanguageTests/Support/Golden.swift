import Foundation
import XCTest

/// Where the tests find the repository and their golden files.
enum Repo {
    /// The checkout's root (three levels above this file), with `..` and symlinks resolved so
    /// that paths built from it compare equal to the paths `include` resolves.
    static var root: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().standardizedFileURL
    }

    static var golden: URL { root.appendingPathComponent("Tests/StratumLanguageTests/Golden") }

    static func path(_ relative: String) -> String {
        (root.appendingPathComponent(relative).path as NSString).standardizingPath
    }

    /// Top-level files of a directory with an extension, sorted by name.
    static func files(in directory: String, ext: String) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: directory)
            .filter { ($0 as NSString).pathExtension == ext }
            .sorted()
    }
}

/// Compares text with `Golden/<name>`. With STRATUM_RECORD_GOLDEN=1 the file is (re)written and
/// the test still fails, so recording is never silent.
func assertGolden(_ actual: String, _ name: String, file: StaticString = #filePath, line: UInt = #line) throws {
    let url = Repo.golden.appendingPathComponent(name)
    if ProcessInfo.processInfo.environment["STRATUM_RECORD_GOLDEN"] == "1" {
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try actual.write(to: url, atomically: true, encoding: .utf8)
        XCTFail("recorded golden file \(name); run again without STRATUM_RECORD_GOLDEN", file: file, line: line)
        return
    }
    guard let expected = try? String(contentsOf: url, encoding: .utf8) else {
        XCTFail("no golden file \(name); record it with STRATUM_RECORD_GOLDEN=1", file: file, line: line)
        return
    }
    if actual != expected {
        XCTFail("differs from golden file \(name) (re-record with STRATUM_RECORD_GOLDEN=1 if the change is intended):\n"
                + firstDifference(expected, actual), file: file, line: line)
    }
}

/// The first line where two texts differ, for a failure message shorter than both files.
func firstDifference(_ expected: String, _ actual: String) -> String {
    let e = expected.components(separatedBy: "\n"), a = actual.components(separatedBy: "\n")
    for i in 0..<max(e.count, a.count) {
        let x = i < e.count ? e[i] : "<end of file>", y = i < a.count ? a[i] : "<end of file>"
        if x != y { return "line \(i + 1):\n  expected: \(x)\n  actual:   \(y)" }
    }
    return "(no line differs)"
}
