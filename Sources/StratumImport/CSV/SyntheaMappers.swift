import StratumStore

/// Builds the mapper for a kept Synthea file.
enum SyntheaMappers {
    static func make(_ file: SyntheaFile, header: CSVHeader, context: ImportContext) throws -> CSVRowMapper {
        switch file {
        case .patients: return try SyntheaReferenceMappers.Patients(header, context)
        case .providers: return try SyntheaReferenceMappers.Providers(header, context)
        case .organizations: return try SyntheaReferenceMappers.Organizations(header, context)
        case .payerTransitions: return try SyntheaReferenceMappers.PayerTransitions(header, context)
        case .encounters: return try SyntheaEventMappers.Encounters(header, context)
        case .conditions: return try SyntheaEventMappers.Conditions(header, context)
        case .procedures: return try SyntheaEventMappers.Procedures(header, context)
        case .medications: return try SyntheaEventMappers.Medications(header, context)
        case .immunizations: return try SyntheaEventMappers.Immunizations(header, context)
        case .allergies: return try SyntheaEventMappers.Allergies(header, context)
        case .observations: return try SyntheaEventMappers.Observations(header, context)
        case .claims, .claimsTransactions, .careplans, .devices, .supplies, .imagingStudies, .payers:
            preconditionFailure("\(file.rawValue) is not mapped")
        }
    }
}
