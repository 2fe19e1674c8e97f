/// One dispensing of a drug of a class: what PDC reads. `drug` is the key refills are matched on
/// (PQA: the same target drug, i.e. active ingredient); `day` is days since 1970-01-01.
public struct PDCFill: Sendable, Equatable {
    public var drug: String
    public var day: Int
    public var daysSupply: Int

    public init(drug: String, day: Int, daysSupply: Int) {
        self.drug = drug
        self.day = day
        self.daysSupply = daysSupply
    }
}
