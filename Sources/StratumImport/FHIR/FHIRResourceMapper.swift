import StratumStore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A date field of a resource, as candidates tried in order: the first one present decides
/// (a present but unparseable value is an error, not a reason to try the next).
struct FHIRTimeField: Sendable {
    let key: StaticString
    let subkey: StaticString?
    /// How the field is named in diagnostics: `effectivePeriod.start`.
    let label: String

    init(_ key: StaticString, _ subkey: StaticString? = nil, _ label: String) {
        self.key = key
        self.subkey = subkey
        self.label = label
    }
}

/// The outcome of reading a date field.
enum FHIRTime {
    case missing
    case invalid(field: String)
    case value(ParsedTimestamp)
}

/// Maps FHIR R4 resources (parsed JSON) to rows of the store, one import at a time.
///
/// | resource | rows |
/// |---|---|
/// | Patient | person (+ death when `deceasedDateTime`) |
/// | Encounter | visit_occurrence |
/// | Condition | condition_occurrence (refuted or entered-in-error ones are not imported) |
/// | Observation | measurement (a numeric value or a laboratory / vital-signs category; each component), else observation |
/// | MedicationRequest, MedicationDispense, MedicationStatement, Immunization | drug_exposure |
/// | Procedure | procedure_occurrence |
/// | DeviceRequest | device_exposure |
/// | ServiceRequest | service_request |
/// | AllergyIntolerance | observation |
/// | Practitioner, Organization | provider, care_site (+ reference_alias for their identifiers) |
/// | Coverage | payer_plan_period |
/// | Medication | no row: resolves medication references |
/// | anything else | counted as not imported |
///
/// Row ids are `StableID` of the resource id; types sharing a table with another type
/// (Immunization, MedicationDispense, MedicationStatement, AllergyIntolerance) prefix it with
/// their type. Resources marked `entered-in-error` are counted, not imported. Workflow attributes
/// (status, intent, doNotPerform, category) go to the extension columns eCQM logic filters on.
///
/// Each mapping function reads and checks everything it needs before it binds the first column,
/// because a record skipped half-bound would leave its values bound for the next row.
/// Resource-specific mappings live in extensions (`FHIRResourceMapper+….swift`).
final class FHIRResourceMapper {
    let context: ImportContext
    private var systems = FHIRCodeSystemCache()
    /// Reused for conditional references and identifier aliases.
    var scratch: [UInt8] = []
    /// The prefix and id of the resource being mapped (only `rowID` and `derivedID` use it).
    private var idScratch: [UInt8] = []
    /// True once a row holds an identifier alias, so `resolveAliases` has work to do.
    private(set) var wroteAliasReference = false

    // Where the current records come from, for diagnostics.
    private var entryName = ""
    private var fixedLine: Int?
    private var text: UnsafeRawBufferPointer?
    private var cursor = (offset: 0, line: 1)

    // Medications referenced by MedicationRequest/Dispense/Statement (see +Medication).
    /// Medication resources of the Bundle being mapped, by the id a reference to them resolves to.
    var bundleMedications: [Int64: JSONValue] = [:]
    /// Codes of every Medication seen so far, for references into other entries (NDJSON).
    var medicationCodes: [Int64: FHIRMedicationCode] = [:]
    /// Drug rows whose medication reference was not resolvable when they were written.
    var pendingMedications: [(drugID: Int64, medicationID: Int64)] = []

    private var persons: FHIRTable<PersonColumns>?
    private var deaths: FHIRTable<DeathColumns>?
    private var visits: FHIRTable<VisitColumns>?
    private var conditions: FHIRTable<ConditionColumns>?
    private var measurements: FHIRTable<MeasurementColumns>?
    private var observations: FHIRTable<ObservationColumns>?
    private var drugs: FHIRTable<DrugColumns>?
    private var procedures: FHIRTable<ProcedureColumns>?
    private var devices: FHIRTable<DeviceColumns>?
    private var serviceRequests: FHIRTable<ServiceRequestColumns>?
    private var providers: FHIRTable<ProviderColumns>?
    private var careSites: FHIRTable<CareSiteColumns>?
    private var payerPlans: FHIRTable<PayerPlanColumns>?
    private var aliases: FHIRTable<AliasColumns>?
    private var eventCodes: FHIRTable<EventCodeColumns>?

    init(context: ImportContext) {
        self.context = context
    }

    private func make<C>(_ slot: inout FHIRTable<C>?) throws -> FHIRTable<C> {
        if let table = slot { return table }
        let table = try FHIRTable<C>(context: context)
        slot = table
        return table
    }

