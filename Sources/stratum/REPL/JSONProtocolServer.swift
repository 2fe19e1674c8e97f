import Foundation
import Stratum

/// The notebook protocol (docs/PROTOCOL.md): one JSON request per line on stdin, exactly one
/// JSON response per line on stdout. stdout carries nothing else; stderr is for diagnostics.
struct JSONProtocolServer {
    let evaluator: ReplEvaluator

    func serve() {
        write(["ready": true, "version": Store.engineVersion])
        while let line = readLine(strippingNewline: true) {
            if line.trimmingCharacters(in: .whitespaces).isEmpty { continue }
            guard let data = line.data(using: .utf8),
                  let request = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
                write(["id": NSNull(), "ok": false, "error": ["message": "request is not a JSON object", "rendered": "request is not a JSON object", "diagnostics": []]])
                continue
            }
            let id = request["id"] ?? NSNull()
            switch request["op"] as? String {
            case "execute":
                let code = request["code"] as? String ?? ""
                write(execute(code, id: id))
            case "complete":
                let code = request["code"] as? String ?? ""
                let cursor = min(max(0, request["cursor"] as? Int ?? code.count), code.count)
                let upTo = String(code.prefix(cursor))
                var start = upTo.endIndex
                while start > upTo.startIndex {
                    let previous = upTo.index(before: start)
                    // The characters of names, meta commands and codes (`loinc:4548-4`, `E11.*`),
                    // as in the terminal (LineEditor.wordBreakCharacters).
                    if upTo[previous].isLetter || upTo[previous].isNumber || "_:.-*".contains(upTo[previous]) { start = previous } else { break }
                }
                let word = String(upTo[start...])
                let lineStart = upTo.lastIndex(of: "\n").map { upTo.index(after: $0) } ?? upTo.startIndex
                let matches = evaluator.complete(word: word, line: String(upTo[lineStart...]))
                write(["id": id, "ok": true, "matches": matches, "cursor_start": upTo.distance(from: upTo.startIndex, to: start), "cursor_end": cursor])
            case "shutdown":
                write(["id": id, "ok": true])
                return
            default:
                let m = "unknown op \(request["op"].map { "\($0)" } ?? "(none)"); expected execute, complete or shutdown"
                write(["id": id, "ok": false, "error": ["message": m, "rendered": m, "diagnostics": []]])
            }
        }
    }

    func execute(_ code: String, id: Any) -> [String: Any] {
        switch evaluator.evaluate(code, name: "cell") {
        case .quit:
            return ["id": id, "ok": true, "outputs": [["kind": "text", "text": "(:quit is ignored in a notebook; shut the kernel down instead)"]], "elapsed_ms": 0]
        case .failure(let message, let rendered, let diagnostics):
            return ["id": id, "ok": false, "error": ["message": message, "rendered": rendered, "diagnostics": diagnostics]]
        case .results(let results, let ms):
            var outputs: [[String: Any]] = []
            for result in results {
                switch result {
                case .table(let t): outputs.append(ResultOutput.jsonTable(t))
                case .cohort(let s):
                    outputs.append(["kind": "text", "text": s.line])
                    if s.attrition.count > 1 { outputs.append(ResultOutput.jsonTable(s.attritionTable)) }
                case .explain(let e):
                    outputs.append(["kind": "text", "text": e.sql])
                    outputs.append(ResultOutput.jsonTable(e.attrition))
                    outputs.append(ResultOutput.jsonTable(e.timing))
                case .text(let t): outputs.append(["kind": "text", "text": t])
                case .warnings(let w): outputs.append(["kind": "text", "text": w])
                }
            }
            return ["id": id, "ok": true, "outputs": outputs, "elapsed_ms": (ms * 10).rounded() / 10]
        }
    }

    func write(_ object: [String: Any]) {
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data("{\"ok\":false}".utf8)
        FileHandle.standardOutput.write(data + Data("\n".utf8))
    }
}
