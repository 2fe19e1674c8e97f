import Foundation
import XCTest

/// The eCQM reference bundle (`../shared/reference/ecqm-qicore-2024-dev.tar.gz`), extracted once
/// per test process for every test that needs its decks or value sets, and removed at exit.
enum ECQMReference {
    static var repoRoot: URL {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<4 { url.deleteLastPathComponent() }
        return url
    }

    nonisolated(unsafe) private static var extracted: Result<URL, any Error>?
    private static let lock = NSLock()

    /// The bundle's `input/` folder; skips the calling test when the archive is missing.
    static func input() throws -> URL {
        lock.lock()
        defer { lock.unlock() }
        if extracted == nil { extracted = Result { try extract() } }
        return try extracted!.get()
    }

    static var valueSets: URL { get throws { try input().appendingPathComponent("vocabulary/valueset/external") } }

    private static func extract() throws -> URL {
        let archive = repoRoot.deletingLastPathComponent().appendingPathComponent("shared/reference/ecqm-qicore-2024-dev.tar.gz").path
        guard FileManager.default.fileExists(atPath: archive) else { throw XCTSkip("the eCQM reference bundle is not at \(archive)") }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("stratum-ecqm-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        directory = dir
        atexit { if let dir = ECQMReference.directory { try? FileManager.default.removeItem(at: dir) } }
        let tar = Process()
        tar.executableURL = URL(fileURLWithPath: "/usr/bin/tar")
        tar.arguments = ["-xzf", archive, "-C", dir.path]
        try tar.run()
        tar.waitUntilExit()
        guard tar.terminationStatus == 0 else { throw ECQMReferenceError(description: "tar exited \(tar.terminationStatus) on \(archive)") }
        return dir.appendingPathComponent("input")
    }

    nonisolated(unsafe) private static var directory: URL?
}

struct ECQMReferenceError: Error, CustomStringConvertible { var description: String }
