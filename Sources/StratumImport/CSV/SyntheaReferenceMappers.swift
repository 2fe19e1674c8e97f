import StratumStore

/// Mappers for the Synthea files that describe people and places rather than events:
/// patients, providers, organizations and payer transitions. Names, addresses, SSNs and
/// incomes are never read: the store keeps what analytics needs and nothing that identifies.
enum SyntheaReferenceMappers {
    /// patients → person (+ death when DEATHDATE is set).
    struct Patients: CSVRowMapper {
        let person: TableInserter
        let death: TableInserter
        var inserters: [TableInserter] { [person, death] }
        private let id, birth, deathDate, gender, race, ethnicity: Int?
        private let personID, genderConcept, year, month, day, birthDatetime, birthDate, raceConcept, ethnicityConcept,
                    personSource, genderSource, raceSource, ethnicitySource: Int
        private let deathPerson, deathDay, deathDatetime, deathType: Int

        init(_ header: CSVHeader, _ context: ImportContext) throws {
            person = try context.inserter(CDMSchema.person)
            death = try context.inserter(CDMSchema.death)
            id = header.index("Id"); birth = header.index("BIRTHDATE"); deathDate = header.index("DEATHDATE")
            gender = header.index("GENDER"); race = header.index("RACE"); ethnicity = header.index("ETHNICITY")
            let p = person.column
            personID = p("person_id"); genderConcept = p("gender_concept_id")
            year = p("year_of_birth"); month = p("month_of_birth"); day = p("day_of_birth")
            birthDatetime = p("birth_datetime"); birthDate = p("birth_date")
            raceConcept = p("race_concept_id"); ethnicityConcept = p("ethnicity_concept_id")
            personSource = p("person_source_value"); genderSource = p("gender_source_value")
            raceSource = p("race_source_value"); ethnicitySource = p("ethnicity_source_value")
            let d = death.column
            deathPerson = d("person_id"); deathDay = d("death_date"); deathDatetime = d("death_datetime")
            deathType = d("death_type_concept_id")
        }

        func map(_ record: CSVRecord) throws {
            guard let idBytes = record.nonEmpty(id) else { throw CSVRowError.missing("Id") }
            guard let born = try record.timestamp(birth, "BIRTHDATE") else { throw CSVRowError.missing("BIRTHDATE") }
            let died = try record.timestamp(deathDate, "DEATHDATE")
            let personKey = StableID.of(idBytes)
            let (y, m, d) = CivilDate.civil(days: born.days)
            person.set(personID, personKey)
            person.set(genderConcept, StandardConcept.gender(record.nonEmpty(gender).map { String(decoding: $0, as: UTF8.self) } ?? ""))
            person.set(year, y); person.set(month, m); person.set(day, d)
            person.set(birthDate, Int64(born.days))
            person.set(birthDatetime, Int64(born.secondsOrMidnight))
            // Race and ethnicity stay source values with concept 0: Synthea's categories
            // (e.g. `hawaiian`, `nonhispanic`) are kept as written rather than guessed at.
            person.set(raceConcept, 0 as Int64)
            person.set(ethnicityConcept, 0 as Int64)
            person.setText(personSource, idBytes)
            person.setText(genderSource, ifPresent: record.nonEmpty(gender))
            person.setText(raceSource, ifPresent: record.nonEmpty(race))
            person.setText(ethnicitySource, ifPresent: record.nonEmpty(ethnicity))
            try person.insert()
            if let died {
                death.set(deathPerson, personKey)
                death.set(deathDay, Int64(died.days))
                death.set(deathDatetime, Int64(died.secondsOrMidnight))
                death.set(deathType, StandardConcept.ehr)
                try death.insert()
            }
        }
    }

    /// providers → provider (ORGANIZATION → care_site_id, so it resolves to organizations).
    struct Providers: CSVRowMapper {
        let provider: TableInserter
        var inserters: [TableInserter] { [provider] }
        private let id, organization, name, gender, specialty: Int?
        private let providerID, providerName, careSite, genderConcept, providerSource, specialtySource, genderSource: Int

