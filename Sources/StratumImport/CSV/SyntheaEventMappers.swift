import StratumStore

/// Mappers for Synthea's event files. Rows without an `Id` column get a NULL primary key, which
/// SQLite fills with the next rowid; references (PATIENT, ENCOUNTER, PROVIDER, ORGANIZATION)
/// become `StableID`s of the referenced UUID, so they resolve whatever order files come in.
enum SyntheaEventMappers {
    /// encounters → visit_occurrence. ENCOUNTERCLASS gives the visit concept and is kept as
    /// visit_source_value (the concept folds wellness, ambulatory and outpatient together);
    /// CODE (SNOMED CT) becomes the source code.
    struct Encounters: CSVRowMapper {
        let visit: TableInserter
        var inserters: [TableInserter] { [visit] }
        private let id, start, stop, patient, organization, provider, encounterClass, code: Int?
        private let codeSystem: SyntheaCodeSystem
        private let visitID, person, concept, startDate, startDatetime, endDate, endDatetime, type, providerID,
                    careSite, sourceValue, sourceConcept, system, sourceCode: Int

        init(_ header: CSVHeader, _ context: ImportContext) throws {
            visit = try context.inserter(CDMSchema.visitOccurrence)
            id = header.index("Id"); start = header.index("START"); stop = header.index("STOP")
            patient = header.index("PATIENT"); organization = header.index("ORGANIZATION")
            provider = header.index("PROVIDER"); encounterClass = header.index("ENCOUNTERCLASS"); code = header.index("CODE")
            codeSystem = SyntheaCodeSystem(header: header, default: CodeSystem.snomed)
            let c = visit.column
            visitID = c("visit_occurrence_id"); person = c("person_id"); concept = c("visit_concept_id")
            startDate = c("visit_start_date"); startDatetime = c("visit_start_datetime")
            endDate = c("visit_end_date"); endDatetime = c("visit_end_datetime"); type = c("visit_type_concept_id")
            providerID = c("provider_id"); careSite = c("care_site_id"); sourceValue = c("visit_source_value")
            sourceConcept = c("visit_source_concept_id"); system = c("source_system"); sourceCode = c("source_code")
        }

        func map(_ record: CSVRecord) throws {
            guard let idBytes = record.nonEmpty(id) else { throw CSVRowError.missing("Id") }
            guard let personKey = record.stableID(patient) else { throw CSVRowError.missing("PATIENT") }
            guard let from = try record.timestamp(start, "START") else { throw CSVRowError.missing("START") }
            let to = try record.timestamp(stop, "STOP")
            let classBytes = record.nonEmpty(encounterClass)
            visit.set(visitID, StableID.of(idBytes))
            visit.set(person, personKey)
            visit.set(concept, StandardConcept.visit(forClass: classBytes.map { String(decoding: $0, as: UTF8.self) } ?? ""))
            visit.set(startDate, Int64(from.days))
            visit.set(startDatetime, Int64(from.secondsOrMidnight))
            if let to {
                visit.set(endDate, Int64(to.days))
                visit.set(endDatetime, Int64(to.secondsOrMidnight))
            }
            visit.set(type, StandardConcept.ehr)
            visit.set(providerID, record.stableID(provider))
            visit.set(careSite, record.stableID(organization))
            visit.setText(sourceValue, ifPresent: classBytes)
            visit.set(sourceConcept, 0 as Int64)
            if let codeBytes = record.nonEmpty(code) {
                visit.set(system, codeSystem.system(record))
                visit.setText(sourceCode, codeBytes)
            }
            try visit.insert()
        }
    }

    /// conditions → condition_occurrence (SNOMED CT, or the SYSTEM column of newer exports).
    struct Conditions: CSVRowMapper {
        let target: SyntheaEventTarget
        let codeSystem: SyntheaCodeSystem
        var inserters: [TableInserter] { [target.inserter] }

        init(_ header: CSVHeader, _ context: ImportContext) throws {
            target = try SyntheaEventTarget(CDMSchema.conditionOccurrence, prefix: "condition", start: "condition_start",
                                            end: "condition_end", header: header, startColumns: ["START"], context: context)
            codeSystem = SyntheaCodeSystem(header: header, default: CodeSystem.snomed)
        }

        func map(_ record: CSVRecord) throws {
            try target.bind(record, system: codeSystem.system(record), typeConcept: StandardConcept.ehr)
            try target.inserter.insert()
        }
    }

