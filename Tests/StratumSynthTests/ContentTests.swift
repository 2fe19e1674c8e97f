import Foundation
import StratumSynth
import XCTest

/// Checks the N = 2,000 population (seed 2024) against what docs/SYNTH.md says is planted.
final class ContentTests: XCTestCase {
    override class func tearDown() {
        if let path = try? ArchiveFixture.population().path { try? FileManager.default.removeItem(atPath: path) }
        super.tearDown()
    }

    func testArchiveListsTheExpectedEntries() throws {
        let (path, summary, _) = try ArchiveFixture.population()
        let names = try ArchiveFixture.entries(of: path).map(\.name)
        XCTAssertEqual(names, summary.entries)
        var expected = ["Organization.000001.ndjson", "Practitioner.000001.ndjson", "PractitionerRole.000001.ndjson"]
        for chunk in ["000001", "000002", "000003"] {
            for type in ["Patient", "Encounter", "Condition", "Observation", "MedicationRequest", "MedicationDispense"] {
                expected.append("\(type).\(chunk).ndjson")
            }
        }
        XCTAssertEqual(names, expected, "2,000 patients in chunks of 700 make three chunks")
        // `tar` agrees with libarchive (the importer's reader) on the listing.
        let tar = Process()
        tar.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        tar.arguments = ["tar", "tzf", path]
        let pipe = Pipe()
        tar.standardOutput = pipe
        try tar.run()
        let listing = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        tar.waitUntilExit()
        XCTAssertEqual(listing.split(separator: "\n").map(String.init), expected)
    }

    func testEveryLineParsesAndCountsMatch() throws {
        let (_, summary, resources) = try ArchiveFixture.population()
        XCTAssertEqual(resources["Patient"]?.count, 2_000)
        for (type, count) in summary.resourceCounts { XCTAssertEqual(resources[type]?.count, count, type) }
        for (type, list) in resources {
            let ids = Set(list.compactMap { $0.string("id") })
            XCTAssertEqual(ids.count, list.count, "\(type) ids are unique")
        }
    }

    func testReferencesResolve() throws {
        let (_, _, resources) = try ArchiveFixture.population()
        let ids = resources.mapValues { Set($0.compactMap { $0.string("id") }) }
        var checked = 0
        func walk(_ value: Any) {
            if let object = value as? [String: Any] {
                for (key, field) in object {
                    if key == "reference", let reference = field as? String {
                        let parts = reference.split(separator: "/").map(String.init)
                        XCTAssertEqual(parts.count, 2, reference)
                        XCTAssertTrue(ids[parts[0]]?.contains(parts[1]) ?? false, "dangling \(reference)")
                        checked += 1
                    } else {
                        walk(field)
                    }
                }
            } else if let array = value as? [Any] {
                array.forEach(walk)
            }
        }
        for list in resources.values { list.forEach(walk) }
        XCTAssertGreaterThan(checked, 100_000)
    }

    func testPrevalencesAreNearTheirTargets() throws {
        let (_, summary, resources) = try ArchiveFixture.population()
        let adults = Double(summary.adults)
        XCTAssertGreaterThan(adults, 1_700)
        // Count from the data (any diabetes coding) and compare with the planted truth.
        let birth = Dictionary(uniqueKeysWithValues: resources["Patient"]!.map { ($0.string("id")!, $0.string("birthDate")!) })
        var diabetic = Set<String>()
        for condition in resources["Condition"]! {
            let codes = condition.codes("code")
            if codes.contains("http://snomed.info/sct|44054006") || codes.contains(where: { $0.contains("icd-10-cm|E11") }),
               let subject = condition.referenceID("subject"), birth[subject]! <= "1996-12-31" {
                diabetic.insert(subject)
            }
        }
        XCTAssertEqual(diabetic.count, summary.adultsWithCondition["44054006"])
        let rate = { (code: String) in Double(summary.adultsWithCondition[code] ?? 0) / adults }
        XCTAssertEqual(rate("44054006"), 0.11, accuracy: 0.03, "type 2 diabetes")
        XCTAssertEqual(rate("59621000"), 0.30, accuracy: 0.05, "hypertension")
        XCTAssertEqual(rate("88805009"), 0.03, accuracy: 0.015, "heart failure")
        XCTAssertEqual(rate("13645005"), 0.05, accuracy: 0.02, "COPD")
    }

    func testHbA1cIsPlausibleAndVaried() throws {
        let (_, _, resources) = try ArchiveFixture.population()
        let hba1c = resources["Observation"]!.filter {
            let codes = $0.codes("code")
            return codes.contains("http://loinc.org|4548-4") || codes.contains("http://loinc.org|17856-6")
        }
        let values = hba1c.compactMap { $0.object("valueQuantity")?["value"] as? Double }
        XCTAssertEqual(values.count, hba1c.count)
        XCTAssertGreaterThan(values.count, 2_000)
        XCTAssertTrue(values.allSatisfy { (4...15).contains($0) }, "HbA1c within 4–15%")
        XCTAssertGreaterThan(values.filter { $0 >= 10 }.count, 50, "some poorly controlled")
        XCTAssertGreaterThan(values.filter { $0 >= 12 }.count, 5)
        XCTAssertGreaterThan(values.filter { $0 < 7 }.count, values.count / 4, "many controlled")
        XCTAssertTrue(hba1c.allSatisfy { $0.object("valueQuantity")?.string("code") == "%" })
    }