    func personTable() throws -> FHIRTable<PersonColumns> { try make(&persons) }
    func deathTable() throws -> FHIRTable<DeathColumns> { try make(&deaths) }
    func visitTable() throws -> FHIRTable<VisitColumns> { try make(&visits) }
    func conditionTable() throws -> FHIRTable<ConditionColumns> { try make(&conditions) }
    func measurementTable() throws -> FHIRTable<MeasurementColumns> { try make(&measurements) }
    func observationTable() throws -> FHIRTable<ObservationColumns> { try make(&observations) }
    func drugTable() throws -> FHIRTable<DrugColumns> { try make(&drugs) }
    func procedureTable() throws -> FHIRTable<ProcedureColumns> { try make(&procedures) }
    func deviceTable() throws -> FHIRTable<DeviceColumns> { try make(&devices) }
    func serviceRequestTable() throws -> FHIRTable<ServiceRequestColumns> { try make(&serviceRequests) }
    func providerTable() throws -> FHIRTable<ProviderColumns> { try make(&providers) }
    func careSiteTable() throws -> FHIRTable<CareSiteColumns> { try make(&careSites) }
    func payerPlanTable() throws -> FHIRTable<PayerPlanColumns> { try make(&payerPlans) }
    func aliasTable() throws -> FHIRTable<AliasColumns> { try make(&aliases) }
    func eventCodeTable() throws -> FHIRTable<EventCodeColumns> { try make(&eventCodes) }

    // MARK: Documents and Bundles

    /// Maps a parsed document: a Bundle's entries, or a single resource. `line` is the NDJSON
    /// line the document came from; for a whole-file document, lines are counted in `text` when a
    /// record is skipped.
    func mapDocument(_ root: JSONValue, entry: EntryInfo, line: Int?, text: UnsafeRawBufferPointer) throws {
        entryName = entry.name
        fixedLine = line
        self.text = text
        cursor = (0, 1)
        defer { self.text = nil }
        try map(root, fullURL: nil, depth: 0)
    }

    private func map(_ resource: JSONValue, fullURL: JSONValue?, depth: Int) throws {
        guard resource.isObject, let typeValue = resource["resourceType"], typeValue.isString else {
            context.recordsRead += 1
            try skip("FHIR resource", "missing resourceType", resource)
            return
        }
        guard let type = FHIRResourceType(typeValue) else {
            context.recordsRead += 1
            // The type name is not a patient value; it is capped in case the file is garbage.
            let name = String((typeValue.string ?? "?").prefix(64))
            context.diagnostics.notImported("FHIR \(name)")
            return
        }
        if type == .bundle { return try mapBundle(resource, depth: depth) }
        context.recordsRead += 1
        if resource["status"]?.stringEquals("entered-in-error") == true {
            context.diagnostics.notImported("\(type.label) entered-in-error")
            return
        }
        switch type {
        case .patient: try mapPatient(resource, fullURL)
        case .encounter: try mapEncounter(resource, fullURL)
        case .condition: try mapCondition(resource, fullURL)
        case .observation: try mapObservation(resource, fullURL)
        case .medicationRequest: try mapMedicationRequest(resource, fullURL)
        case .medicationDispense: try mapMedicationDispense(resource, fullURL)
        case .medicationStatement: try mapMedicationStatement(resource, fullURL)
        case .medication: rememberMedication(resource, fullURL)
        case .procedure: try mapProcedure(resource, fullURL)
        case .immunization: try mapImmunization(resource, fullURL)
        case .allergyIntolerance: try mapAllergy(resource, fullURL)
        case .practitioner: try mapPractitioner(resource, fullURL)
        case .organization: try mapOrganization(resource, fullURL)
        case .coverage: try mapCoverage(resource, fullURL)
        case .deviceRequest: try mapDeviceRequest(resource, fullURL)
        case .serviceRequest: try mapServiceRequest(resource, fullURL)
        default: context.diagnostics.notImported(type.label)
        }
    }

    /// Maps every entry's resource. Entries are independent: one bad entry is skipped alone.
    private func mapBundle(_ bundle: JSONValue, depth: Int) throws {
        guard depth < 4 else { return try skip("FHIR Bundle", "Bundle nested more than 4 deep", bundle) }
        guard let entries = bundle["entry"], !entries.isNull else { return }
        guard entries.isArray else { return try skip("FHIR Bundle", "entry is not an array", bundle) }
        // Medications referenced from requests may come later in the Bundle: index them first.
        let outer = bundleMedications
        defer { bundleMedications = outer }
        bundleMedications = [:]
        for entry in entries.elements {
            if let resource = entry["resource"], resource["resourceType"]?.stringEquals("Medication") == true {
                indexBundleMedication(resource, entry["fullUrl"])
            }
        }
        for entry in entries.elements {
            guard let resource = entry["resource"], !resource.isNull else {
                // A history or response entry that carries no resource (e.g. a DELETE).
                context.diagnostics.notImported("FHIR Bundle entry without a resource")
                continue
            }
            try map(resource, fullURL: entry["fullUrl"], depth: depth + 1)
        }
    }

