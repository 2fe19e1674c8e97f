import Foundation
import XCTest
#if canImport(Glibc)
import Glibc
#endif

/// `stratum repl --protocol json`, as the notebook kernel drives it: one JSON request per line on
/// stdin, exactly one JSON response per line on stdout. Plain pipes, no terminal. And the text
/// REPL fed by a pipe, as scripts use it.
final class ReplProtocolTests: XCTestCase {
    /// Generous: the tests share two cores with other builds.
    static let timeout: TimeInterval = 60

    private var dir: URL!
    private var db: String!

    override func setUpWithError() throws {
        (dir, db) = try ReplFixture.storeCopy()
    }

    override func tearDownWithError() throws {
        if let dir { try? FileManager.default.removeItem(at: dir) }
    }

    /// The program on the other end of the pipes. Every read has a deadline, and a watchdog
    /// kills the program if a test forgets it.
    final class Client {
        let process = Process()
        private let input = Pipe(), output = Pipe(), errors = Pipe()
        private var pending: [UInt8] = []
        private let watchdog: DispatchWorkItem
        private var errorText: ReplFixture.ErrorCollector!
        /// Every line read from stdout.
        private(set) var lines: [String] = []

        init(arguments: [String]) throws {
            process.executableURL = CLI.binary
            process.arguments = arguments
            process.standardInput = input
            process.standardOutput = output
            process.standardError = errors
            try process.run()
            errorText = ReplFixture.ErrorCollector(errors)
            let pid = process.processIdentifier
            watchdog = DispatchWorkItem { kill(pid, SIGKILL) }
            DispatchQueue.global().asyncAfter(deadline: .now() + 300, execute: watchdog)
        }

        deinit {
            watchdog.cancel()
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
            try? input.fileHandleForWriting.close()
        }

        func send(_ text: String) throws {
            try input.fileHandleForWriting.write(contentsOf: Data(text.utf8))
        }

        func closeInput() throws { try input.fileHandleForWriting.close() }

        /// The next line of stdout (without its "\n"), or nil at end of output. Throws when
        /// nothing complete arrives within `timeout`.
        func readLine(timeout: TimeInterval = ReplProtocolTests.timeout) throws -> String? {
            let deadline = Date().addingTimeInterval(timeout)
            let fd = output.fileHandleForReading.fileDescriptor
            while true {
                if let newline = pending.firstIndex(of: UInt8(ascii: "\n")) {
                    let line = String(decoding: pending[..<newline], as: UTF8.self)
                    pending.removeSubrange(...newline)
                    lines.append(line)
                    return line
                }
                let remaining = deadline.timeIntervalSinceNow
                guard remaining > 0 else {
                    throw ReplTestFailure("no line on stdout within \(timeout)s; partial: \(String(decoding: pending, as: UTF8.self).debugDescription)")
                }
                var descriptor = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
                let ready = poll(&descriptor, 1, Int32(min(remaining, 1) * 1000))
                if ready < 0 && errno == EINTR { continue }
                guard ready > 0 else { continue }
                var buffer = [UInt8](repeating: 0, count: 65536)
                let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
                if count < 0 && errno == EINTR { continue }
                if count <= 0 {
                    if pending.isEmpty { return nil }
                    let line = String(decoding: pending, as: UTF8.self)
                    pending = []
                    lines.append(line)
                    return line
                }
                pending.append(contentsOf: buffer[..<count])
            }
        }

        /// Reads one line and parses it as a JSON object.
        func response(timeout: TimeInterval = ReplProtocolTests.timeout) throws -> [String: Any] {
            guard let line = try readLine(timeout: timeout) else { throw ReplTestFailure("stdout ended; stderr: \(stderr)") }
            guard let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else {
                throw ReplTestFailure("not a JSON object: \(line)")
            }
            return object
        }

        /// Sends `request` as one line and returns the one-line response to it.
        func request(_ request: [String: Any]) throws -> [String: Any] {
            let data = try JSONSerialization.data(withJSONObject: request, options: [.sortedKeys])
            try send(String(decoding: data, as: UTF8.self) + "\n")
            return try response()
        }

