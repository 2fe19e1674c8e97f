@testable import StratumReports

/// A small synthetic panel for the renderer tests: two measures (CMS122, inverse, and CMS165),
/// 30 patients, three providers — one with only three patients, so its cells are suppressed — one
/// unattributed patient, names with commas and quotes, evidence with a comma, a quote and a
/// newline. Everything is fixed, generation time included, so the renderers' output is byte-stable.
enum SamplePanel {
    static let generatedAt = "2026-01-15T09:30:00Z"

    static let cms122 = MeasureDescriptor(
        id: "cms122", cmsId: "CMS122v13", title: "Diabetes: Glycemic Status Assessment Greater Than 9%", version: "0.1.002",
        url: "https://example.org/fhir/Measure/CMS122", improvement: .decrease,
        groups: [MeasureGroup(id: "1", title: "", populations: [.initialPopulation, .denominator, .denominatorExclusion, .numerator])],
        valueSetSource: "demo approximations (Reports/measures/valuesets)", scriptFile: "cms122.stratum")

    static let cms165 = MeasureDescriptor(
        id: "cms165", cmsId: "CMS165v13", title: "Controlling High Blood Pressure", version: "0.1.004", url: nil, improvement: .increase,
        groups: [MeasureGroup(id: "1", title: "", populations: [.initialPopulation, .denominator, .denominatorExclusion, .numerator])],
        valueSetSource: "VSAC export 2025-05 (/data/valuesets)", scriptFile: "cms165.stratum")

    /// Person ids 1001…1030. Providers: 501 (15 patients), 502 (11), 503 (3, under the minimum
    /// cell size), none (1). Care sites: 71 (16), 72 (12), none (2).
    static let patients: [PatientSummary] = (0..<30).map { i in
        let provider: (Int64, String)? = i == 29 ? nil
            : i < 15 ? (501, "Dr. Ana Ruiz")
            : i < 26 ? (502, "Dr. \"Sam\" O'Neil, MD")
            : (503, "Dr. Lee Chen")
        let site: (Int64, String)? = i == 3 || i == 17 ? nil : i % 2 == 0 || i < 4 ? (71, "Northside Clinic, Suite 2") : (72, "Harbor Health Center")
        return PatientSummary(personId: Int64(1001 + i), age: 18 + (i * 7) % 60, sex: i == 11 ? nil : (i % 2 == 0 ? "female" : "male"),
                              providerId: provider?.0, providerName: provider?.1, careSiteId: site?.0, careSiteName: site?.1)
    }

    static var outcomes: [MeasureOutcome] {
        var outcomes: [MeasureOutcome] = []
        // CMS122 (inverse: the numerator — HbA1c > 9 % or missing — is the gap).
        for i in 0..<30 where i % 5 != 4 {
            let excluded = i % 7 == 0
            let poorControl = !excluded && i % 3 != 0
            var populations: Set<MeasurePopulation> = [.initialPopulation, .denominator]
            if excluded { populations.insert(.denominatorExclusion) }
            if poorControl { populations.insert(.numerator) }
            var evidence = [Evidence(label: "qualifying encounter", value: nil, date: "2025-0\(1 + i % 9)-1\(i % 10)")]
            if excluded {
                evidence.append(Evidence(label: "hospice", value: "yes", date: "2025-06-30"))
            } else if i == 13 {
                evidence.append(Evidence(label: "latest HbA1c", value: nil, date: nil))   // missing: counts as poor control
            } else {
                let value = poorControl ? "9.\(i % 10) %" : "7.\(i % 10) %"
                evidence.append(Evidence(label: "latest HbA1c", value: value, date: "2025-1\(i % 3)-0\(1 + i % 9)"))
            }
            if i == 6 { evidence.append(Evidence(label: "note", value: "repeat \"stat\" order, lab A\nsecond line", date: nil)) }
            outcomes.append(MeasureOutcome(measureId: "cms122", groupId: "1", personId: Int64(1001 + i), populations: populations,
                                           hasGap: poorControl, evidence: evidence))
        }
        // CMS165: controlled blood pressure is the numerator; not controlled is the gap.
        for i in 0..<30 {
            let excluded = i % 9 == 0
            let controlled = !excluded && i % 2 == 0
            var populations: Set<MeasurePopulation> = [.initialPopulation, .denominator]
            if excluded { populations.insert(.denominatorExclusion) }
            if controlled { populations.insert(.numerator) }
            let evidence = excluded
                ? [Evidence(label: "frailty and advanced illness", value: "yes", date: "2025-02-1\(i % 10)")]
                : [Evidence(label: "latest BP", value: controlled ? "128/78 mmHg" : "15\(i % 10)/9\(i % 10) mmHg", date: "2025-11-0\(1 + i % 9)")]
            outcomes.append(MeasureOutcome(measureId: "cms165", groupId: "1", personId: Int64(1001 + i), populations: populations,
                                           hasGap: !excluded && !controlled, evidence: evidence))
        }
        return outcomes
    }

    static var run: CareGapRun {
        CareGapRun(periodStart: "2025-01-01", periodEnd: "2025-12-31", generatedAt: generatedAt, engineVersion: "0.9.0-test",
                   dataSnapshot: "pop.sqlite sha256:3f2a9c0d51e8b7a4", minCell: 11, measures: [cms122, cms165], patients: patients,
                   outcomes: outcomes, timings: ["cms122": 0.412, "cms165": 0.377])
    }
}