    // MARK: Diagnostics

    /// Counts a skipped record (throws in strict mode), located at the line where it starts.
    func skip(_ kind: String, _ reason: String, _ at: JSONValue) throws {
        try context.diagnostics.skip(kind, reason: reason, entry: entryName, line: line(of: at))
    }

    /// The 1-based line of a value: the NDJSON line, or counted in the document's text (only
    /// when something is skipped, so it costs nothing on clean data; values are visited in order,
    /// so counting resumes from the last position).
    private func line(of value: JSONValue) -> Int? {
        if let fixedLine { return fixedLine }
        guard let text, let base = text.baseAddress else { return nil }
        let target = min(value.byteOffset, text.count)
        if target < cursor.offset { cursor = (0, 1) }
        var position = cursor.offset
        var line = cursor.line
        while position < target, let hit = memchr(base + position, 0x0A, target - position) {
            line += 1
            position = base.distance(to: UnsafeRawPointer(hit)) + 1
        }
        cursor = (target, line)
        return line
    }

    // MARK: Ids and references

    /// The row id of a resource: `StableID` of its id, or of the id in its `fullUrl` when it has
    /// none. Types that share a table with another type pass a `prefix` (`Immunization/`), so
    /// servers that number each type from 1 do not make their rows collide.
    func rowID(_ resource: JSONValue, _ fullURL: JSONValue?, prefix: StaticString? = nil) -> Int64? {
        idScratch.removeAll(keepingCapacity: true)
        if let prefix { idScratch.append(contentsOf: UnsafeRawBufferPointer(start: prefix.utf8Start, count: prefix.utf8CodeUnitCount)) }
        let start = idScratch.count
        if let id = resource["id"] { id.appendString(to: &idScratch) }
        if idScratch.count == start, let fullURL {
            _ = fullURL.withStringBytes { url in
                if let literal = FHIRReference.literal(url) { idScratch.append(contentsOf: literal.id) }
            }
        }
        guard idScratch.count > start else { return nil }
        return idScratch.withUnsafeBytes { StableID.of($0) }
    }

    /// The id of the `index`th extra row made from the resource `rowID` last read (an
    /// Observation's components): `StableID` of `id/component/index`.
    func derivedID(_ index: Int) -> Int64 {
        let saved = idScratch.count
        defer { idScratch.removeLast(idScratch.count - saved) }
        idScratch.append(contentsOf: "/component/".utf8)
        idScratch.append(contentsOf: String(index).utf8)
        return idScratch.withUnsafeBytes { StableID.of($0) }
    }

    /// The row id of a resource, or nil after counting it as skipped.
    func requireRowID(_ resource: JSONValue, _ fullURL: JSONValue?, _ type: FHIRResourceType, prefix: StaticString? = nil) throws -> Int64? {
        if let id = rowID(resource, fullURL, prefix: prefix) { return id }
        try skip(type.label, "missing id", resource)
        return nil
    }

    /// The person a resource is about (`subject`, `patient`, `beneficiary`), or nil after counting
    /// the resource as skipped.
    func personID(_ resource: JSONValue, _ key: StaticString, _ type: FHIRResourceType) throws -> Int64? {
        guard let subject = resource[key], !subject.isNull else {
            try skip(type.label, "missing \(key)", resource)
            return nil
        }
        // Patients get no identifier aliases (their identifiers include SSNs and record numbers,
        // which should not be kept even hashed), so a conditional subject could only dangle.
        guard let id = reference(subject, expecting: "Patient", allowAlias: false) else {
            try skip(type.label, "unresolvable \(key) reference", resource)
            return nil
        }
        return id
    }

    /// The id a Reference points to (`reference` text, or a logical `identifier`), nil when it
    /// is absent, local (`#x`), names a type other than `expecting`, or is an identifier alias
    /// and `allowAlias` is false.
    func reference(_ value: JSONValue?, expecting: StaticString?, allowAlias: Bool = true) -> Int64? {
        guard let value, value.isObject else { return nil }
        if let text = value["reference"], text.isString {
            let resolved = text.withStringBytes { FHIRReference.resolve($0, expecting: expecting, scratch: &scratch) } ?? nil
            guard let resolved, allowAlias || !resolved.isAlias else { return nil }
            if resolved.isAlias { wroteAliasReference = true }
            return resolved.id
        }
        if allowAlias, let identifier = value["identifier"], let id = aliasID(identifier) {
            wroteAliasReference = true
            return id
        }
        return nil
    }

