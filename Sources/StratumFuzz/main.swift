// stratum-fuzz: a deterministic fuzzer for the cohort language.
//
//   stratum-fuzz --iterations N --seed S     run N generated inputs (grammar, recombination,
//                                            mutation, truncation, stress, random bytes)
//   stratum-fuzz --replay S I                regenerate input I of seed S, print it, run it
//   stratum-fuzz --replay-file PATH          run one script from a file
//
// Every input goes through Lexer + Parser + Binder and, when it binds, through the cohort and
// result compilers and the SQL renderer (no database). Exit status: 0 when every input passed,
// 1 on an invariant violation or an input over the time budget, 2 on a usage or setup error; a
// crash or hang kills the process after saving the input (see CrashGuard).
import Foundation
import StratumQuery

struct Options {
    var iterations = 10_000
    var seed: UInt64 = 1
    var replay: (seed: UInt64, index: Int)?
    var replayFile: String?
    var budgetMilliseconds = 1000.0
    /// Whether the budget counts the thread's CPU time (default: robust on a shared machine) or
    /// wall-clock time.
    var wallClockBudget = false
    var hangSeconds = 10.0
    var directory = ".build/fuzz"
    var saveEveryInput: Bool?
    var progress = false
    /// Prints the commonest first errors of inputs of this kind (for tuning the generators).
    var diagnose: InputKind?
    /// Also runs every input that compiles on a scratch store (SQLite must accept the SQL).
    var execute = false
    var start = 0
}

func usage() -> Never {
    FileHandle.standardError.write(Data("""
        usage: stratum-fuzz [--iterations N] [--seed S] [--start I] [--budget-ms MS] [--wall-clock] [--hang-seconds S]
                            [--dir DIR] [--save-inputs | --no-save-inputs] [--progress] [--diagnose KIND] [--execute]
               stratum-fuzz --replay SEED INDEX
               stratum-fuzz --replay-file PATH

        """.utf8))
    exit(2)
}

func parseOptions() -> Options {
    var options = Options()
    var args = Array(CommandLine.arguments.dropFirst())
    func value() -> String { guard !args.isEmpty else { usage() }; return args.removeFirst() }
    func number<T: FixedWidthInteger>(_ type: T.Type) -> T {
        let text = value().replacingOccurrences(of: "_", with: "")
        guard let n = T(text) else { usage() }
        return n
    }
    while !args.isEmpty {
        switch args.removeFirst() {
        case "--iterations", "-n": options.iterations = number(Int.self)
        case "--seed": options.seed = number(UInt64.self)
        case "--start": options.start = number(Int.self)
        case "--replay": options.replay = (number(UInt64.self), number(Int.self))
        case "--replay-file": options.replayFile = value()
        case "--budget-ms": guard let v = Double(value()) else { usage() }; options.budgetMilliseconds = v
        case "--wall-clock": options.wallClockBudget = true
        case "--hang-seconds": guard let v = Double(value()) else { usage() }; options.hangSeconds = v
        case "--dir": options.directory = value()
        case "--save-inputs": options.saveEveryInput = true
        case "--no-save-inputs": options.saveEveryInput = false
        case "--progress": options.progress = true
        case "--execute": options.execute = true
        case "--diagnose": guard let kind = InputKind(rawValue: value()) else { usage() }; options.diagnose = kind
        case "-h", "--help": usage()
        default: usage()
        }
    }
    return options
}

func escaped(_ text: String) -> String {
    var out = ""
    for scalar in text.unicodeScalars {
        switch scalar {
        case "\n", "\t": out.unicodeScalars.append(scalar)
        case "\r": out += "\\r"
        case _ where scalar.value < 0x20 || scalar.value == 0x7F: out += "\\u{\(String(scalar.value, radix: 16))}"
        default: out.unicodeScalars.append(scalar)
        }
    }
    return out
}

func milliseconds(_ nanoseconds: UInt64) -> String { String(format: "%.1f ms", Double(nanoseconds) / 1e6) }

let options = parseOptions()
let pipeline: Pipeline
do { pipeline = try Pipeline(directory: options.directory) } catch {
    print("stratum-fuzz: \(error)")
    exit(2)
}
let executable = CommandLine.arguments[0]
CrashGuard.install(directory: options.directory, executable: executable, hangSeconds: options.hangSeconds)

// MARK: - Replay

