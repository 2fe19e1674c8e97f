import Foundation
import StratumQuery
import StratumStore
import XCTest

/// OHDSI Circe cohort-generation fixtures, each definition written in Stratum's language
/// (docs/conformance/CIRCE.md says what every id is). Loads the `_PREP` rows, runs the script and
/// requires exactly the `_VERIFY` rows. Ids that need tables the store does not have are listed
/// as unsupported and counted, never passed.
final class CirceConformanceTests: XCTestCase {
    /// "Parent Conceptset": concept 1 and its descendants.
    static let header = "valueset Parent = descendants of omop:1\n"

    /// case → (definition id → script of one cohort named `c<id>`), or the reason it cannot run.
    static let definitions: [String: [Int64: Result<String, Unsupported>]] = [
        "firstOccurrence/firstOccurrenceTest": [
            1: .failure(.init("condition_era table")),
            2: .success("cohort c2 entry first ever condition with observation 90 days before"),
            3: .failure(.init("device_exposure table")),
            4: .failure(.init("drug_era table")),
            5: .success("cohort c5 entry first ever drug with observation 90 days before"),
            6: .success("cohort c6 entry first ever measurement with observation 90 days before"),
            7: .success("cohort c7 entry first ever observation with observation 90 days before"),
            8: .success("cohort c8 entry first ever procedure with observation 90 days before"),
            9: .failure(.init("specimen table")),
            10: .success("cohort c10 entry first ever visit with observation 90 days before"),
            11: .failure(.init("payer plan periods as an event domain")),
        ],
        "correlatedCriteria/countsTest": [
            1: .success("""
                cohort c1
                  entry all condition in Parent
                  require exactly 0 condition in Parent before entry
                """),
            2: .success("""
                cohort c2
                  entry all condition in Parent
                  require at least 1 condition in Parent before entry
                """),
            3: .success("""
                cohort c3
                  entry all condition in Parent
                  require at most 0 condition in Parent before entry
                """),
            4: .success("""
                cohort c4
                  entry all condition in Parent
                  require visit before entry ending after entry
                """),
        ],
        "limits/limitTest": [
            1: .success("""
                cohort c1
                  entry all condition in Parent
                  require condition in Parent before entry
                  exit 1 days after entry
                  collapse pad 60 days
                """),
            2: .success("""
                cohort c2
                  entry all condition in Parent
                  require condition in Parent before entry
                  keep first
                  exit 1 days after entry
                  collapse pad 60 days
                """),
            3: .success("""
                cohort c3
                  entry all condition in Parent
                  require condition in Parent before entry
                  keep first
                  keep first
                  exit 1 days after entry
                  collapse pad 60 days
                """),
            4: .success("""
                cohort c4
                  entry first condition in Parent
                  require condition in Parent before entry
                  exit 1 days after entry
                  collapse pad 60 days
                """),
            5: .success("""
                cohort c5
                  entry last condition in Parent
                  require condition in Parent before entry
                  keep first
                  exit 1 days after entry
                  collapse pad 60 days
                """),
        ],
        "inclusionRules/simpleInclusionRule": [
            1: .success("""
                cohort c1
                  entry first condition in (descendants of omop:2)
                  rule "Prior Condition" at least 1 condition in (descendants of omop:3) before entry
                  keep first
                """),
        ],
        "exits/continuousExposure": [
            1: .success("""
                cohort c1
                  entry all drug in Parent
                  exit on continuous drug in Parent gap 60 days
                """),
            2: .success("""
                cohort c2
                  entry first drug in Parent
                  exit on continuous drug in Parent gap 60 days
                """),
        ],
        "exits/fixedOffset": [
            1: .success("""
                cohort c1
                  entry all drug in Parent
                  exit 31 days after entry end
                """),
        ],
        "eraDupes/eraDupes": [
            1: .success("""
                cohort c1
                  entry all condition
                  exit 0 days after entry end
                  collapse pad 30 days
                """),
        ],
        "conditionOccurrence/conditionStatusTest": [
            1: .success("cohort c1 entry first condition"),
            2: .success("cohort c2 entry first condition"),
            3: .failure(.init("condition_status_concept_id column")),
        ],
    ]

    struct Unsupported: Error { var reason: String; init(_ r: String) { reason = r } }

    func testEveryCircePassesOrIsDeclaredUnsupported() throws {
        let fixture = try CirceFixture.open(self)
        var passed: [String] = [], failed: [String] = [], unsupported: [String] = []
        for circeCase in try fixture.cases() {
            let expected = try fixture.expectedRows(circeCase)
            let ids = Set(expected.map(\.definitionID)).union(Self.definitions[circeCase.description]?.keys.map { $0 } ?? [])
            guard let scripts = Self.definitions[circeCase.description] else {
                XCTFail("no Stratum definitions for Circe case \(circeCase)")
                continue
            }
            for id in ids.sorted() {
                let label = "\(circeCase) #\(id)"
                guard let script = scripts[id] else { XCTFail("\(label): no definition"); failed.append(label); continue }
                switch script {
                case .failure(let u):
                    unsupported.append("\(label) (needs \(u.reason))")
                case .success(let text):
                    let (store, _) = try fixture.makeStore(for: circeCase)
                    let session = try Session(store: store)
                    do {
                        try session.run(SourceFile(name: "\(circeCase.name)-\(id).stratum", text: Self.header + text))
                    } catch {
                        XCTFail("\(label): \(error)")
                        failed.append(label)
                        continue
                    }
                    let definition = try store.db.scalar("SELECT cohort_definition_id FROM cohort_definition WHERE name = ?", [.text("c\(id)")]).int ?? -1
                    let actual = try store.db.query("SELECT subject_id, cohort_start_date, cohort_end_date FROM cohort WHERE cohort_definition_id = ?",
                                                    [.integer(definition)])
                        .map { CohortRow(definitionID: id, subjectID: $0[0].int!, startDay: Int($0[1].int!), endDay: Int($0[2].int!)) }.sorted()
                    let want = expected.filter { $0.definitionID == id }.sorted()
                    if actual == want { passed.append(label) } else {
                        failed.append(label)
                        XCTFail("\(label):\n  expected \(want)\n  actual   \(actual)")
                    }
                }
            }
        }
        let total = passed.count + failed.count + unsupported.count
        print("Circe conformance: \(passed.count) of \(total) cohort definitions pass, \(failed.count) fail, \(unsupported.count) unsupported")
        for u in unsupported { print("  unsupported: \(u)") }
        XCTAssertEqual(passed.count, 22, "every supported Circe definition passes")
    }
}
