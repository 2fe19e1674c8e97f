/// FHIR R4 output of a care-gap run (docs/REPORTS.md shows each):
///
/// - `measurereport-summary.json`: a `collection` Bundle with one summary `MeasureReport` per
///   measure. Small cells are suppressed here too (unless `minCell` is 0): a suppressed
///   population has no `count` but the extension `suppressedExtensionURL` = true, and a
///   suppressed rate is a `measureScore` with only that extension. A summary leaves the
///   organisation like any other aggregate, so it gets the same protection as the CSV and HTML.
/// - `measurereport-individual.ndjson`: one individual `MeasureReport` per outcome per line
///   (Bulk Data NDJSON), populations counted 0/1, no `evaluatedResource`.
/// - `caregaps.ndjson`: per patient with an open gap, one DEQM-style gaps-in-care `document`
///   Bundle per line: `Composition` (one section per open gap), `Patient` (id and gender: the run
///   has nothing else), then per gap a `DetectedIssue` (gap status open-gap) and the individual
///   `MeasureReport` it points at. Entries have `urn:uuid:` full URLs (`NameUUID`, so the output
///   is reproducible) and refer to each other by them.
///
/// The NDJSON lines are written from fragments pre-rendered per measure group, not through a
/// JSON tree: a million-patient run has millions of lines.
public struct CareGapFHIRRenderer {
    public static let suppressedExtensionURL = "http://stratum.dev/fhir/StructureDefinition/suppressed"
    public static let gapStatusExtensionURL = "http://hl7.org/fhir/us/davinci-deqm/StructureDefinition/extension-gapStatus"
    static let populationSystem = "http://terminology.hl7.org/CodeSystem/measure-population"
    static let improvementSystem = "http://terminology.hl7.org/CodeSystem/measure-improvement-notation"

    private let index: CareGapRunIndex
    private let summary: CareGapSummary
    private let uuids: NameUUID

    public init(run: CareGapRun) {
        let index = CareGapRunIndex(run: run)
        self.init(index: index, summary: CareGapSummary(index: index))
    }

    init(index: CareGapRunIndex, summary: CareGapSummary) {
        self.index = index
        self.summary = summary
        let run = index.run
        uuids = NameUUID(namespace: "stratum-caregaps|\(run.periodStart)|\(run.periodEnd)|\(run.dataSnapshot)|\(run.generatedAt)")
    }

    /// The Measure canonical, or `urn:stratum:measure:<id>` when the descriptor has none.
    static func measureURL(_ measure: MeasureDescriptor) -> String {
        measure.url ?? "urn:stratum:measure:\(measure.id)"
    }