    /// procedures → procedure_occurrence (SNOMED CT or SYSTEM; v2 files had DATE, not START).
    struct Procedures: CSVRowMapper {
        let target: SyntheaEventTarget
        let codeSystem: SyntheaCodeSystem
        var inserters: [TableInserter] { [target.inserter] }

        init(_ header: CSVHeader, _ context: ImportContext) throws {
            target = try SyntheaEventTarget(CDMSchema.procedureOccurrence, prefix: "procedure", start: "procedure",
                                            end: "procedure_end", header: header, startColumns: ["START", "DATE"], context: context)
            codeSystem = SyntheaCodeSystem(header: header, default: CodeSystem.snomed)
        }

        func map(_ record: CSVRecord) throws {
            try target.bind(record, system: codeSystem.system(record), typeConcept: StandardConcept.ehr)
            try target.inserter.insert()
        }
    }

    /// medications → drug_exposure (RxNorm).
    ///
    /// Synthea records a prescription as one row from START to STOP with DISPENSES fills and no
    /// days supply. The store keeps exactly that and invents nothing: `days_supply` is NULL,
    /// `drug_exposure_end_date` (and `verbatim_end_date`) is STOP, NULL while the medication is
    /// still active, and `quantity` is the number of dispensings, not of units. Adherence logic
    /// must therefore treat Synthea exposures as continuous coverage from start to stop.
    struct Medications: CSVRowMapper {
        let target: SyntheaEventTarget
        var inserters: [TableInserter] { [target.inserter] }
        private let stop, dispenses: Int?
        private let quantity, verbatimEnd: Int

        init(_ header: CSVHeader, _ context: ImportContext) throws {
            target = try SyntheaEventTarget(CDMSchema.drugExposure, prefix: "drug", start: "drug_exposure_start",
                                            end: "drug_exposure_end", header: header, startColumns: ["START"], context: context)
            stop = header.index("STOP"); dispenses = header.index("DISPENSES")
            quantity = target.inserter.column("quantity"); verbatimEnd = target.inserter.column("verbatim_end_date")
        }

        func map(_ record: CSVRecord) throws {
            let fills = try record.double(dispenses, "DISPENSES")
            let stopped = try record.timestamp(stop, "STOP")
            try target.bind(record, system: CodeSystem.rxnorm, typeConcept: StandardConcept.ehrPrescription)
            target.inserter.set(quantity, fills)
            target.inserter.set(verbatimEnd, stopped.map { Int64($0.days) })
            try target.inserter.insert()
        }
    }

    /// immunizations → drug_exposure (CVX), one administration: it ends the day it starts.
    struct Immunizations: CSVRowMapper {
        let target: SyntheaEventTarget
        var inserters: [TableInserter] { [target.inserter] }
        private let endDate, endDatetime: Int

        init(_ header: CSVHeader, _ context: ImportContext) throws {
            target = try SyntheaEventTarget(CDMSchema.drugExposure, prefix: "drug", start: "drug_exposure_start",
                                            end: nil, header: header, startColumns: ["DATE"], context: context)
            endDate = target.inserter.column("drug_exposure_end_date")
            endDatetime = target.inserter.column("drug_exposure_end_datetime")
        }

        func map(_ record: CSVRecord) throws {
            let given = try target.bind(record, system: CodeSystem.cvx, typeConcept: StandardConcept.ehr)
            target.inserter.set(endDate, Int64(given.days))
            target.inserter.set(endDatetime, Int64(given.secondsOrMidnight))
            try target.inserter.insert()
        }
    }

    /// allergies → observation: the allergen is the observation's code (with its SYSTEM:
    /// SNOMED CT substances, RxNorm drugs), TYPE (allergy / intolerance) its value, and the first
    /// reaction (SNOMED CT) its coded value.
    struct Allergies: CSVRowMapper {
        let target: SyntheaEventTarget
        let codeSystem: SyntheaCodeSystem
        var inserters: [TableInserter] { [target.inserter] }
        private let type, reaction: Int?
        private let valueString, valueSystem, valueCode: Int

        init(_ header: CSVHeader, _ context: ImportContext) throws {
            target = try SyntheaEventTarget(CDMSchema.observation, prefix: "observation", start: "observation",
                                            end: nil, header: header, startColumns: ["START"], context: context)
            codeSystem = SyntheaCodeSystem(header: header, default: CodeSystem.snomed)
            type = header.index("TYPE"); reaction = header.index("REACTION1")
            valueString = target.inserter.column("value_as_string")
            valueSystem = target.inserter.column("value_source_system")
            valueCode = target.inserter.column("value_source_code")
        }

