import Foundation
import StratumStore
import XCTest
@testable import StratumQuery

/// Reading FHIR ValueSets: expansions, compose, references between value sets, Bundles, NDJSON,
/// directory lookup, and errors for bad input. Fixtures are small inline resources.
final class FHIRValueSetTests: XCTestCase {
    // MARK: expansion

    func testExpansionWalksNestedContainsAndSkipsAbstractAndInactive() throws {
        let json = """
        {"resourceType": "ValueSet", "id": "dm", "url": "http://example.org/ValueSet/dm", "version": "1",
         "name": "DiabetesTest", "title": "Diabetes Test",
         "identifier": [{"system": "urn:ietf:rfc:3986", "value": "urn:oid:1.2.3.4"}],
         "expansion": {"timestamp": "2024-01-01", "contains": [
            {"system": "http://snomed.info/sct", "code": "44054006", "display": "Type 2 diabetes"},
            {"system": "http://hl7.org/fhir/sid/icd-10-cm", "code": "E11", "abstract": true, "display": "header",
             "contains": [
                {"system": "http://hl7.org/fhir/sid/icd-10-cm", "code": "E11.9"},
                {"system": "http://hl7.org/fhir/sid/icd-10-cm", "code": "E11.8", "inactive": true},
                {"display": "group without code", "contains": [
                    {"system": "http://loinc.org", "code": "4548-4"}]}]},
            {"system": "http://snomed.info/sct", "code": "44054006", "display": "duplicate"}]}}
        """
        let sets = try FHIRValueSetLoader.load(data: Data(json.utf8), file: "dm.json")
        XCTAssertEqual(sets.count, 1)
        let set = sets[0]
        XCTAssertEqual(set.source, .expansion)
        XCTAssertEqual(set.codes.map(\.key), ["snomed:44054006", "icd10cm:E11.9", "loinc:4548-4"])
        XCTAssertEqual(set.codes[0].display, "Type 2 diabetes", "the first occurrence of a code is kept")
        XCTAssertEqual(set.warnings, [])
        XCTAssertEqual(set.oid, "1.2.3.4")
        XCTAssertEqual(set.url, "http://example.org/ValueSet/dm")
        XCTAssertEqual(set.version, "1")
        XCTAssertEqual(set.name, "DiabetesTest")
        XCTAssertEqual(set.title, "Diabetes Test")
        XCTAssertEqual(set.file, "dm.json")
        XCTAssertTrue(set.contains(system: "http://snomed.info/sct", code: "44054006"))
        XCTAssertTrue(set.contains(system: "icd10cm", code: "E11.9"))
        XCTAssertFalse(set.contains(system: "icd10cm", code: "E11.8"), "inactive codes are skipped")
        XCTAssertFalse(set.contains(system: "icd10cm", code: "E11"), "abstract codes are skipped")
    }

    func testExpansionIsPreferredOverComposeAndPagingIsReported() throws {
        let json = """
        {"resourceType": "ValueSet", "url": "http://example.org/ValueSet/p",
         "compose": {"include": [{"system": "http://loinc.org", "filter": [{"property": "CLASS", "op": "=", "value": "CHEM"}]}]},
         "expansion": {"total": 3, "offset": 0, "contains": [{"system": "http://loinc.org", "code": "1-8"}]}}
        """
        let set = try XCTUnwrap(FHIRValueSetLoader.load(data: Data(json.utf8), file: "p.json").first)
        XCTAssertEqual(set.source, .expansion)
        XCTAssertEqual(set.codes.map(\.key), ["loinc:1-8"])
        XCTAssertEqual(set.warnings.count, 1)
        XCTAssertTrue(set.warnings[0].contains("1 of 3"), set.warnings[0])
    }

    func testEntriesWithoutSystemOrWithWrongTypesAreReportedNotFatal() throws {
        let json = """
        {"resourceType": "ValueSet", "name": 7, "expansion": {"contains": [
            {"code": "x"}, 5, {"system": "http://loinc.org", "code": "2-6", "abstract": "false"}]}}
        """
        let set = try XCTUnwrap(FHIRValueSetLoader.load(data: Data(json.utf8), file: "w.json").first)
        XCTAssertEqual(set.codes.map(\.key), ["loinc:2-6"])
        XCTAssertNil(set.name)
        XCTAssertEqual(set.warnings.count, 3, "\(set.warnings)")
    }

    // MARK: compose

