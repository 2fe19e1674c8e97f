import ArgumentParser
import Foundation
import Stratum

/// Options shared by the commands that run the language (`run`, `check`, `repl`).
struct ScriptOptions: ParsableArguments {
    @Option(name: .customLong("param"), help: ArgumentHelp(
        "Set a parameter, overriding the script's default: period=2024 (a calendar year), period=2024-01-01..2024-06-30, asof=2024-12-31. Repeatable.",
        valueName: "NAME=VALUE"))
    var parameters: [String] = []

    @Option(name: .long, help: ArgumentHelp("A directory of FHIR ValueSet JSON files that 'load \"name\"' looks in (by name, OID or URL).", valueName: "DIR"))
    var valuesets: String?

    func validate() throws {
        for p in parameters where !p.contains("=") || p.hasPrefix("=") {
            throw ValidationError("--param needs NAME=VALUE, got '\(p)'")
        }
        if let dir = valuesets {
            var isDirectory: ObjCBool = false
            if !FileManager.default.fileExists(atPath: dir, isDirectory: &isDirectory) || !isDirectory.boolValue {
                throw ValidationError("--valuesets: '\(dir)' is not a directory")
            }
        }
    }

    var parameterMap: [String: String] {
        var out: [String: String] = [:]
        for p in parameters {
            let parts = p.split(separator: "=", maxSplits: 1)
            out[String(parts[0]).trimmingCharacters(in: .whitespaces)] = parts.count > 1 ? String(parts[1]) : ""
        }
        return out
    }

    func session(store: Store) throws -> Session {
        try Session.withAnalytics(store: store, parameters: parameterMap, valueSetDirectory: valuesets, loader: FHIRValueSetSource())
    }
}

enum ScriptFile {
    /// Reads a script, or fails with a data-error exit that names the file.
    static func read(_ path: String) throws -> SourceFile {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw CLIError(message: "cannot read script \(path): \(FileManager.default.fileExists(atPath: path) ? "permission denied or a directory" : "no such file")",
                           exitCode: ExitStatus.data)
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw CLIError(message: "script \(path) is not UTF-8 text", exitCode: ExitStatus.data)
        }
        return SourceFile(name: path, text: text)
    }
}
