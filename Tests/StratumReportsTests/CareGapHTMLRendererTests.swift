import Foundation
import XCTest
@testable import StratumReports

final class CareGapHTMLRendererTests: XCTestCase {
    func testPageIsSelfContained() throws {
        let html = CareGapHTMLRenderer(run: SamplePanel.run).render()
        XCTAssertTrue(html.hasPrefix("<!DOCTYPE html>"))
        XCTAssertTrue(html.contains("<svg"))
        XCTAssertTrue(html.contains("<style>"))
        XCTAssertTrue(html.contains("document.body.dataset.ready = \"1\""))
        // Nothing fetched from anywhere: no src/href/url() to http(s) or protocol-relative
        // addresses, no <link>, no external script, no @import.
        for pattern in [#"(src|href)\s*=\s*["']?\s*(https?:)?//"#, #"url\(\s*["']?\s*(https?:)?//"#, #"<link\b"#, #"<script[^>]*\bsrc\b"#,
                        #"@import"#, #"<iframe\b"#, #"<img\b"#] {
            XCTAssertNil(html.range(of: pattern, options: [.regularExpression, .caseInsensitive]), "external resource: \(pattern)")
        }
        XCTAssertEqual(html.components(separatedBy: "<script").count - 1, 1, "exactly one (inline) script")
    }

    func testRunMetadataAndMeasures() {
        let html = CareGapHTMLRenderer(run: SamplePanel.run).render()
        XCTAssertTrue(html.contains("class=\"banner\""), "demo value sets are announced")
        XCTAssertTrue(html.contains("demo approximations (Reports/measures/valuesets)"))
        XCTAssertTrue(html.contains("pop.sqlite sha256:3f2a9c0d51e8b7a4"))
        XCTAssertTrue(html.contains("Stratum 0.9.0-test"))
        XCTAssertTrue(html.contains("2026-01-15T09:30:00Z"))
        XCTAssertTrue(html.contains("counts below 11 suppressed"))
        XCTAssertTrue(html.contains("CMS122v13") && html.contains("CMS165v13"))
        XCTAssertTrue(html.contains("lower is better"))
        // Provider 503's bars are suppressed, and drawn so.
        XCTAssertTrue(html.contains(">suppressed</text>"))
        XCTAssertTrue(html.contains("url(#hatch-"))
        // Measure-level rates: CMS122 14 of 20 (inverse), CMS165 13 of 26.
        XCTAssertTrue(html.contains("70.0 %"), "CMS122 performance rate")
        XCTAssertTrue(html.contains("50.0 %"), "CMS165 performance rate")
    }

    func testEscaping() {
        XCTAssertEqual(CareGapHTMLRenderer.escape("<script>alert(\"x\") & 'y'</script>"),
                       "&lt;script&gt;alert(&quot;x&quot;) &amp; &#39;y&#39;&lt;/script&gt;")
        XCTAssertEqual(CareGapHTMLRenderer.escape("plain é"), "plain é")

        var run = SamplePanel.run
        run.patients[0].providerName = "<script>alert(\"owned\")</script>"
        run.patients[0].careSiteName = "<img src=x onerror=alert(1)>"
        run.outcomes[0].evidence.append(Evidence(label: "</td><script>", value: "\"><b>", date: nil))
        let html = CareGapHTMLRenderer(run: run).render()
        XCTAssertFalse(html.contains("<script>alert"))
        XCTAssertFalse(html.contains("<img"))
        XCTAssertFalse(html.contains("</td><script>"))
        XCTAssertTrue(html.contains("&lt;script&gt;alert(&quot;owned&quot;)&lt;/script&gt;"))
        XCTAssertEqual(html.components(separatedBy: "<script").count - 1, 1)
    }

    func testPatientListIsCappedMostGapsFirst() throws {
        let run = SamplePanel.run
        var gaps: [Int64: Int] = [:]
        for outcome in run.outcomes where outcome.hasGap { gaps[outcome.personId, default: 0] += 1 }
        let expected = gaps.keys.sorted { a, b in gaps[a] != gaps[b] ? gaps[a, default: 0] > gaps[b, default: 0] : a < b }.prefix(5)

        let html = CareGapHTMLRenderer(run: run, maxPatientsInHTML: 5).render()
        let body = try XCTUnwrap(html.components(separatedBy: "<tbody>\n").last?.components(separatedBy: "</tbody>").first)
        let rows = body.components(separatedBy: "<tr>").dropFirst()
        XCTAssertEqual(rows.count, 5)
        let ids = rows.compactMap { row in
            row.components(separatedBy: "</td>").first.flatMap { Int64($0.replacingOccurrences(of: "<td class=\"num\">", with: "")) }
        }
        XCTAssertEqual(ids, Array(expected))
        XCTAssertTrue(html.contains("Showing 5 of \(gaps.count) patients with open gaps"))
        XCTAssertTrue(html.contains("caregaps-patients.csv"))

        let all = CareGapHTMLRenderer(run: run).render()
        XCTAssertFalse(all.contains("Showing "))
        XCTAssertTrue(all.contains("\(gaps.count) patients with open gaps"))
    }

