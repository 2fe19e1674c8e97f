import Foundation
import XCTest

/// The command line as a script sees it: help text, exit codes, JSON.
final class CLITests: XCTestCase {
    func testHelpTextsMatchGoldenFiles() throws {
        for (arguments, golden) in [([String]("--help".split(separator: " ").map(String.init)), "help.txt"),
                                    (["import", "--help"], "import-help.txt"), (["info", "--help"], "info-help.txt"), (["synth", "--help"], "synth-help.txt"),
                                    (["forecast", "hba1c", "--help"], "forecast-hba1c-help.txt")] {
            let result = try CLI.run(arguments)
            XCTAssertEqual(result.status, 0)
            try assertGolden(result.stdout, golden)
        }
    }

    func testUsageErrorsExitWithTwo() throws {
        let missing = try CLI.run(["import", "--db", "x.sqlite"])
        XCTAssertEqual(missing.status, 2)
        XCTAssertTrue(missing.stderr.contains("ARCHIVE"), missing.stderr)
        XCTAssertEqual(try CLI.run(["import", "a.zip"]).status, 2)  // no --db
        XCTAssertEqual(try CLI.run(["frobnicate"]).status, 2)
        XCTAssertEqual(try CLI.run(["import", "a.zip", "--db", "x", "--max-inflate-ratio", "0"]).status, 2)
    }

    func testDataErrorsExitWithThreeAndNameTheInput() throws {
        let dir = try CLI.tempDir()
        let junk = dir.appendingPathComponent("junk.tar.gz")
        try Data("this is not an archive of anything\n".utf8).write(to: junk)
        let result = try CLI.run(["import", junk.path, "--db", dir.appendingPathComponent("s.sqlite").path])
        XCTAssertEqual(result.status, 3)
        XCTAssertTrue(result.stderr.contains("junk.tar.gz"), result.stderr)
        XCTAssertTrue(result.stderr.contains("the store is unchanged"), result.stderr)
    }

    func testInfoOnMissingStoreFails() throws {
        let result = try CLI.run(["info", "--db", "/nonexistent/dir/s.sqlite"])
        XCTAssertEqual(result.status, 1)
        XCTAssertTrue(result.stderr.contains("cannot open store"), result.stderr)
    }
}