func replay(kind: String, text: String, seed: UInt64, index: UInt64) -> Never {
    print("== input (\(kind), \(text.utf8.count) bytes)")
    print(text.utf8.count > 20_000 ? escaped(String(text.prefix(20_000))) + "\n… (\(text.utf8.count) bytes in all)" : escaped(text))
    print("== end of input")
    fflush(nil)
    CrashGuard.begin(seed: seed, index: index, text: text)
    let start = CrashGuard.now(), startCPU = CrashGuard.cpuNow()
    let result = pipeline.run(text)
    let elapsed = options.wallClockBudget ? CrashGuard.now() - start : CrashGuard.cpuNow() - startCPU
    CrashGuard.end()
    var binder = Binder(environment: pipeline.environment, loader: pipeline.loader)
    _ = binder.bind(SourceFile(name: Pipeline.fileName, text: text))
    let diagnostics = DiagnosticRenderer(sources: binder.sources).render(binder.diagnostics)
    if !diagnostics.isEmpty { print(diagnostics) }
    print("outcome: \(result.outcome.rawValue), \(result.statements) statements compiled, \(result.sqlBytes) bytes of SQL, \(milliseconds(elapsed))")
    for problem in result.problems { print("FAILED: \(problem)") }
    let slow = Double(elapsed) / 1e6 > options.budgetMilliseconds
    if slow { print("FAILED: took \(milliseconds(elapsed)), over the \(options.budgetMilliseconds) ms budget") }
    exit(result.problems.isEmpty && !slow ? 0 : 1)
}

let corpus = Corpus.scripts
let generator = Generator(seed: options.seed, corpus: corpus)

if let path = options.replayFile {
    guard let data = FileManager.default.contents(atPath: path) else { print("stratum-fuzz: cannot read \(path)"); exit(2) }
    CrashGuard.replaying(file: path, executable: executable)
    replay(kind: "file \(path)", text: String(decoding: data, as: UTF8.self), seed: 0, index: 0)
}
if let (seed, index) = options.replay {
    let input = Generator(seed: seed, corpus: corpus).input(index)
    replay(kind: "seed \(seed) index \(index), \(input.kind.rawValue)", text: input.text, seed: seed, index: UInt64(index))
}

// MARK: - The corpus must compile: it is what mutants are one step away from.

for (i, script) in corpus.enumerated() {
    let result = pipeline.run(script)
    if result.outcome != .compiled || !result.problems.isEmpty {
        var binder = Binder(environment: pipeline.environment, loader: pipeline.loader)
        _ = binder.bind(SourceFile(name: Pipeline.fileName, text: script))
        print("stratum-fuzz: corpus script \(i + 1) does not compile (\(result.outcome.rawValue)):")
        print(DiagnosticRenderer(sources: binder.sources).render(binder.diagnostics))
        result.problems.forEach { print("  \($0)") }
        exit(2)
    }
}

// MARK: - Run

let saveEveryInput = options.saveEveryInput ?? (options.iterations <= 50_000)
let currentPath = options.directory + "/current.stratum"
var outcomes: [Outcome: Int] = [:]
var kinds: [InputKind: Int] = [:]
var failures: [Failure] = []
var slowest: [(nanoseconds: UInt64, index: Int, kind: InputKind, bytes: Int)] = []
var slowestWall: UInt64 = 0
var compiledByKind: [InputKind: Int] = [:]
var firstErrors: [String: (count: Int, example: Int)] = [:]
var statements = 0, sqlBytes = 0, inputBytes = 0
let budget = UInt64(options.budgetMilliseconds * 1e6)
var executor: Executor?
if options.execute {
    do { executor = try Executor(directory: options.directory, pipeline: pipeline) } catch {
        print("stratum-fuzz: cannot set up the scratch store: \(error)")
        exit(2)
    }
}
var executed = 0
let runStart = CrashGuard.now()
var lastProgress = runStart