        /// The exit status, once the program ends within `timeout`; then the rest of stdout.
        func waitForExit(timeout: TimeInterval = ReplProtocolTests.timeout) throws -> (status: Int32, rest: String) {
            let deadline = Date().addingTimeInterval(timeout)
            var rest: [String] = []
            while let line = try readLine(timeout: max(0.1, deadline.timeIntervalSinceNow)) { rest.append(line) }
            while process.isRunning {
                if Date() >= deadline { throw ReplTestFailure("still running after \(timeout)s") }
                usleep(20_000)
            }
            return (process.terminationStatus, rest.joined(separator: "\n"))
        }

        var stderr: String { process.isRunning ? "(running)" : errorText.wait() }
    }

    private func start() throws -> Client {
        try Client(arguments: ["repl", "--db", db, "--protocol", "json"])
    }

    private func error(_ response: [String: Any]) throws -> [String: Any] {
        try XCTUnwrap(response["error"] as? [String: Any], "\(response)")
    }

    private func outputs(_ response: [String: Any]) throws -> [[String: Any]] {
        try XCTUnwrap(response["outputs"] as? [[String: Any]], "\(response)")
    }

    // MARK: - Tests

    func testReadyExecuteCompleteAndShutdown() throws {
        let client = try start()
        let ready = try client.response()
        XCTAssertEqual(ready["ready"] as? Bool, true, "\(ready)")
        XCTAssertNotNil(ready["version"] as? String, "\(ready)")

        // A cell with several lines: a value set and a cohort.
        let defined = try client.request(["id": 1, "op": "execute", "code": ([ReplFixture.diabetes] + ReplFixture.cohortT).joined(separator: "\n")])
        XCTAssertEqual(defined["id"] as? Int, 1)
        XCTAssertEqual(defined["ok"] as? Bool, true, "\(defined)")
        XCTAssertNotNil(defined["elapsed_ms"] as? Double, "\(defined)")
        let summary = try XCTUnwrap(try outputs(defined).first)
        XCTAssertEqual(summary["kind"] as? String, "text")
        XCTAssertNotNil((summary["text"] as? String)?.range(of: #"^cohort T: [1-9][0-9]* persons?"#, options: .regularExpression), "\(summary)")
        // Two steps (entry, the age requirement): the attrition table comes with it.
        let attrition = try XCTUnwrap(try outputs(defined).dropFirst().first, "\(defined)")
        XCTAssertEqual(attrition["kind"] as? String, "table")
        XCTAssertEqual(attrition["columns"] as? [String], ["step", "rule", "persons", "events"])

        // The definitions persist into the next request: a table output.
        let counted = try client.request(["id": "two", "op": "execute", "code": "count T by sex"])
        XCTAssertEqual(counted["id"] as? String, "two")
        XCTAssertEqual(counted["ok"] as? Bool, true, "\(counted)")
        let table = try XCTUnwrap(try outputs(counted).first)
        XCTAssertEqual(table["kind"] as? String, "table", "\(table)")
        let columns = try XCTUnwrap(table["columns"] as? [String], "\(table)")
        XCTAssertEqual(columns.first, "sex")
        let rows = try XCTUnwrap(table["rows"] as? [[Any]], "\(table)")
        XCTAssertFalse(rows.isEmpty)
        for row in rows {
            XCTAssertEqual(row.count, columns.count)
            XCTAssertNotNil(row.first as? String, "\(row)")
        }
        let total = rows.compactMap { ($0.last as? NSNumber)?.intValue }.reduce(0, +)
        XCTAssertGreaterThan(total, 0, "\(rows)")

        // Meta commands work in a cell too; :quit does not end the kernel.
        let valueSets = try client.request(["id": 3, "op": "execute", "code": ":valuesets"])
        let listed = try XCTUnwrap(try outputs(valueSets).first?["rows"] as? [[Any]], "\(valueSets)")
        XCTAssertEqual(listed.compactMap { $0.first as? String }, ["D"])
        let quit = try client.request(["id": 4, "op": "execute", "code": ":quit"])
        XCTAssertEqual(quit["ok"] as? Bool, true, "\(quit)")

        // Completion: a cohort name, a value-set name, a keyword, a meta command, and nothing
        // after a code (which is one word, ':' '.' '*' included).
        let cohort = try client.request(["id": 5, "op": "complete", "code": "count T", "cursor": 7])
        XCTAssertEqual(cohort["ok"] as? Bool, true, "\(cohort)")
        XCTAssertTrue((cohort["matches"] as? [String])?.contains("T") ?? false, "\(cohort)")
        XCTAssertEqual(cohort["cursor_start"] as? Int, 6)
        XCTAssertEqual(cohort["cursor_end"] as? Int, 7)
        let code = "cohort Y\n  entry first condition in D"
        let valueSet = try client.request(["id": 6, "op": "complete", "code": code, "cursor": code.count])
        XCTAssertTrue((valueSet["matches"] as? [String])?.contains("D") ?? false, "\(valueSet)")
        XCTAssertEqual(valueSet["cursor_start"] as? Int, code.count - 1)
        let keyword = try client.request(["id": 7, "op": "complete", "code": "cou"])
        XCTAssertEqual(keyword["matches"] as? [String], ["count"], "\(keyword)")
        let meta = try client.request(["id": 8, "op": "complete", "code": ":ex", "cursor": 3])
        XCTAssertEqual(meta["matches"] as? [String], [":explain"], "\(meta)")
        XCTAssertEqual(meta["cursor_start"] as? Int, 0)
        let afterCode = try client.request(["id": 9, "op": "complete", "code": "valueset Z = icd10cm:E11.*"])
        XCTAssertEqual(afterCode["matches"] as? [String], [], "\(afterCode)")
        XCTAssertEqual(afterCode["cursor_start"] as? Int, 13, "the code is the word")

        let shutdown = try client.request(["id": 10, "op": "shutdown"])
        XCTAssertEqual(shutdown["id"] as? Int, 10)
        XCTAssertEqual(shutdown["ok"] as? Bool, true, "\(shutdown)")
        let end = try client.waitForExit()
        XCTAssertEqual(end.status, 0, client.stderr)
        XCTAssertEqual(end.rest, "", "stdout after the shutdown response")
        // The ready line and one line per request, nothing else.
        XCTAssertEqual(client.lines.count, 1 + 10, client.lines.joined(separator: "\n"))
    }

    func testErrorsAreOneLineResponsesAndTheSessionGoesOn() throws {
        let client = try start()
        _ = try client.response()
        let defined = try client.request(["id": 1, "op": "execute", "code": ([ReplFixture.diabetes] + ReplFixture.cohortT).joined(separator: "\n")])
        XCTAssertEqual(defined["ok"] as? Bool, true, "\(defined)")

        // An error in the language: message, rendered text and diagnostics with line and column.
        let failed = try client.request(["id": 2, "op": "execute", "code": "valueset E = snomed:44054006\ncount Tx"])
        XCTAssertEqual(failed["id"] as? Int, 2)
        XCTAssertEqual(failed["ok"] as? Bool, false, "\(failed)")
        let error = try error(failed)
        XCTAssertTrue((error["message"] as? String)?.contains("Tx") ?? false, "\(error)")
        let rendered = try XCTUnwrap(error["rendered"] as? String)
        XCTAssertTrue(rendered.contains("cell:2:7: error:"), rendered)
        XCTAssertTrue(rendered.contains("  count Tx\n        ^~"), rendered)
        let diagnostics = try XCTUnwrap(error["diagnostics"] as? [[String: Any]], "\(error)")
        let first = try XCTUnwrap(diagnostics.first)
        XCTAssertEqual(first["severity"] as? String, "error")
        XCTAssertEqual(first["line"] as? Int, 2)
        XCTAssertEqual(first["column"] as? Int, 7)
        XCTAssertEqual(first["file"] as? String, "cell")
        XCTAssertTrue((first["notes"] as? [String])?.contains("did you mean 'T'?") ?? false, "\(first)")

        // Nothing of a failed cell is kept (E), and what came before still is (T).
        let after = try client.request(["id": 3, "op": "execute", "code": "count T"])
        XCTAssertEqual(after["ok"] as? Bool, true, "\(after)")
        let valueSets = try client.request(["id": 4, "op": "execute", "code": ":valuesets"])
        XCTAssertEqual((try outputs(valueSets).first?["rows"] as? [[Any]])?.compactMap { $0.first as? String }, ["D"])

        // A meta command's error.
        let meta = try client.request(["id": 5, "op": "execute", "code": ":foo"])
        XCTAssertEqual(meta["ok"] as? Bool, false)
        XCTAssertTrue((try self.error(meta)["message"] as? String)?.contains("unknown command :foo") ?? false, "\(meta)")

        // Requests the server does not understand.
        let unknown = try client.request(["id": 6, "op": "frobnicate"])
        XCTAssertEqual(unknown["id"] as? Int, 6)
        XCTAssertEqual(unknown["ok"] as? Bool, false)
        XCTAssertTrue((try self.error(unknown)["message"] as? String)?.contains("unknown op frobnicate") ?? false, "\(unknown)")
        let noOp = try client.request(["id": 7])
        XCTAssertTrue((try self.error(noOp)["message"] as? String)?.contains("unknown op") ?? false, "\(noOp)")

        // Lines that are not a JSON object: an answer with a null id. A blank line gets none.
        try client.send("\n   \nthis is not json\n")
        let notJSON = try client.response()
        XCTAssertTrue(notJSON["id"] is NSNull, "\(notJSON)")
        XCTAssertEqual(notJSON["ok"] as? Bool, false)
        XCTAssertEqual(try self.error(notJSON)["message"] as? String, "request is not a JSON object")
        try client.send("[1, 2]\n")
        XCTAssertEqual(try self.error(try client.response())["message"] as? String, "request is not a JSON object")

        // Still serving.
        let still = try client.request(["id": 8, "op": "execute", "code": "count T by sex"])
        XCTAssertEqual(still["ok"] as? Bool, true, "\(still)")
        XCTAssertEqual(try client.request(["id": 9, "op": "shutdown"])["ok"] as? Bool, true)
        let end = try client.waitForExit()
        XCTAssertEqual(end.status, 0, client.stderr)
        XCTAssertEqual(end.rest, "")
        XCTAssertEqual(client.lines.count, 1 + 11, client.lines.joined(separator: "\n"))
        for line in client.lines {
            XCTAssertNotNil(try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any], line)
        }
    }

    func testEndOfInputEndsTheServerWithZero() throws {
        let client = try start()
        _ = try client.response()
        try client.closeInput()
        let end = try client.waitForExit()
        XCTAssertEqual(end.status, 0, client.stderr)
        XCTAssertEqual(end.rest, "")
    }

    /// The text REPL with a pipe on stdin: no banner, no prompts, results only; and the end of
    /// input ends a cohort as a blank line does.
    func testPipedTextInputRunsWithoutPromptsAndEndsTheLastCohort() throws {
        let client = try Client(arguments: ["repl", "--db", db, "--history", dir.appendingPathComponent("history").path])
        try client.send(([ReplFixture.diabetes] + ReplFixture.cohortT + ["count T by sex", "cohort Last", "  entry first condition in D"]).joined(separator: "\n"))
        try client.closeInput()
        let end = try client.waitForExit()
        XCTAssertEqual(end.status, 0, client.stderr)
        let out = client.lines.joined(separator: "\n")
        XCTAssertFalse(out.contains("stratum>") || out.contains("...>") || out.contains("Type :help"), out)
        XCTAssertNotNil(out.range(of: #"(?m)^cohort T: [1-9][0-9]* persons?"#, options: .regularExpression), out)
        XCTAssertNotNil(out.range(of: #"(?m)^sex +persons"#, options: .regularExpression), out)
        XCTAssertNotNil(out.range(of: #"(?m)^cohort Last: [1-9][0-9]* persons?"#, options: .regularExpression), "the last cohort, ended by the end of input, did not run: \(out)")
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir.appendingPathComponent("history").path), "piped input is not history")
    }
}
