import Foundation
import XCTest

/// Where the tests find their golden files (`Tests/StratumReportsTests/Golden`, next to this
/// folder; excluded from the target's sources).
enum ReportsRepo {
    static var golden: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Golden").standardizedFileURL
    }
}

/// Compares text with `Golden/<name>`. With STRATUM_RECORD_GOLDEN=1 the file is (re)written and
/// the test still fails, so recording is never silent.
func assertGolden(_ actual: String, _ name: String, file: StaticString = #filePath, line: UInt = #line) throws {
    let url = ReportsRepo.golden.appendingPathComponent(name)
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
        if x != y { return "line \(i + 1):\n  expected: \(x.prefix(400))\n  actual:   \(y.prefix(400))" }
    }
    return "(no line differs)"
}