        func map(_ record: CSVRecord) throws {
            try target.bind(record, system: codeSystem.system(record), typeConcept: StandardConcept.ehr)
            target.inserter.setText(valueString, ifPresent: record.nonEmpty(type))
            if let reactionBytes = record.nonEmpty(reaction) {
                target.inserter.set(valueSystem, CodeSystem.snomed)
                target.inserter.setText(valueCode, reactionBytes)
            }
            try target.inserter.insert()
        }
    }

    /// observations → measurement when TYPE is `numeric` (VALUE as a number, UNITS), else
    /// observation (VALUE as text). Files without TYPE (early v2) decide by whether VALUE parses.
    ///
    /// Codes are LOINC except Synthea's own summary scores (QALY, DALY, QOLS), which belong to
    /// no published system: those keep their code with no system rather than a false `loinc`.
    struct Observations: CSVRowMapper {
        let measurement: SyntheaEventTarget
        let observation: SyntheaEventTarget
        var inserters: [TableInserter] { [measurement.inserter, observation.inserter] }
        private let value, units, type, code: Int?
        private let number, valueSource, measurementUnit, text, observationUnit: Int

        init(_ header: CSVHeader, _ context: ImportContext) throws {
            measurement = try SyntheaEventTarget(CDMSchema.measurement, prefix: "measurement", start: "measurement",
                                                 end: nil, header: header, startColumns: ["DATE"], context: context)
            observation = try SyntheaEventTarget(CDMSchema.observation, prefix: "observation", start: "observation",
                                                 end: nil, header: header, startColumns: ["DATE"], context: context)
            value = header.index("VALUE"); units = header.index("UNITS"); type = header.index("TYPE"); code = header.index("CODE")
            number = measurement.inserter.column("value_as_number")
            valueSource = measurement.inserter.column("value_source_value")
            measurementUnit = measurement.inserter.column("unit_source_value")
            text = observation.inserter.column("value_as_string")
            observationUnit = observation.inserter.column("unit_source_value")
        }

        func map(_ record: CSVRecord) throws {
            let system = record.nonEmpty(code).map(Self.looksLikeLOINC) == true ? CodeSystem.loinc : nil
            if let numeric = try numericValue(record) {
                try measurement.bind(record, system: system, typeConcept: StandardConcept.ehr)
                measurement.inserter.set(number, numeric)
                measurement.inserter.setText(valueSource, ifPresent: record.nonEmpty(value))
                measurement.inserter.setText(measurementUnit, ifPresent: record.nonEmpty(units))
                try measurement.inserter.insert()
            } else {
                try observation.bind(record, system: system, typeConcept: StandardConcept.ehr)
                observation.inserter.setText(text, ifPresent: record.nonEmpty(value))
                observation.inserter.setText(observationUnit, ifPresent: record.nonEmpty(units))
                try observation.inserter.insert()
            }
        }

        /// The value of a numeric observation; nil for a text one. A row typed numeric whose
        /// value does not parse is a bad row, not a text observation.
        private func numericValue(_ record: CSVRecord) throws -> Double? {
            if let typeBytes = record.nonEmpty(type) {
                guard Self.isNumericType(typeBytes) else { return nil }
                guard let parsed = try record.double(value, "VALUE") else { throw CSVRowError.missing("VALUE") }
                return parsed
            }
            guard type == nil, let bytes = record.nonEmpty(value) else { return nil }
            return CSVField.double(bytes).flatMap { $0.isFinite ? $0 : nil }
        }

        private static func isNumericType(_ bytes: UnsafeRawBufferPointer) -> Bool {
            bytes.count == 7 && zip(bytes, "numeric".utf8).allSatisfy { ($0 | 0x20) == $1 }
        }

        /// `12345-6`: digits, a hyphen, one check digit.
        static func looksLikeLOINC(_ bytes: UnsafeRawBufferPointer) -> Bool {
            let n = bytes.count
            guard n >= 3, bytes[n - 2] == UInt8(ascii: "-"), bytes[n - 1] &- 48 < 10 else { return false }
            return bytes[0..<(n - 2)].allSatisfy { $0 &- 48 < 10 }
        }
    }
}
