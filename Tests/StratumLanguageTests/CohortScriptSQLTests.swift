import Foundation
import StratumQuery
import XCTest

/// Every script in Cohorts/ compiles, and to exactly the SQL in Golden/sql/<name>.sql: a change in
/// the compiler or in a script shows up as a reviewable diff of the SQL the engine runs.
final class CohortScriptSQLTests: XCTestCase {
    var cohortsDirectory: String { Repo.path("Cohorts") }

    func testEveryCohortScriptRendersItsGoldenSQL() throws {
        let scripts = try Repo.files(in: cohortsDirectory, ext: "stratum")
        XCTAssertFalse(scripts.isEmpty, "no scripts in \(cohortsDirectory)")
        for script in scripts {
            let path = cohortsDirectory + "/" + script
            let source = SourceFile(name: path, text: try String(contentsOfFile: path, encoding: .utf8))
            do {
                let sql = try CompiledScript.render(source)
                try assertGolden(sql, "sql/" + (script as NSString).deletingPathExtension + ".sql")
            } catch let failure as CompiledScript.Failure {
                XCTFail("\(script) has errors:\n\(failure.description.replacingOccurrences(of: Repo.root.path + "/", with: ""))")
            }
        }
    }

    /// A golden file whose script was renamed or deleted would otherwise be kept forever.
    func testNoGoldenSQLWithoutItsScript() throws {
        let scripts = Set(try Repo.files(in: cohortsDirectory, ext: "stratum").map { ($0 as NSString).deletingPathExtension })
        let goldens = try Repo.files(in: Repo.golden.appendingPathComponent("sql").path, ext: "sql").map { ($0 as NSString).deletingPathExtension }
        for golden in goldens where !scripts.contains(golden) {
            XCTFail("Golden/sql/\(golden).sql has no Cohorts/\(golden).stratum")
        }
    }

    /// Compiling twice gives the same text: no dictionary order or counter leaks into the SQL.
    func testRenderingIsDeterministic() throws {
        let path = cohortsDirectory + "/uncontrolled_hypertension.stratum"
        let source = SourceFile(name: path, text: try String(contentsOfFile: path, encoding: .utf8))
        XCTAssertEqual(try CompiledScript.render(source), try CompiledScript.render(source))
    }

    /// The scripts in Cohorts/common are included, not run: they define names and count nothing.
    func testCommonFilesOnlyDefine() throws {
        let common = cohortsDirectory + "/common"
        for file in try Repo.files(in: common, ext: "stratum") {
            let path = common + "/" + file
            var binder = Binder(environment: Environment(), loader: nil)
            let statements = binder.bind(SourceFile(name: path, text: try String(contentsOfFile: path, encoding: .utf8)))
            XCTAssertFalse(binder.hasErrors, "\(file): \(DiagnosticRenderer(sources: binder.sources).render(binder.diagnostics))")
            for statement in statements {
                switch statement {
                case .declaration, .cohort: continue
                default: XCTFail("common/\(file) has a statement that prints results; move it to a script in Cohorts/")
                }
            }
        }
    }
}
