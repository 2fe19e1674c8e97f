import Foundation
import StratumImport
import StratumQuery
import StratumStore

/// Runs a measure against an eCQM test deck: for each patient, import its resources into a
/// fresh store, evaluate the measure for the MeasureReport's period, and compare every expected
/// population count.
public final class ECQMConformanceRunner {
    public struct Outcome: Sendable {
        public var testCase: ECQMTestCase
        /// Actual counts by group id, for the populations the expected report lists.
        public var actual: [String: [MeasurePopulation: Int]]
        public var passed: Bool
        /// Set when the case could not be evaluated (bad data, script error).
        public var error: String?
    }

    public let library: MeasureLibrary
    public let valueSetDirectory: String?
    let loader = FHIRValueSetSource()
    let scratch: URL
    /// Where each patient's store is kept after the run (for debugging a failing case), or nil.
    public let keepStores: URL?

    public init(library: MeasureLibrary, valueSetDirectory: String?, keepStores: URL? = nil) throws {
        self.library = library
        self.valueSetDirectory = valueSetDirectory
        self.keepStores = keepStores
        scratch = keepStores ?? FileManager.default.temporaryDirectory.appendingPathComponent("stratum-ecqm-\(ProcessInfo.processInfo.processIdentifier)-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
    }

    deinit { if keepStores == nil { try? FileManager.default.removeItem(at: scratch) } }

    public func run(_ testCase: ECQMTestCase, measure: String) -> Outcome {
        let path = scratch.appendingPathComponent("\(testCase.id).sqlite").path
        defer { if keepStores == nil { for suffix in ["", "-journal", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) } } }
        do {
            let store = try Store(path: path)
            _ = try Importer(store: store).importSource(testCase.folder.path)
            guard let start = TimestampParser.parse(testCase.periodStart)?.days, let end = TimestampParser.parse(testCase.periodEnd)?.days else {
                throw CareGapError("\(testCase.id): unreadable period \(testCase.periodStart)..\(testCase.periodEnd)")
            }
            let evaluator = CareGapEvaluator(store: store, library: library, valueSetDirectory: valueSetDirectory, loader: loader)
            let run = try evaluator.evaluate(measureIDs: [measure], periodStart: start, periodEnd: end)
            var actual: [String: [MeasurePopulation: Int]] = [:]
            var passed = true
            for (group, expected) in testCase.expected {
                let populations = run.outcomes.filter { $0.groupId == group }.reduce(into: Set<MeasurePopulation>()) { $0.formUnion($1.populations) }
                var counts: [MeasurePopulation: Int] = [:]
                for kind in expected.keys { counts[kind] = populations.contains(kind) ? 1 : 0 }
                actual[group] = counts
                if counts != expected { passed = false }
            }
            return Outcome(testCase: testCase, actual: actual, passed: passed, error: nil)
        } catch {
            return Outcome(testCase: testCase, actual: [:], passed: false, error: String(describing: error))
        }
    }

    /// One line per patient: id, name, expected vs actual per population, PASS/FAIL.
    public static func line(_ o: Outcome) -> String {
        var parts: [String] = [o.passed ? "PASS" : "FAIL", o.testCase.id]
        if let name = o.testCase.name { parts.append("\"\(name)\"") }
        for (group, expected) in o.testCase.expected {
            let cells = expected.keys.sorted().map { kind -> String in
                let short = abbreviation(kind)
                let actual = o.actual[group]?[kind].map(String.init) ?? "?"
                return "\(short) \(expected[kind]!)/\(actual)"
            }
            parts.append((o.testCase.expected.count > 1 ? "group \(group): " : "") + cells.joined(separator: " "))
        }
        if let error = o.error { parts.append("error: \(error)") }
        return parts.joined(separator: "  ")
    }

    static func abbreviation(_ p: MeasurePopulation) -> String {
        switch p {
        case .initialPopulation: "IPP"
        case .denominator: "DENOM"
        case .denominatorExclusion: "DENEX"
        case .denominatorException: "DENEXCEP"
        case .numerator: "NUMER"
        case .numeratorExclusion: "NUMEX"
        }
    }
}
