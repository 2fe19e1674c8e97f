@testable import StratumReports

/// A synthetic run of any size for timing the renderers: `patients` people, seven measures with
/// the patients spread over their initial populations, about a third of the outcomes open gaps,
/// 200 providers and 40 care sites. Deterministic (no random numbers).
enum LargeRun {
    static func make(patients count: Int, outcomes target: Int) -> CareGapRun {
        let measures = (0..<7).map { m in
            MeasureDescriptor(id: "cms\(100 + m)", cmsId: "CMS\(100 + m)v13", title: "Synthetic measure \(m)", version: "0.1.00\(m)",
                              url: m % 2 == 0 ? "https://example.org/fhir/Measure/CMS\(100 + m)" : nil,
                              improvement: m == 0 ? .decrease : .increase,
                              groups: [MeasureGroup(id: "1", title: "", populations: [.initialPopulation, .denominator, .denominatorExclusion, .numerator])],
                              valueSetSource: "demo approximations (synthetic)", scriptFile: "m\(m).stratum")
        }
        let patients = (0..<count).map { i in
            PatientSummary(personId: Int64(100_000 + i), age: 18 + i % 70, sex: i % 2 == 0 ? "female" : "male",
                           providerId: i % 97 == 0 ? nil : Int64(1 + i % 200), providerName: "Provider \(i % 200)",
                           careSiteId: Int64(1 + i % 40), careSiteName: "Site \(i % 40)")
        }
        let perMeasure = max(1, target / measures.count)
        var outcomes: [MeasureOutcome] = []
        outcomes.reserveCapacity(perMeasure * measures.count)
        for (m, measure) in measures.enumerated() {
            for k in 0..<min(perMeasure, count) {
                let i = (k * 7 + m * 13) % count
                let person = Int64(100_000 + i)
                let excluded = (i + m) % 17 == 0
                let numerator = !excluded && (i * 31 + m) % 3 != 0
                var populations: Set<MeasurePopulation> = [.initialPopulation, .denominator]
                if excluded { populations.insert(.denominatorExclusion) }
                if numerator { populations.insert(.numerator) }
                let gap = measure.improvement == .decrease ? numerator : (!excluded && !numerator)
                outcomes.append(MeasureOutcome(
                    measureId: measure.id, groupId: "1", personId: person, populations: populations, hasGap: gap,
                    evidence: [Evidence(label: "qualifying encounter", value: nil, date: "2025-03-14"),
                               Evidence(label: "latest result", value: "\(i % 12).\(i % 10)", date: "2025-10-02")]))
            }
        }
        return CareGapRun(periodStart: "2025-01-01", periodEnd: "2025-12-31", generatedAt: "2026-01-15T09:30:00Z", engineVersion: "bench",
                          dataSnapshot: "synthetic", minCell: 11, measures: measures, patients: patients, outcomes: outcomes, timings: [:])
    }
}