print("stratum-fuzz: \(options.iterations) inputs, seed \(options.seed), budget \(Int(options.budgetMilliseconds)) ms of \(options.wallClockBudget ? "wall-clock" : "CPU") time per input (hang limit \(Int(options.hangSeconds)) s); inputs are replayable with --replay \(options.seed) INDEX")
for index in options.start..<(options.start + options.iterations) {
    let (kind, text) = generator.input(index)
    if saveEveryInput { CrashGuard.save(text, to: currentPath) }
    if index % 16 == 0 { _ = Environment.parseParameter(String(text.prefix(80))) }   // the `--param` parser
    CrashGuard.begin(seed: options.seed, index: UInt64(index), text: text)
    let started = CrashGuard.now(), startedCPU = CrashGuard.cpuNow()
    let result = pipeline.run(text)
    let wall = CrashGuard.now() - started
    let elapsed = options.wallClockBudget ? wall : CrashGuard.cpuNow() - startedCPU
    CrashGuard.end()
    slowestWall = max(slowestWall, wall)
    if result.outcome == .compiled { compiledByKind[kind, default: 0] += 1 }
    if kind == options.diagnose, result.outcome != .compiled {
        var binder = Binder(environment: pipeline.environment, loader: pipeline.loader)
        _ = binder.bind(SourceFile(name: Pipeline.fileName, text: text))
        if let first = binder.diagnostics.first(where: { $0.severity == .error }) {
            let key = first.text.replacingOccurrences(of: #"'[^']*'"#, with: "'…'", options: .regularExpression)
            firstErrors[key, default: (0, index)].count += 1
        }
    }

    kinds[kind, default: 0] += 1
    outcomes[result.outcome, default: 0] += 1
    statements += result.statements
    sqlBytes += result.sqlBytes
    inputBytes += text.utf8.count
    if slowest.count < 5 || elapsed > slowest[slowest.count - 1].nanoseconds {
        slowest.append((elapsed, index, kind, text.utf8.count))
        slowest.sort { $0.nanoseconds > $1.nanoseconds }
        if slowest.count > 5 { slowest.removeLast() }
    }
    var problems = result.problems
    if let executor, result.outcome == .compiled, result.statements > 0 {
        executed += 1
        if let problem = executor.run(text) { problems.append(problem) }
    }
    if elapsed > budget { problems.append("took \(milliseconds(elapsed)), over the \(Int(options.budgetMilliseconds)) ms budget") }
    if !problems.isEmpty {
        for problem in problems { failures.append(Failure(index: index, kind: kind, message: problem)) }
        let path = options.directory + "/failure-\(options.seed)-\(index).stratum"
        _ = FileManager.default.createFile(atPath: path, contents: Data(text.utf8))
        if failures.count <= 20 { print("FAILED seed \(options.seed) index \(index) (\(kind.rawValue)): \(problems.joined(separator: "; ")) — saved to \(path)") }
    }
    if options.progress, CrashGuard.now() - lastProgress > 10_000_000_000 {
        lastProgress = CrashGuard.now()
        let done = index - options.start + 1
        let seconds = Double(lastProgress - runStart) / 1e9
        print("  \(done) inputs, \(Int(Double(done) / seconds)) inputs/s, \(failures.count) failures")
        fflush(nil)
    }
}

let seconds = Double(CrashGuard.now() - runStart) / 1e9
let rate = Double(options.iterations) / max(seconds, 1e-9)
print(String(format: "ran %d inputs in %.1f s: %.0f inputs/s (%.1f MB of input, %.1f MB of SQL rendered)",
             options.iterations, seconds, rate, Double(inputBytes) / 1e6, Double(sqlBytes) / 1e6))
print("  outcomes: " + Outcome.allCases.map { "\(outcomes[$0, default: 0]) \($0.rawValue)" }.joined(separator: ", ")
      + " (\(statements) statements compiled" + (options.execute ? "; \(executed) inputs run on a scratch store)" : ")"))
print("  inputs: " + InputKind.allCases.map { "\(kinds[$0, default: 0]) \($0.rawValue) (\(compiledByKind[$0, default: 0]) compiled)" }.joined(separator: ", "))
print("  slowest (\(options.wallClockBudget ? "wall-clock" : "CPU") time; longest wall-clock \(milliseconds(slowestWall))): " + slowest.map { "\(milliseconds($0.nanoseconds)) (index \($0.index), \($0.kind.rawValue), \($0.bytes) bytes)" }.joined(separator: "; "))
if options.diagnose != nil {
    print("  first errors of \(options.diagnose!.rawValue) inputs that did not compile:")
    for (text, entry) in firstErrors.sorted(by: { $0.value.count > $1.value.count }).prefix(25) {
        print("    \(entry.count)× \(text.prefix(110)) (e.g. index \(entry.example))")
    }
}
let worst = slowest.first.map { milliseconds($0.nanoseconds) } ?? "-"
if failures.isEmpty {
    print("fuzz: \(options.iterations) inputs, 0 failures, slowest \(worst) (seed \(options.seed), \(String(format: "%.0f", rate)) inputs/s)")
    exit(0)
} else {
    let inputs = Set(failures.map(\.index)).count
    print("fuzz: \(options.iterations) inputs, \(inputs) FAILED (seed \(options.seed); replay with --replay \(options.seed) \(failures[0].index))")
    exit(1)
}