    func testComposeListsConceptsHonoursExcludesAndWarnsAboutWhatNeedsAServer() throws {
        let json = """
        {"resourceType": "ValueSet", "url": "http://example.org/ValueSet/c", "compose": {
          "include": [
            {"system": "http://snomed.info/sct", "concept": [{"code": "1", "display": "one"}, {"code": "2"}, {"code": "3"}]},
            {"system": "http://loinc.org", "concept": [{"code": "4548-4"}]},
            {"system": "http://snomed.info/sct", "filter": [{"property": "concept", "op": "is-a", "value": "73211009"}]},
            {"system": "http://www.ama-assn.org/go/cpt"},
            {"valueSet": ["http://example.org/ValueSet/elsewhere"]}],
          "exclude": [
            {"system": "http://snomed.info/sct", "concept": [{"code": "2"}]},
            {"system": "http://snomed.info/sct", "filter": [{"property": "concept", "op": "is-a", "value": "3"}]}]}}
        """
        let set = try XCTUnwrap(FHIRValueSetLoader.load(data: Data(json.utf8), file: "c.json").first)
        XCTAssertEqual(set.source, .compose)
        XCTAssertEqual(set.codes.map(\.key), ["snomed:1", "snomed:3", "loinc:4548-4"])
        XCTAssertEqual(set.codes[0].display, "one")
        XCTAssertEqual(set.warnings.count, 4, "\(set.warnings)")
        XCTAssertTrue(set.warnings.contains { $0.contains("concept is-a 73211009") && $0.contains("terminology server") })
        XCTAssertTrue(set.warnings.contains { $0.contains("all of http://www.ama-assn.org/go/cpt") })
        XCTAssertTrue(set.warnings.contains { $0.contains("http://example.org/ValueSet/elsewhere") && $0.contains("not loaded") })
        XCTAssertTrue(set.warnings.contains { $0.hasPrefix("exclude") && $0.contains("may remain") })
    }

    func testExcludeOfAWholeSystemNeedsNoServer() throws {
        let json = """
        {"resourceType": "ValueSet", "compose": {
          "include": [{"system": "http://snomed.info/sct", "concept": [{"code": "1"}]},
                      {"system": "http://loinc.org", "concept": [{"code": "2-6"}]}],
          "exclude": [{"system": "http://loinc.org"}]}}
        """
        let set = try XCTUnwrap(FHIRValueSetLoader.load(data: Data(json.utf8), file: "x.json").first)
        XCTAssertEqual(set.codes.map(\.key), ["snomed:1"])
        XCTAssertEqual(set.warnings, [])
    }