    // MARK: Headless Chromium

    /// Renders the page in headless Chromium: the screenshot is not blank (clearly larger than a
    /// screenshot of an empty page), and the page's script ran to its end without an error.
    func testHeadlessChromiumRendersThePage() throws {
        guard let chromium = Self.findExecutable(["chromium", "chromium-browser", "google-chrome", "google-chrome-stable"]) else {
            throw XCTSkip("no chromium, chromium-browser or google-chrome in PATH; install one (apt-get install -y chromium) to run the screenshot test")
        }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("stratum-html-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let page = directory.appendingPathComponent("caregaps.html")
        let empty = directory.appendingPathComponent("empty.html")
        try CareGapHTMLRenderer(run: SamplePanel.run).render().write(to: page, atomically: true, encoding: .utf8)
        try "<html></html>".write(to: empty, atomically: true, encoding: .utf8)

        func screenshot(_ html: URL, _ name: String) throws -> Data {
            let png = directory.appendingPathComponent(name)
            let result = try Self.run(chromium, Self.chromiumFlags(directory) + ["--screenshot=\(png.path)", "--window-size=1280,2000", html.absoluteString],
                                      in: directory)
            let data = try XCTUnwrap(FileManager.default.contents(atPath: png.path), "no screenshot; chromium said:\n\(result.stderr.suffix(2000))")
            return data
        }
        let shot = try screenshot(page, "page.png")
        let blank = try screenshot(empty, "empty.png")
        let size = try XCTUnwrap(Self.pngSize(shot), "not a PNG")
        XCTAssertEqual(size.width, 1280)
        XCTAssertEqual(size.height, 2000)
        XCTAssertGreaterThan(shot.count, 20_000, "the screenshot looks blank")
        XCTAssertLessThan(blank.count * 3, shot.count, "the page's screenshot is not clearly larger than an empty page's")
        if let keep = ProcessInfo.processInfo.environment["STRATUM_KEEP_SCREENSHOT"] {
            try? shot.write(to: URL(fileURLWithPath: keep))
        }

        let dom = try Self.run(chromium, Self.chromiumFlags(directory) + ["--enable-logging=stderr", "--v=0", "--dump-dom", page.absoluteString],
                               in: directory)
        XCTAssertTrue(dom.stdout.contains("data-ready=\"1\""), "the page's script did not finish:\n\(dom.stderr.suffix(2000))")
        XCTAssertFalse(dom.stderr.contains("Uncaught"), dom.stderr)
        XCTAssertTrue(dom.stdout.contains("<svg"))

        // The check above is only worth something if Chromium reports script errors this way.
        let broken = directory.appendingPathComponent("broken.html")
        try "<html><body><script>undefinedFunction();</script></body></html>".write(to: broken, atomically: true, encoding: .utf8)
        let control = try Self.run(chromium, Self.chromiumFlags(directory) + ["--enable-logging=stderr", "--v=0", "--dump-dom", broken.absoluteString],
                                   in: directory)
        XCTAssertTrue(control.stderr.contains("Uncaught"), "Chromium no longer logs uncaught errors to stderr; the error check is blind")
    }

    private static func chromiumFlags(_ directory: URL) -> [String] {
        ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--hide-scrollbars", "--no-first-run",
         "--user-data-dir=\(directory.appendingPathComponent("profile").path)"]
    }

    static func findExecutable(_ names: [String]) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for name in names {
            for directory in path.split(separator: ":") {
                let candidate = "\(directory)/\(name)"
                if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
            }
        }
        return nil
    }

    /// Runs a program with stdout and stderr in files (no pipe to fill up), killing it after
    /// `timeout` seconds.
    static func run(_ executable: String, _ arguments: [String], in directory: URL, timeout: TimeInterval = 90) throws
        -> (status: Int32, stdout: String, stderr: String) {
        let id = UUID().uuidString
        let out = directory.appendingPathComponent("\(id).out"), err = directory.appendingPathComponent("\(id).err")
        _ = FileManager.default.createFile(atPath: out.path, contents: nil)
        _ = FileManager.default.createFile(atPath: err.path, contents: nil)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.currentDirectoryURL = directory
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = try FileHandle(forWritingTo: out)
        process.standardError = try FileHandle(forWritingTo: err)
        try process.run()
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
            XCTFail("\(executable) did not finish within \(Int(timeout)) s")
        }
        process.waitUntilExit()
        let stdout = (try? String(contentsOf: out, encoding: .utf8)) ?? ""
        let stderr = (try? String(contentsOf: err, encoding: .utf8)) ?? ""
        return (process.terminationStatus, stdout, stderr)
    }

    /// Width and height from a PNG's IHDR chunk.
    static func pngSize(_ data: Data) -> (width: Int, height: Int)? {
        let bytes = [UInt8](data.prefix(24))
        guard bytes.count == 24, bytes[0..<8] == [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], bytes[12..<16] == Array("IHDR".utf8)[...] else {
            return nil
        }
        let be = { (offset: Int) in bytes[offset..<(offset + 4)].reduce(0) { $0 << 8 | Int($1) } }
        return (be(16), be(20))
    }
}
