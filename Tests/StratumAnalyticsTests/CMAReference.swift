import Foundation
import StratumAnalytics

/// The AdhereR reference data in `<repo>/../shared/reference/adherence/` and the printed vignette outputs,
/// parsed at test time (the expected numbers live only in `vignette_outputs.txt`).
enum CMAReference {
    static var directory: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("shared/reference/adherence")
    }

    static func medEvents() throws -> [MedicationEvent] {
        try MedicationEventCSV.read(path: directory.appendingPathComponent("med_events.csv").path,
                                    columns: .init(id: "PATIENT_ID", date: "DATE", duration: "DURATION", dose: "PERDAY",
                                                   medication: "CATEGORY", dateFormat: "%m/%d/%Y"))
    }

    /// One patient's events, sorted.
    static func patient(_ id: String, in events: [MedicationEvent]) -> ArraySlice<MedicationEvent> {
        let grouped = CMACalculator.groupByPatient(events.filter { $0.patient == id })
        return grouped.events[...]
    }

    struct Vignette {
        /// CMA1 (FUW 0+730, OW 182+365) per patient.
        var cma1: [String: Double] = [:]
        /// The `[1] …` printed vectors in order: CMA1 of 76 in %, CMA8 of 76 in % (OW 374+294),
        /// per-episode CMA9 of 76 in %, sliding-window CMA9 of 76 in %.
        var percentLines: [[Double]] = []
        /// Per-episode CMA9 rows: patient, episode, start, end gap, duration, end, CMA.
        var episodes: [(patient: String, episode: Int, start: String, gap: Double, duration: Int, end: String, cma: Double)] = []
        /// Sliding-window CMA9 rows: patient, window, start, end, CMA.
        var windows: [(patient: String, window: Int, start: String, end: String, cma: Double)] = []
    }

    static func vignette() throws -> Vignette {
        let text = try String(contentsOf: directory.appendingPathComponent("vignette_outputs.txt"), encoding: .utf8)
        let blocks = text.components(separatedBy: "\n----\n")
        var v = Vignette()
        func rows(_ block: String) -> [[String]] {
            block.split(separator: "\n").filter { $0.hasPrefix("##") }.map { $0.dropFirst(2).split(separator: " ").map(String.init) }
        }
        for block in blocks {
            let r = rows(block)
            guard let head = r.first else { continue }
            if head == ["PATIENT_ID", "CMA"], v.cma1.isEmpty {
                for row in r.dropFirst() where row.count == 3 { v.cma1[row[1]] = Double(row[2]) }
            } else if head.first == "[1]", !block.contains("CMA") {
                v.percentLines.append(head.dropFirst().compactMap(Double.init))
            } else if head.contains("episode.ID"), v.episodes.isEmpty {
                let split = r.firstIndex { $0.first == "episode.end" } ?? r.count
                let first = r[1..<split], second = r[(split + 1)...]
                for (a, b) in zip(first, second) {
                    v.episodes.append((a[1], Int(a[2])!, a[3], Double(a[4])!, Int(a[5])!, b[1], Double(b[2])!))
                }
            } else if head.contains("window.ID"), v.windows.isEmpty {
                for row in r.dropFirst() { v.windows.append((row[1], Int(row[2])!, row[3], row[4], Double(row[5])!)) }
            }
        }
        return v
    }
}