    func testValueSetReferencesResolveByCanonicalURLWithVersionsAndAcrossSchemes() throws {
        let base = valueSet(url: "http://example.org/ValueSet/base", version: "2", codes: [("http://snomed.info/sct", "1"), ("http://snomed.info/sct", "2")])
        let old = valueSet(url: "http://example.org/ValueSet/base", version: "1", codes: [("http://snomed.info/sct", "9")])
        let other = valueSet(url: "https://example.org/ValueSet/other", codes: [("http://loinc.org", "4548-4"), ("http://snomed.info/sct", "2")])
        let union = compose(url: "http://example.org/ValueSet/union", includes: [
            #"{"valueSet": ["http://example.org/ValueSet/base"]}"#,
            #"{"valueSet": ["http://example.org/ValueSet/other"]}"#])
        let pinned = compose(url: "http://example.org/ValueSet/pinned", includes: [#"{"valueSet": ["http://example.org/ValueSet/base|1"]}"#])
        let missingVersion = compose(url: "http://example.org/ValueSet/mv", includes: [#"{"valueSet": ["http://example.org/ValueSet/base|7"]}"#])
        let intersection = compose(url: "http://example.org/ValueSet/both", includes: [
            #"{"valueSet": ["http://example.org/ValueSet/base", "http://example.org/ValueSet/other"]}"#])
        let systemAndSet = compose(url: "http://example.org/ValueSet/loinc-of-other", includes: [
            #"{"system": "http://loinc.org", "concept": [{"code": "4548-4"}, {"code": "17856-6"}], "valueSet": ["http://example.org/ValueSet/other"]}"#])
        let bundle = bundleJSON([base, old, other, union, pinned, missingVersion, intersection, systemAndSet])

        let directory = ValueSetDirectory(valueSets: try FHIRValueSetLoader.load(data: Data(bundle.utf8), file: "b.json"))
        XCTAssertEqual(directory.valueSets.count, 8)
        func codes(_ name: String) throws -> [String] { try XCTUnwrap(directory.valueSet(named: name), name).codes.map(\.key) }
        XCTAssertEqual(try codes("http://example.org/ValueSet/union"), ["snomed:1", "snomed:2", "loinc:4548-4"],
                       "no version: the latest loaded; https and http spellings meet")
        XCTAssertEqual(try codes("http://example.org/ValueSet/pinned"), ["snomed:9"])
        XCTAssertEqual(try codes("http://example.org/ValueSet/both"), ["snomed:2"], "references in one include intersect")
        XCTAssertEqual(try codes("http://example.org/ValueSet/loinc-of-other"), ["loinc:4548-4"])
        let substituted = try XCTUnwrap(directory.valueSet(named: "http://example.org/ValueSet/mv"))
        XCTAssertEqual(substituted.codes.map(\.key), ["snomed:1", "snomed:2"])
        XCTAssertTrue(substituted.warnings.contains { $0.contains("version 7 is not loaded") }, "\(substituted.warnings)")
        XCTAssertEqual(directory.valueSet(named: "http://example.org/ValueSet/base|1")?.codes.map(\.key), ["snomed:9"])
        XCTAssertEqual(directory.valueSet(named: "http://example.org/ValueSet/base")?.version, "2")
        XCTAssertNil(directory.valueSet(named: "http://example.org/ValueSet/base|3"))
    }

    func testReferenceCyclesEndWithAWarning() throws {
        let a = compose(url: "http://example.org/ValueSet/a", includes: [
            #"{"system": "http://snomed.info/sct", "concept": [{"code": "1"}]}"#, #"{"valueSet": ["http://example.org/ValueSet/b"]}"#])
        let b = compose(url: "http://example.org/ValueSet/b", includes: [
            #"{"system": "http://snomed.info/sct", "concept": [{"code": "2"}]}"#, #"{"valueSet": ["http://example.org/ValueSet/a"]}"#])
        let me = compose(url: "http://example.org/ValueSet/me", includes: [#"{"valueSet": ["http://example.org/ValueSet/me"]}"#])
        let sets = try FHIRValueSetLoader.load(data: Data(bundleJSON([a, b, me]).utf8), file: "cycle.json")
        XCTAssertEqual(sets.count, 3)
        XCTAssertEqual(Set(sets[0].codes.map(\.key)), ["snomed:1", "snomed:2"])
        XCTAssertTrue(sets[1].warnings.contains { $0.contains("cycle") }, "\(sets[1].warnings)")
        XCTAssertEqual(sets[2].codes, [])
        XCTAssertTrue(sets[2].warnings.contains { $0.contains("cycle") })
    }

    // MARK: containers

    func testBundleAndNDJSONOfValueSets() throws {
        let one = valueSet(url: "http://example.org/ValueSet/one", codes: [("http://snomed.info/sct", "1")])
        let two = valueSet(url: "http://example.org/ValueSet/two", codes: [("http://loinc.org", "2-6")])
        let patient = #"{"resourceType": "Patient", "id": "p"}"#
        let bundle = bundleJSON([one, patient, two])
        XCTAssertEqual(try FHIRValueSetLoader.load(data: Data(bundle.utf8), file: "b.json").map(\.url),
                       ["http://example.org/ValueSet/one", "http://example.org/ValueSet/two"])

        let ndjson = [one, patient, "", two].map(flatten).joined(separator: "\n") + "\n"
        XCTAssertEqual(try FHIRValueSetLoader.load(data: Data(ndjson.utf8), file: "sets.ndjson").count, 2)
        XCTAssertEqual(try FHIRValueSetLoader.load(data: Data(ndjson.utf8), file: "sets.json").count, 2,
                       "NDJSON content in a .json file is recognised")
    }

    // MARK: errors

    func testErrorsNameTheFileAndTheProblem() throws {
        let dir = try temporaryDirectory()
        func error(_ content: String?, _ name: String = "bad.json") -> ValueSetError? {
            let path = dir.appendingPathComponent(name).path
            if let content { XCTAssertTrue(FileManager.default.createFile(atPath: path, contents: Data(content.utf8))) }
            do { _ = try FHIRValueSetLoader.load(file: path); return nil } catch { return error }
        }

        XCTAssertEqual(error(nil, "absent.json"), .fileMissing(path: dir.appendingPathComponent("absent.json").path))
        guard case .notJSON(_, let empty)? = error("  \n") else { return XCTFail("empty file") }
        XCTAssertTrue(empty.contains("empty"))
        guard case .notJSON(_, let xml)? = error("<ValueSet xmlns=\"http://hl7.org/fhir\"/>") else { return XCTFail("xml") }
        XCTAssertTrue(xml.contains("XML"))
        guard case .notJSON(_, let zip)? = error("PK\u{03}\u{04}rest") else { return XCTFail("zip") }
        XCTAssertTrue(zip.contains("zip"))

        let broken = "{\n  \"resourceType\": \"ValueSet\",\n  \"url\": ,\n}"
        guard case .syntax(let path, nil, let offset, let line, let column, _)? = error(broken) else { return XCTFail("syntax") }
        XCTAssertTrue(path.hasSuffix("bad.json"))
        XCTAssertNotNil(offset)
        XCTAssertEqual(line, 3, "the error is on the third line (offset \(offset ?? -1))")
        XCTAssertNotNil(column)
        let message = try XCTUnwrap(error(broken)).description
        XCTAssertTrue(message.contains("bad.json:3:") && message.contains("JSON syntax error at byte"), message)

        XCTAssertEqual(error(#"{"resourceType": "Patient"}"#), .notAValueSet(path: dir.appendingPathComponent("bad.json").path, location: nil, found: "resourceType is Patient"))
        XCTAssertTrue(error(#"{"resourceType": "Patient"}"#)!.description.hasSuffix("bad.json: not a FHIR ValueSet (resourceType is Patient)"))
        guard case .notAValueSet(_, _, let array)? = error("[1, 2]") else { return XCTFail("array") }
        XCTAssertTrue(array.contains("array"))
        guard case .notAValueSet(_, _, let noType)? = error("{}") else { return XCTFail("no type") }
        XCTAssertTrue(noType.contains("no resourceType"))
        guard case .notAValueSet(_, _, let bundle)? = error(#"{"resourceType": "Bundle", "entry": [{"resource": {"resourceType": "Library"}}]}"#)
        else { return XCTFail("bundle") }
        XCTAssertTrue(bundle.contains("1 Library"), bundle)
        guard case .syntax(_, let location, _, _, _, _)? = error("{\"resourceType\": \"ValueSet\"}\n{oops}\n", "bad.ndjson")
        else { return XCTFail("ndjson") }
        XCTAssertEqual(location, "line 2")
        guard case .unreadable? = error(nil, "") else { return XCTFail("a directory is not a file") }
    }

    func testAValueSetWithoutCodesIsAnErrorWhenUsed() throws {
        let dir = try temporaryDirectory()
        let path = dir.appendingPathComponent("filter.json").path
        let json = compose(url: "http://example.org/ValueSet/f", includes: [
            #"{"system": "http://snomed.info/sct", "filter": [{"property": "concept", "op": "is-a", "value": "404684003"}]}"#])
        XCTAssertTrue(FileManager.default.createFile(atPath: path, contents: Data(json.utf8)))
        XCTAssertEqual(try FHIRValueSetLoader.load(file: path).first?.codes, [], "loading reports, using fails")
        XCTAssertThrowsError(try FHIRValueSetLoader.loadValueSet(file: path)) { error in
            guard case .noCodes(let file, _, let reasons)? = error as? ValueSetError else { return XCTFail("\(error)") }
            XCTAssertEqual(file, path)
            XCTAssertTrue(reasons[0].contains("is-a 404684003"))
        }
    }

    func testTruncatedInputNeverCrashes() throws {
        let json = valueSet(url: "http://example.org/ValueSet/t", codes: [("http://snomed.info/sct", "1"), ("http://loinc.org", "2-6")])
        let bytes = Array(json.utf8)
        for length in 0..<bytes.count {
            _ = try? FHIRValueSetLoader.load(data: Data(bytes[..<length]), file: "t.json")
        }
        XCTAssertEqual(try FHIRValueSetLoader.load(data: Data(bytes), file: "t.json").first?.codes.count, 2)
    }

    // MARK: directory

    func testDirectoryIndexesEveryKindOfName() throws {
        let dir = try temporaryDirectory()
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("nested/deeper"), withIntermediateDirectories: true)
        func write(_ name: String, _ content: String) {
            XCTAssertTrue(FileManager.default.createFile(atPath: dir.appendingPathComponent(name).path, contents: Data(content.utf8)))
        }
        write("valueset-2.16.840.1.113883.3.464.1003.103.12.1001.json", valueSet(
            url: "http://cts.nlm.nih.gov/fhir/ValueSet/2.16.840.1.113883.3.464.1003.103.12.1001", version: "20220924",
            name: "Diabetes", title: "Diabetes", id: "2.16.840.1.113883.3.464.1003.103.12.1001",
            codes: [("http://snomed.info/sct", "44054006")]))
        write("nested/deeper/hba1c.json", valueSet(
            url: "http://cts.nlm.nih.gov/fhir/ValueSet/2.16.840.1.113883.3.464.1003.198.12.1013",
            name: "HbA1cLaboratoryTest", title: "HbA1c Laboratory Test", id: "hba1c-id", codes: [("http://loinc.org", "4548-4")]))
        write("nested/heart1.json", valueSet(url: "http://example.org/ValueSet/1.2.3.1", name: "HeartRate", title: "Heart Rate", codes: [("http://loinc.org", "8867-4")]))
        write("nested/heart2.json", valueSet(url: "http://example.org/ValueSet/1.2.3.2", name: "HeartRate", title: "Heart Rate", codes: [("http://loinc.org", "8867-4")]))
        write("nested/notes.json", #"{"resourceType": "Library"}"#)
        write("spreadsheet.xlsx", "PK")
        write(".hidden.json", "not json at all")

        let directory = try ValueSetDirectory(path: dir.path)
        XCTAssertEqual(directory.files.count, 5, "json files only, hidden ones skipped: \(directory.files)")
        XCTAssertEqual(directory.valueSets.count, 4)
        XCTAssertEqual(directory.errors.count, 1)
        XCTAssertTrue(directory.errors[0].description.contains("notes.json: not a FHIR ValueSet (resourceType is Library)"))

        let hba1c = "2.16.840.1.113883.3.464.1003.198.12.1013"
        for name in ["http://cts.nlm.nih.gov/fhir/ValueSet/\(hba1c)", "HTTPS://cts.nlm.nih.gov/fhir/ValueSet/\(hba1c)",
                     hba1c, "urn:oid:\(hba1c)", "HbA1cLaboratoryTest", "hba1claboratorytest", "HbA1c Laboratory Test",
                     "hba1c laboratory test", "hba1c-id", "HBA1C", "HbA1c_Laboratory_Test", " HbA1c Laboratory Test "] {
            XCTAssertEqual(directory.valueSet(named: name)?.oid, hba1c, name)
        }
        XCTAssertEqual(directory.valueSet(named: "diabetes")?.codes.map(\.key), ["snomed:44054006"])
        XCTAssertEqual(directory.valueSet(named: "valueset-2.16.840.1.113883.3.464.1003.103.12.1001")?.name, "Diabetes")
        XCTAssertEqual(directory.valueSet(named: "http://cts.nlm.nih.gov/fhir/ValueSet/2.16.840.1.113883.3.464.1003.103.12.1001|20220924")?.name, "Diabetes")
        XCTAssertNil(directory.valueSet(named: "Diabetes Mellitus"))
        XCTAssertNil(directory.valueSet(named: ""))

        XCTAssertNil(directory.valueSet(named: "heart rate"), "two different value sets share the name")
        XCTAssertEqual(directory.candidates(named: "HeartRate").count, 2)
        XCTAssertEqual(directory.valueSet(named: "1.2.3.2")?.file, dir.appendingPathComponent("nested/heart2.json").path)
        XCTAssertThrowsError(try directory.resolve("Heart Rate")) { error in
            guard case .ambiguous(_, let candidates)? = error as? ValueSetError else { return XCTFail("\(error)") }
            XCTAssertEqual(candidates, ["Heart Rate (OID 1.2.3.1, heart1.json)", "Heart Rate (OID 1.2.3.2, heart2.json)"])
        }
        XCTAssertThrowsError(try directory.resolve("Diabetis")) { error in
            XCTAssertEqual(error as? ValueSetError, .notFound(name: "Diabetis", suggestions: ["Diabetes"]))
            XCTAssertEqual("\(error)", "no value set named 'Diabetis'; did you mean 'Diabetes'?")
        }
        XCTAssertEqual(directory.suggestions(for: "HbA1c Lab Test"), ["HbA1c Laboratory Test"])
        XCTAssertEqual(directory.suggestions(for: "Heart"), ["HeartRate", "Heart Rate"])
        XCTAssertEqual(directory.suggestions(for: "zzzzzzzz"), [])
        XCTAssertEqual(try directory.resolve("Diabetes").codes.count, 1)
    }

    func testDuplicateCanonicalVersionsKeepTheFirstFile() throws {
        let dir = try temporaryDirectory()
        let content = valueSet(url: "http://example.org/ValueSet/d", version: "1", name: "Dup", codes: [("http://snomed.info/sct", "1")])
        for name in ["a.json", "b.json"] {
            XCTAssertTrue(FileManager.default.createFile(atPath: dir.appendingPathComponent(name).path, contents: Data(content.utf8)))
        }
        let directory = try ValueSetDirectory(path: dir.path)
        XCTAssertEqual(directory.valueSets.count, 1)
        XCTAssertEqual(directory.valueSet(named: "Dup")?.file, dir.appendingPathComponent("a.json").path)
        XCTAssertTrue(directory.valueSets[0].warnings[0].contains("b.json"))
    }

    func testDirectoryErrors() throws {
        let dir = try temporaryDirectory()
        XCTAssertThrowsError(try ValueSetDirectory(path: dir.appendingPathComponent("none").path)) {
            XCTAssertEqual($0 as? ValueSetError, .fileMissing(path: dir.appendingPathComponent("none").path))
        }
        let file = dir.appendingPathComponent("f.json").path
        XCTAssertTrue(FileManager.default.createFile(atPath: file, contents: Data("{}".utf8)))
        XCTAssertThrowsError(try ValueSetDirectory(path: file)) { XCTAssertEqual($0 as? ValueSetError, .notADirectory(path: file)) }
    }

    func testEditDistance() {
        XCTAssertEqual(EditDistance.between(Array("kitten"), Array("sitting")), 3)
        XCTAssertEqual(EditDistance.between(Array(""), Array("abc")), 3)
        XCTAssertEqual(EditDistance.between(Array("same"), Array("same")), 0)
        XCTAssertEqual(EditDistance.between(Array("Diabetis"), Array("Diabetes")), 1)
    }

    // MARK: fixtures

    private func valueSet(url: String, version: String? = nil, name: String? = nil, title: String? = nil, id: String? = nil,
                          codes: [(String, String)]) -> String {
        var fields = [#""resourceType": "ValueSet""#, #""url": "\#(url)""#]
        if let version { fields.append(#""version": "\#(version)""#) }
        if let name { fields.append(#""name": "\#(name)""#) }
        if let title { fields.append(#""title": "\#(title)""#) }
        if let id { fields.append(#""id": "\#(id)""#) }
        let contains = codes.map { #"{"system": "\#($0.0)", "code": "\#($0.1)"}"# }.joined(separator: ",\n    ")
        fields.append(#""expansion": {"contains": [\#n    \#(contains)]}"#)
        return "{\n  " + fields.joined(separator: ",\n  ") + "\n}"
    }

    private func compose(url: String, includes: [String]) -> String {
        #"{"resourceType": "ValueSet", "url": "\#(url)", "compose": {"include": [\#(includes.joined(separator: ", "))]}}"#
    }

    private func bundleJSON(_ resources: [String]) -> String {
        #"{"resourceType": "Bundle", "type": "collection", "entry": ["# + resources.map { #"{"resource": \#($0)}"# }.joined(separator: ",\n") + "]}"
    }

    private func flatten(_ json: String) -> String { json.replacingOccurrences(of: "\n", with: " ") }

    private func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("stratum-vs-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: url) }
        return url
    }
}

// MARK: - the real eCQM value sets

/// Loads every value set of the eCQM QI-Core 2024 content (`../shared/reference`, beside the
/// checkout; skipped where absent): VSAC expansions plus US Core / QI-Core compose-only sets.
final class ECQMValueSetDirectoryTests: XCTestCase {
    /// `../shared/reference/<name>`, found the way the import tests find `../shared/data`:
    /// Tests/StratumQueryTests/<file> → repository root → ../shared.
    static func sharedReference(_ name: String) throws -> String {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let path = root.appendingPathComponent("../shared/reference/\(name)").standardizedFileURL.path
        guard FileManager.default.fileExists(atPath: path) else { throw XCTSkip("reference archive \(name) is not at \(path)") }
        return path
    }

    func testLoadsEveryECQMValueSet() throws {
        let archive = try Self.sharedReference("ecqm-qicore-2024-dev.tar.gz")
        let temp = FileManager.default.temporaryDirectory.appendingPathComponent("stratum-ecqm-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: temp, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: temp) }
        let tar = Process()
        tar.executableURL = URL(fileURLWithPath: "/usr/bin/tar")
        tar.arguments = ["-xzf", archive, "-C", temp.path, "input/vocabulary/valueset"]
        try tar.run()
        tar.waitUntilExit()
        XCTAssertEqual(tar.terminationStatus, 0, "tar failed")

        let started = Date()
        let directory = try ValueSetDirectory(path: temp.appendingPathComponent("input/vocabulary/valueset").path)
        let seconds = Date().timeIntervalSince(started)

        // Every file loads: 787 JSON ValueSets (the two .xlsx spreadsheets beside them are not read).
        XCTAssertEqual(directory.errors, [], directory.errors.map(\.description).joined(separator: "\n"))
        XCTAssertEqual(directory.files.count, 787)
        XCTAssertEqual(directory.valueSets.count, 787)
        let expanded = directory.valueSets.filter { $0.source == .expansion }
        let composed = directory.valueSets.filter { $0.source == .compose }
        let empty = directory.valueSets.filter { $0.codes.isEmpty }
        let incomplete = directory.valueSets.filter { !$0.warnings.isEmpty }
        XCTAssertEqual(expanded.count, 725)
        XCTAssertEqual(composed.count, 62)
        // Compose-only sets whose includes are filters (is-a …), whole code systems or
        // references to value sets not in the directory cannot be expanded here.
        XCTAssertEqual(empty.count, 37)
        XCTAssertEqual(incomplete.count, 42)
        XCTAssertTrue(empty.allSatisfy { !$0.warnings.isEmpty }, "an empty value set always says why")
        XCTAssertTrue(expanded.allSatisfy { $0.warnings.isEmpty && !$0.codes.isEmpty })

        let diabetes = try directory.resolve("2.16.840.1.113883.3.464.1003.103.12.1001")
        XCTAssertEqual(diabetes.name, "Diabetes")
        XCTAssertEqual(diabetes.codes.count, 369)
        XCTAssertTrue(diabetes.contains(system: CodeSystem.snomed, code: "44054006"))
        XCTAssertTrue(diabetes.contains(system: CodeSystem.icd10cm, code: "E11.9"))
        XCTAssertEqual(directory.valueSet(named: "Diabetes")?.url, diabetes.url)

        let hba1c = try directory.resolve("HbA1c Laboratory Test")
        XCTAssertEqual(hba1c.oid, "2.16.840.1.113883.3.464.1003.198.12.1013")
        XCTAssertTrue(hba1c.contains(system: CodeSystem.loinc, code: "4548-4"))

        // A compose-only value set that includes another by canonical url.
        let negation = try XCTUnwrap(directory.valueSet(named: "qicore-negation-reason"))
        XCTAssertEqual(negation.source, .compose)
        XCTAssertTrue(negation.warnings.contains { $0.contains("2.16.840.1.113762.1.4.1021.56") && $0.contains("not loaded") })

        // Several VSAC value sets share a name: the lookup says so and lists them.
        XCTAssertNil(directory.valueSet(named: "Heart Rate"))
        XCTAssertEqual(directory.candidates(named: "HeartRate").count, 3)
        XCTAssertEqual(directory.suggestions(for: "Diabetis").first, "Diabetes")

        let codes = directory.valueSets.reduce(0) { $0 + $1.codes.count }
        var bySystem: [String: Int] = [:]
        for set in directory.valueSets { for code in set.codes { bySystem[code.system, default: 0] += 1 } }
        print("""
            eCQM value sets: \(directory.files.count) files, \(directory.valueSets.count) value sets \
            (\(expanded.count) expansions, \(composed.count) compose-only), \(codes) codes, \
            \(empty.count) without codes, \(incomplete.count) with warnings, \(directory.errors.count) errors, \
            loaded in \(String(format: "%.2f", seconds)) s
            codes by system: \(bySystem.sorted { $0.value > $1.value }.map { "\($0.key) \($0.value)" }.joined(separator: ", "))
            """)
        for set in incomplete {
            print("  \((set.file.map { ($0 as NSString).lastPathComponent }) ?? set.label): \(set.codes.count) codes; \(set.warnings.joined(separator: " | "))")
        }
    }
}