    func testDispensesHaveDaysSupplyAndFollowTheirPrescriptions() throws {
        let (_, _, resources) = try ArchiveFixture.population()
        let requests = Dictionary(uniqueKeysWithValues: resources["MedicationRequest"]!.map { ($0.string("id")!, $0) })
        let dispenses = resources["MedicationDispense"]!
        XCTAssertGreaterThan(dispenses.count, 10_000)
        for dispense in dispenses {
            let supply = dispense.object("daysSupply")
            XCTAssertEqual(supply?.string("unit"), "d")
            XCTAssertEqual(supply?.string("system"), "http://unitsofmeasure.org")
            XCTAssertEqual(supply?.string("code"), "d")
            XCTAssertTrue([5, 30, 90].contains(supply?["value"] as? Int ?? 0))
            let rx = requests[dispense.array("authorizingPrescription").first?.string("reference")?
                .split(separator: "/").last.map(String.init) ?? ""]
            XCTAssertNotNil(rx)
            XCTAssertEqual(rx?.codes("medicationCodeableConcept"), dispense.codes("medicationCodeableConcept"))
            XCTAssertLessThanOrEqual(rx?.string("authoredOn") ?? "", dispense.string("whenHandedOver") ?? "")
        }
        XCTAssertNotNil(resources["MedicationRequest"]!.first?.object("dispenseRequest")?.object("expectedSupplyDuration"))
    }

    func testNoEventsAfterDeathOrOutsideThePeriod() throws {
        let (_, summary, resources) = try ArchiveFixture.population()
        let deaths = Dictionary(uniqueKeysWithValues: resources["Patient"]!.compactMap { p in
            p.string("deceasedDateTime").map { (p.string("id")!, String($0.prefix(10))) }
        })
        XCTAssertEqual(deaths.count, summary.deaths)
        XCTAssertGreaterThan(deaths.count, 100)
        var events: [(String, String)] = []
        for e in resources["Encounter"]! { events.append((e.referenceID("subject")!, e.object("period")!.string("end")!)) }
        for o in resources["Observation"]! { events.append((o.referenceID("subject")!, o.string("effectiveDateTime")!)) }
        for d in resources["MedicationDispense"]! { events.append((d.referenceID("subject")!, d.string("whenHandedOver")!)) }
        for r in resources["MedicationRequest"]! { events.append((r.referenceID("subject")!, r.string("authoredOn")!)) }
        for c in resources["Condition"]! { events.append((c.referenceID("subject")!, c.string("onsetDateTime")!)) }
        for (patient, time) in events {
            XCTAssertTrue(time >= "2015-01-01" && time < "2026-01-01", "\(time) outside 2015–2025")
            if let death = deaths[patient] { XCTAssertLessThan(String(time.prefix(10)), death, "event after death") }
        }
    }

    func testEncounterClassesAndCOPDExacerbations() throws {
        let (_, _, resources) = try ArchiveFixture.population()
        let encounters = resources["Encounter"]!
        let classes = Set(encounters.compactMap { $0.object("class")?.string("code") })
        XCTAssertEqual(classes, ["AMB", "EMER", "IMP"])
        let exacerbations = encounters.filter { encounter in
            encounter.array("reasonCode").contains { ($0["coding"] as? [[String: Any]] ?? []).contains { $0.string("code") == "195951007" } }
        }
        XCTAssertGreaterThan(exacerbations.count, 20)
        XCTAssertTrue(exacerbations.allSatisfy { ["EMER", "IMP"].contains($0.object("class")?.string("code") ?? "") })
        // Each exacerbation has a prednisone burst prescribed at that encounter.
        let bursts = Set(resources["MedicationRequest"]!.filter {
            $0.codes("medicationCodeableConcept") == ["http://www.nlm.nih.gov/research/umls/rxnorm|312615"]
        }.compactMap { $0.referenceID("encounter") })
        let exacerbationIDs = Set(exacerbations.compactMap { $0.string("id") })
        XCTAssertEqual(bursts.count, exacerbationIDs.count)
        XCTAssertTrue(bursts == exacerbationIDs, "every exacerbation, and only those, gets a burst")
    }

    func testPractitionersHaveValidNPIs() throws {
        let (_, _, resources) = try ArchiveFixture.population()
        for practitioner in resources["Practitioner"]! {
            let npi = practitioner.array("identifier").first?.string("value") ?? ""
            XCTAssertEqual(npi.count, 10)
            // Luhn over "80840" + NPI.
            let digits = ("80840" + npi).compactMap(\.wholeNumberValue)
            var sum = 0
            for (i, digit) in digits.reversed().enumerated() {
                sum += i % 2 == 1 ? (digit * 2 > 9 ? digit * 2 - 9 : digit * 2) : digit
            }
            XCTAssertEqual(sum % 10, 0, npi)
        }
    }
}