        init(_ header: CSVHeader, _ context: ImportContext) throws {
            provider = try context.inserter(CDMSchema.provider)
            id = header.index("Id"); organization = header.index("ORGANIZATION"); name = header.index("NAME")
            gender = header.index("GENDER"); specialty = header.index(anyOf: ["SPECIALITY", "SPECIALTY"])
            let c = provider.column
            providerID = c("provider_id"); providerName = c("provider_name"); careSite = c("care_site_id")
            genderConcept = c("gender_concept_id"); providerSource = c("provider_source_value")
            specialtySource = c("specialty_source_value"); genderSource = c("gender_source_value")
        }

        func map(_ record: CSVRecord) throws {
            guard let idBytes = record.nonEmpty(id) else { throw CSVRowError.missing("Id") }
            provider.set(providerID, StableID.of(idBytes))
            provider.setText(providerName, ifPresent: record.nonEmpty(name))
            provider.set(careSite, record.stableID(organization))
            if let genderBytes = record.nonEmpty(gender) {
                provider.set(genderConcept, StandardConcept.gender(String(decoding: genderBytes, as: UTF8.self)))
                provider.setText(genderSource, genderBytes)
            }
            provider.setText(providerSource, idBytes)
            provider.setText(specialtySource, ifPresent: record.nonEmpty(specialty))
            try provider.insert()
        }
    }

    /// organizations → care_site.
    struct Organizations: CSVRowMapper {
        let careSite: TableInserter
        var inserters: [TableInserter] { [careSite] }
        private let id, name: Int?
        private let careSiteID, careSiteName, careSiteSource: Int

        init(_ header: CSVHeader, _ context: ImportContext) throws {
            careSite = try context.inserter(CDMSchema.careSite)
            id = header.index("Id"); name = header.index("NAME")
            careSiteID = careSite.column("care_site_id"); careSiteName = careSite.column("care_site_name")
            careSiteSource = careSite.column("care_site_source_value")
        }

        func map(_ record: CSVRecord) throws {
            guard let idBytes = record.nonEmpty(id) else { throw CSVRowError.missing("Id") }
            careSite.set(careSiteID, StableID.of(idBytes))
            careSite.setText(careSiteName, ifPresent: record.nonEmpty(name))
            careSite.setText(careSiteSource, idBytes)
            try careSite.insert()
        }
    }

    /// payer_transitions → payer_plan_period. Synthea v2 wrote plain years (START_YEAR=2015),
    /// v3 writes timestamps under the same names: a plain year starts on 1 January and ends on
    /// 31 December, so that the period covers the whole year it names.
    struct PayerTransitions: CSVRowMapper {
        let period: TableInserter
        var inserters: [TableInserter] { [period] }
        private let patient, start, end, payer: Int?
        private let person, startDate, endDate, payerSource: Int

        init(_ header: CSVHeader, _ context: ImportContext) throws {
            period = try context.inserter(CDMSchema.payerPlanPeriod)
            patient = header.index("PATIENT"); payer = header.index("PAYER")
            start = header.index(anyOf: ["START_YEAR", "START_DATE"]); end = header.index(anyOf: ["END_YEAR", "END_DATE"])
            person = period.column("person_id"); startDate = period.column("payer_plan_period_start_date")
            endDate = period.column("payer_plan_period_end_date"); payerSource = period.column("payer_source_value")
        }

        func map(_ record: CSVRecord) throws {
            guard let personKey = record.stableID(patient) else { throw CSVRowError.missing("PATIENT") }
            guard let from = try record.timestamp(start, "START_YEAR") else { throw CSVRowError.missing("START_YEAR") }
            var to = try record.timestamp(end, "END_YEAR")?.days
            if let endBytes = record.nonEmpty(end).map(CSVField.trimmed), endBytes.count == 4, let days = to {
                to = CivilDate.days(year: CivilDate.civil(days: days).year, month: 12, day: 31)
            }
            period.set(person, personKey)
            period.set(startDate, Int64(from.days))
            period.set(endDate, to.map(Int64.init))
            period.setText(payerSource, ifPresent: record.nonEmpty(payer))
            try period.insert()
        }
    }
}