    /// The alias id of an Identifier with a system and a value.
    func aliasID(_ identifier: JSONValue) -> Int64? {
        guard let system = identifier["system"], system.isString, let value = identifier["value"], value.isString else { return nil }
        var systemBytes: [UInt8] = []
        system.appendString(to: &systemBytes)
        return value.withStringBytes { valueBytes in
            systemBytes.withUnsafeBytes { FHIRReference.aliasID(system: $0, value: valueBytes, scratch: &scratch) }
        }
    }

    // MARK: Codes

    /// The coding of a CodeableConcept to keep: the first whose system is a known terminology,
    /// else the first.
    func pickCoding(_ concept: JSONValue?) -> JSONValue? {
        guard let codings = concept?["coding"], codings.isArray else { return nil }
        var first: JSONValue?
        for coding in codings.elements where coding.isObject {
            if first == nil { first = coding }
            if let system = coding["system"], system.isString, systemEntry(system).isKnown { return coding }
        }
        return first
    }

    /// Inserts the row bound on `t` and, when the CodeableConcept had codings besides the one
    /// the row keeps, records them in `event_code` against the new row's id.
    func insertCoded(_ t: TableInserter, concept: JSONValue?, kept: JSONValue?) throws {
        guard try t.insert(), let codings = concept?["coding"], codings.isArray, codings.count > 1 else { return }
        let rowID = context.store.db.lastInsertRowID
        let table = try eventCodeTable()
        for coding in codings.elements where coding.isObject && coding.index != kept?.index {
            guard let code = coding["code"] else { continue }
            table.inserter.set(table.c.table, t.schema.name)
            table.inserter.set(table.c.event, rowID)
            if let system = coding["system"], system.isString { table.inserter.set(table.c.system, systemEntry(system).name) }
            bindText(table.inserter, table.c.code, code)
            try table.inserter.insert()
        }
    }

    func systemEntry(_ system: JSONValue) -> FHIRCodeSystemCache.Entry {
        system.withStringBytes { systems.lookup($0) }!
    }

    /// Binds a coding's normalised system and its code (also to `sourceValue`, as OMOP keeps the
    /// verbatim source code there).
    func bindCoding(_ t: TableInserter, system: Int, code: Int, sourceValue: Int?, _ coding: JSONValue?) {
        guard let coding else { return }
        if let value = coding["system"], value.isString { t.set(system, systemEntry(value).name) }
        if let value = coding["code"] {
            bindText(t, code, value)
            if let sourceValue { bindText(t, sourceValue, value) }
        }
    }

    /// Binds a string (decoded) or a number (as written); anything else leaves the column NULL.
    func bindText(_ t: TableInserter, _ column: Int, _ value: JSONValue?) {
        guard let value else { return }
        if value.isString {
            if value.hasEscapes { _ = value.withStringBytes { t.setText(column, $0) } } else { t.setText(column, value.rawBytes) }
        } else if value.isNumber {
            t.setText(column, value.rawBytes)
        }
    }

    // MARK: Dates

    /// The first present field among `fields`, parsed.
    func timestamp(_ resource: JSONValue, _ fields: [FHIRTimeField]) -> FHIRTime {
        for field in fields {
            guard var value = resource[field.key], !value.isNull else { continue }
            if let subkey = field.subkey {
                guard let inner = value[subkey], !inner.isNull else { continue }
                value = inner
            }
            guard let parsed = value.withStringBytes({ TimestampParser.parse($0) }) ?? nil else {
                return .invalid(field: field.label)
            }
            return .value(parsed)
        }
        return .missing
    }

    /// A required date: the value, or nil after counting the resource as skipped.
    func requireTime(_ resource: JSONValue, _ fields: [FHIRTimeField], _ type: FHIRResourceType, missing: String) throws -> ParsedTimestamp? {
        switch timestamp(resource, fields) {
        case .value(let parsed): return parsed
        case .missing: try skip(type.label, missing, resource)
        case .invalid(let field): try skip(type.label, "unparseable \(field)", resource)
        }
        return nil
    }

    /// An optional date: `.some(nil)` when absent, nil after counting the resource as skipped
    /// because the date is present but unparseable.
    func optionalTime(_ resource: JSONValue, _ fields: [FHIRTimeField], _ type: FHIRResourceType) throws -> ParsedTimestamp?? {
        switch timestamp(resource, fields) {
        case .value(let parsed): return .some(parsed)
        case .missing: return .some(nil)
        case .invalid(let field):
            try skip(type.label, "unparseable \(field)", resource)
            return nil
        }
    }

    /// Binds a date column and its datetime column (midnight UTC when only a date was given).
    func bindTime(_ t: TableInserter, date: Int, datetime: Int, _ time: ParsedTimestamp?) {
        guard let time else { return }
        t.set(date, Int64(time.days))
        t.set(datetime, Int64(time.seconds ?? time.days * 86_400))
    }
}