    /// A FHIR id ([A-Za-z0-9-.]{1,64}) from free text: other characters become "-", and text
    /// too long is shortened with a hash so that ids stay distinct.
    static func fhirID(_ text: String, maxLength: Int = 64) -> String {
        var id = String(String.UnicodeScalarView(text.unicodeScalars.map { scalar in
            scalar.isASCII && (scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) || scalar == "-" || scalar == ".")
                ? scalar : "-"
        }))
        if id.isEmpty { id = "x" }
        if id.utf8.count > maxLength {
            let digest = NameUUID(namespace: "fhir-id").uuid(text).filter { $0 != "-" }
            id = String(id.prefix(maxLength - 17)) + "-" + digest.prefix(16)
        }
        return id
    }

    // MARK: measurereport-summary.json

    public func summaryBundle() -> String {
        var out = ReportBuffer()
        try? writeSummaryBundle(to: &out)
        return out.text
    }

    public func writeSummaryBundle(to out: inout ReportBuffer) throws {
        let run = index.run
        var w = JSONWriter(pretty: true, capacity: 1 << 16)
        w.beginObject()
        w.field("resourceType", "Bundle")
        w.field("id", "caregaps-summary")
        w.field("type", "collection")
        w.field("timestamp", run.generatedAt)
        w.key("entry")
        w.beginArray()
        var start = 0
        let rows = summary.measureRows
        while start < rows.count {
            var end = start + 1
            while end < rows.count && rows[end].measure.id == rows[start].measure.id { end += 1 }
            writeSummaryReport(rows[start..<end], to: &w)
            start = end
        }
        w.endArray()
        w.endObject()
        out.append(contentsOf: w.bytes)
        out.append(byte: UInt8(ascii: "\n"))
        try out.flush()
    }

    private func writeSummaryReport(_ rows: ArraySlice<CareGapSummary.Row>, to w: inout JSONWriter) {
        guard let first = rows.first else { return }
        let run = index.run, measure = first.measure
        let id = Self.fhirID("summary-\(measure.id)")
        w.beginObject()
        w.field("fullUrl", "urn:uuid:" + uuids.uuid("MeasureReport/\(id)"))
        w.key("resource")
        w.beginObject()
        w.field("resourceType", "MeasureReport")
        w.field("id", id)
        w.field("status", "complete")
        w.field("type", "summary")
        w.field("measure", Self.measureURL(measure))
        w.field("date", run.generatedAt)
        w.key("period")
        w.beginObject()
        w.field("start", run.periodStart)
        w.field("end", run.periodEnd)
        w.endObject()
        w.key("improvementNotation")
        writeImprovement(measure.improvement, to: &w)
        w.key("group")
        w.beginArray()
        for row in rows {
            w.beginObject()
            w.field("id", row.group.id)
            w.key("population")
            w.beginArray()
            let bucketPopulations = MeasurePopulation.allCases.filter { row.group.populations.contains($0) || row.counts.count($0) > 0 }
            for population in bucketPopulations {
                let count = row.counts.count(population)
                w.beginObject()
                if summary.isSuppressed(count) { writeSuppressedExtension(to: &w) }
                w.key("code")
                writePopulationCode(population, to: &w)
                if !summary.isSuppressed(count) { w.field("count", count) }
                w.endObject()
            }
            w.endArray()
            switch summary.rate(row.counts) {
            case .value(let rate):
                w.key("measureScore")
                w.beginObject()
                w.key("value")
                w.fixed(rate, places: 4)
                w.endObject()
            case .suppressed:
                w.key("measureScore")
                w.beginObject()
                writeSuppressedExtension(to: &w)
                w.endObject()
            case .undefined:
                break
            }
            w.endObject()
        }
        w.endArray()
        w.endObject()
        w.endObject()
    }

    private func writeSuppressedExtension(to w: inout JSONWriter) {
        w.key("extension")
        w.beginArray()
        w.beginObject()
        w.field("url", Self.suppressedExtensionURL)
        w.key("valueBoolean")
        w.bool(true)
        w.endObject()
        w.endArray()
    }

    /// `display` texts are written in the summary only: NDJSON lines carry codes alone, which
    /// machines need and which keep a file of millions of lines a fifth smaller.
    private func writeImprovement(_ notation: ImprovementNotation, display: Bool = true, to w: inout JSONWriter) {
        w.beginObject()
        w.key("coding")
        w.beginArray()
        w.beginObject()
        w.field("system", Self.improvementSystem)
        w.field("code", notation.rawValue)
        if display { w.field("display", notation == .increase ? "Increased score indicates improvement" : "Decreased score indicates improvement") }
        w.endObject()
        w.endArray()
        w.endObject()
    }

    private func writePopulationCode(_ population: MeasurePopulation, display: Bool = true, to w: inout JSONWriter) {
        w.beginObject()
        w.key("coding")
        w.beginArray()
        w.beginObject()
        w.field("system", Self.populationSystem)
        w.field("code", population.rawValue)
        if display { w.field("display", population.display) }
        w.endObject()
        w.endArray()
        w.endObject()
    }

    // MARK: Individual MeasureReports

    /// The fixed parts of one group's individual MeasureReports, JSON-escaped once.
    private struct IndividualTemplate {
        /// The report id without the person id (`cms122-1-`).
        var idPrefix: String
        /// `{"resourceType":"MeasureReport","id":"<idPrefix>`
        var head: [UInt8]
        /// `","status":…,"subject":{"reference":"`
        var beforeSubject: [UInt8]
        /// `"},"date":…,"population":[`
        var afterSubject: [UInt8]
        /// Per population: its bit and `{"code":{…},"count":`.
        var populations: [(bit: UInt8, fragment: [UInt8])]
        /// The Composition section title of a gap in this group (a JSON string literal).
        var sectionTitle: [UInt8]
    }

    private func individualTemplate(_ bucket: CareGapRunIndex.Bucket) -> IndividualTemplate {
        let run = index.run
        let idPrefix = Self.fhirID("\(bucket.measure.id)-\(bucket.group.id)", maxLength: 39) + "-"
        var head: [UInt8] = Array(#"{"resourceType":"MeasureReport","id":""#.utf8)
        head += Array(idPrefix.utf8)
        var before: [UInt8] = Array(#"","status":"complete","type":"individual","measure":"#.utf8)
        JSONWriter.appendString(Self.measureURL(bucket.measure), to: &before)
        before += Array(#","subject":{"reference":""#.utf8)
        var after = JSONWriter()
        after.beginObject()   // only to get commas right; the leading `{` is dropped below
        after.field("date", run.generatedAt)
        after.key("period")
        after.beginObject()
        after.field("start", run.periodStart)
        after.field("end", run.periodEnd)
        after.endObject()
        after.key("improvementNotation")
        writeImprovement(bucket.measure.improvement, display: false, to: &after)
        after.key("group")
        after.beginArray()
        after.beginObject()
        after.field("id", bucket.group.id)
        after.key("population")
        after.beginArray()
        var afterSubject: [UInt8] = Array(#""},"#.utf8)
        afterSubject += after.bytes.dropFirst()

        var populations: [(UInt8, [UInt8])] = []
        for population in index.populations(of: bucket) {
            var code = JSONWriter()
            code.beginObject()
            code.key("code")
            writePopulationCode(population, display: false, to: &code)
            code.key("count")
            populations.append((CareGapRunIndex.bit(population), code.bytes))
        }
        var title = "\(bucket.measure.cmsId) \(bucket.measure.title)"
        let label = index.groupLabel(bucket)
        if !label.isEmpty { title += " (\(label))" }
        var sectionTitle: [UInt8] = []
        JSONWriter.appendString(title, to: &sectionTitle)
        return IndividualTemplate(idPrefix: idPrefix, head: head, beforeSubject: before, afterSubject: afterSubject,
                                  populations: populations, sectionTitle: sectionTitle)
    }

    /// One individual MeasureReport. The subject is `subject` (already a safe reference) or, when
    /// nil, `Patient/<personId>`.
    private func writeIndividual(_ template: IndividualTemplate, personId: Int64, mask: UInt8, subject: [UInt8]?,
                                 to out: inout ReportBuffer) {
        out.append(contentsOf: template.head)
        out.append(int: Int(personId))
        out.append(contentsOf: template.beforeSubject)
        if let subject {
            out.append(contentsOf: subject)
        } else {
            out.append("Patient/")
            out.append(int: Int(personId))
        }
        out.append(contentsOf: template.afterSubject)
        for (position, population) in template.populations.enumerated() {
            if position > 0 { out.append(byte: UInt8(ascii: ",")) }
            out.append(contentsOf: population.fragment)
            out.append(byte: mask & population.bit != 0 ? UInt8(ascii: "1") : UInt8(ascii: "0"))
            out.append(byte: UInt8(ascii: "}"))
        }
        out.append("]}]}")
    }

    public func individualReports() -> String {
        var out = ReportBuffer()
        try? writeIndividualReports(to: &out)
        return out.text
    }

    public func writeIndividualReports(to out: inout ReportBuffer) throws {
        let outcomes = index.run.outcomes
        for bucket in index.buckets {
            let template = individualTemplate(bucket)
            for outcomeIndex in bucket.outcomes {
                writeIndividual(template, personId: outcomes[outcomeIndex].personId, mask: index.masks[outcomeIndex], subject: nil, to: &out)
                out.append(byte: UInt8(ascii: "\n"))
                try out.flushIfFull()
            }
        }
        try out.flush()
    }

    // MARK: caregaps.ndjson

    public func careGapBundles() -> String {
        var out = ReportBuffer()
        try? writeCareGapBundles(to: &out)
        return out.text
    }

    public func writeCareGapBundles(to out: inout ReportBuffer) throws {
        let run = index.run
        let outcomes = run.outcomes
        let templates = index.buckets.map(individualTemplate)

        // Open gaps in report order, then grouped by patient in person-id order (a stable
        // counting sort, so each patient's gaps stay in report order).
        var gapOutcomes: [Int] = []
        var gapBuckets: [Int32] = []
        for (bucketIndex, bucket) in index.buckets.enumerated() {
            for outcome in bucket.outcomes where outcomes[outcome].hasGap {
                gapOutcomes.append(outcome)
                gapBuckets.append(Int32(bucketIndex))
            }
        }
        let patients = index.patients
        var order = Array(patients.indices)
        var sortedByPerson = true
        for position in order.indices.dropFirst() where patients[position - 1].personId > patients[position].personId {
            sortedByPerson = false
            break
        }
        if !sortedByPerson { order.sort { patients[$0].personId < patients[$1].personId } }
        var rank = [Int32](repeating: 0, count: patients.count)
        for (position, slot) in order.enumerated() { rank[slot] = Int32(position) }
        var start = [Int](repeating: 0, count: patients.count + 1)
        for outcome in gapOutcomes { start[Int(rank[Int(index.slots[outcome])]) + 1] += 1 }
        for position in 0..<patients.count { start[position + 1] += start[position] }
        var fill = start
        var sorted = [Int](repeating: 0, count: gapOutcomes.count)
        for (position, outcome) in gapOutcomes.enumerated() {
            let r = Int(rank[Int(index.slots[outcome])])
            sorted[fill[r]] = position
            fill[r] += 1
        }

        var context = BundleContext(generatedAt: jsonString(run.generatedAt), author: jsonString("Stratum \(run.engineVersion)"),
                                    templates: templates.map { (template: $0, idPrefix: Array($0.idPrefix.utf8)) })
        for position in 0..<patients.count where start[position + 1] > start[position] {
            context.gaps.removeAll(keepingCapacity: true)
            for gap in sorted[start[position]..<start[position + 1]] {
                context.gaps.append((gapOutcomes[gap], Int(gapBuckets[gap])))
            }
            writeCareGapBundle(patient: patients[order[position]], context: &context, to: &out)
            out.append(byte: UInt8(ascii: "\n"))
            try out.flushIfFull()
        }
        try out.flush()
    }

    /// What every care-gap bundle shares, and buffers reused from one bundle to the next.
    private struct BundleContext {
        let generatedAt: [UInt8]
        let author: [UInt8]
        let templates: [(template: IndividualTemplate, idPrefix: [UInt8])]
        /// The patient's open gaps: outcome and bucket indices.
        var gaps: [(outcome: Int, bucket: Int)] = []
        var pid: [UInt8] = []
        var name: [UInt8] = []
        var patientURL: [UInt8] = []
        /// `urn:uuid:` + 36 characters per gap.
        var reportURLs: [UInt8] = []
        var issueURLs: [UInt8] = []
        var scratch: [UInt8] = []

        init(generatedAt: [UInt8], author: [UInt8], templates: [(template: IndividualTemplate, idPrefix: [UInt8])]) {
            self.generatedAt = generatedAt
            self.author = author
            self.templates = templates
        }
    }

    private static let urnPrefix: [UInt8] = Array("urn:uuid:".utf8)
    private static let urlLength = 9 + 36

    /// Appends `urn:uuid:` and the UUID of `prefix` + `middle` + `pid` to `out`; `name` is scratch.
    private func appendURL(_ prefix: StaticString, _ middle: [UInt8], _ pid: [UInt8], name: inout [UInt8], to out: inout [UInt8]) {
        name.removeAll(keepingCapacity: true)
        name.append(contentsOf: UnsafeBufferPointer(start: prefix.utf8Start, count: prefix.utf8CodeUnitCount))
        name.append(contentsOf: middle)
        name.append(contentsOf: pid)
        out.append(contentsOf: Self.urnPrefix)
        uuids.append(uuidOf: name, to: &out)
    }

    private func jsonString(_ text: String) -> [UInt8] {
        var bytes: [UInt8] = []
        JSONWriter.appendString(text, to: &bytes)
        return bytes
    }

    private func writeCareGapBundle(patient: PatientSummary, context: inout BundleContext, to out: inout ReportBuffer) {
        let outcomes = index.run.outcomes
        var pid = context.pid, name = context.name
        var patientURL = context.patientURL, reportURLs = context.reportURLs, issueURLs = context.issueURLs, scratch = context.scratch
        defer {
            // Hand the buffers back so the next bundle reuses their capacity.
            context.pid = pid; context.name = name; context.patientURL = patientURL
            context.reportURLs = reportURLs; context.issueURLs = issueURLs; context.scratch = scratch
        }
        pid.removeAll(keepingCapacity: true)
        ReportBuffer.appendInt(Int(patient.personId), to: &pid)
        patientURL.removeAll(keepingCapacity: true)
        appendURL("Patient/", [], pid, name: &name, to: &patientURL)
        reportURLs.removeAll(keepingCapacity: true)
        issueURLs.removeAll(keepingCapacity: true)
        for gap in context.gaps {
            let idPrefix = context.templates[gap.bucket].idPrefix
            appendURL("MeasureReport/", idPrefix, pid, name: &name, to: &reportURLs)
            appendURL("DetectedIssue/gap-", idPrefix, pid, name: &name, to: &issueURLs)
        }
        let length = Self.urlLength

        out.append(#"{"resourceType":"Bundle","id":"caregaps-"#)
        out.append(contentsOf: pid)
        out.append(#"","identifier":{"system":"urn:ietf:rfc:3986","value":""#)
        scratch.removeAll(keepingCapacity: true)
        appendURL("Bundle/caregaps-", [], pid, name: &name, to: &scratch)
        out.append(contentsOf: scratch)
        out.append(#""},"type":"document","timestamp":"#)
        out.append(contentsOf: context.generatedAt)
        out.append(#","entry":["#)

        // Composition: one section per open gap.
        out.append(#"{"fullUrl":""#)
        scratch.removeAll(keepingCapacity: true)
        appendURL("Composition/caregaps-", [], pid, name: &name, to: &scratch)
        out.append(contentsOf: scratch)
        out.append(#"","resource":{"resourceType":"Composition","id":"caregaps-"#)
        out.append(contentsOf: pid)
        out.append(#"","status":"final","type":{"coding":[{"system":"http://loinc.org","code":"96315-7","display":"Gaps in care report"}]},"subject":{"reference":""#)
        out.append(contentsOf: patientURL)
        out.append(#""},"date":"#)
        out.append(contentsOf: context.generatedAt)
        out.append(#","author":[{"display":"#)
        out.append(contentsOf: context.author)
        out.append(#"}],"title":"Care Gap Report","section":["#)
        for (position, gap) in context.gaps.enumerated() {
            if position > 0 { out.append(byte: UInt8(ascii: ",")) }
            out.append(#"{"title":"#)
            out.append(contentsOf: context.templates[gap.bucket].template.sectionTitle)
            out.append(#","focus":{"reference":""#)
            out.append(contentsOf: reportURLs[(position * length)..<((position + 1) * length)])
            out.append(#""},"entry":[{"reference":""#)
            out.append(contentsOf: issueURLs[(position * length)..<((position + 1) * length)])
            out.append(#""}]}"#)
        }
        out.append("]}}")

        // Patient: the run knows the person id and gender, nothing else.
        out.append(#",{"fullUrl":""#)
        out.append(contentsOf: patientURL)
        out.append(#"","resource":{"resourceType":"Patient","id":""#)
        out.append(contentsOf: pid)
        out.append(byte: UInt8(ascii: "\""))
        if let sex = patient.sex, sex == "female" || sex == "male" || sex == "other" || sex == "unknown" {
            out.append(#","gender":""#)
            out.append(sex)
            out.append(byte: UInt8(ascii: "\""))
        }
        out.append("}}")

        for (position, gap) in context.gaps.enumerated() {
            let template = context.templates[gap.bucket]
            let outcome = outcomes[gap.outcome]
            out.append(#",{"fullUrl":""#)
            out.append(contentsOf: issueURLs[(position * length)..<((position + 1) * length)])
            out.append(#"","resource":{"resourceType":"DetectedIssue","id":"gap-"#)
            out.append(contentsOf: template.idPrefix)
            out.append(contentsOf: pid)
            out.append(#"","modifierExtension":[{"url":"http://hl7.org/fhir/us/davinci-deqm/StructureDefinition/extension-gapStatus","valueCodeableConcept":{"coding":[{"system":"http://hl7.org/fhir/us/davinci-deqm/CodeSystem/gaps-status","code":"open-gap","display":"Open Gap"}]}}],"status":"final","code":{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/v3-ActCode","code":"CAREGAP","display":"Care Gaps"}]},"patient":{"reference":""#)
            out.append(contentsOf: patientURL)
            out.append(#""},"identifiedDateTime":"#)
            out.append(contentsOf: context.generatedAt)
            out.append(#","evidence":[{"detail":[{"reference":""#)
            out.append(contentsOf: reportURLs[(position * length)..<((position + 1) * length)])
            out.append(#""}]}]"#)
            if !outcome.evidence.isEmpty {
                out.append(#","detail":"#)
                out.append(jsonString: Self.evidenceDetail(outcome.evidence))
            }
            out.append("}}")

            out.append(#",{"fullUrl":""#)
            out.append(contentsOf: reportURLs[(position * length)..<((position + 1) * length)])
            out.append(#"","resource":"#)
            writeIndividual(template.template, personId: patient.personId, mask: index.masks[gap.outcome], subject: patientURL, to: &out)
            out.append("}")
        }
        out.append("]}")
    }

    /// Evidence as a sentence for `DetectedIssue.detail`: `latest HbA1c: 9.4 % (2025-10-02); hospice: no`.
    static func evidenceDetail(_ evidence: [Evidence]) -> String {
        var text = ""
        for (position, item) in evidence.enumerated() {
            if position > 0 { text += "; " }
            text += item.label
            if let value = item.value { text += ": " + value }
            if let date = item.date { text += " (" + date + ")" }
        }
        return text
    }
}
