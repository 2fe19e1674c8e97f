import StratumStore

/// The column indices one mapper uses in one table, looked up once per import (by name, which
/// is slow) instead of once per row.
protocol FHIRColumnSet {
    static var schema: TableSchema { get }
    init(_ table: TableInserter)
}

/// A table's inserter and its column indices, created on first use so that an import only
/// touches (and reports) the tables it fills.
final class FHIRTable<Columns: FHIRColumnSet> {
    let inserter: TableInserter
    let c: Columns

    init(context: ImportContext) throws {
        inserter = try context.inserter(Columns.schema)
        c = Columns(inserter)
    }
}

/// Table of aliases for conditional references; created by the store's migrations, not part
/// of `CDMSchema` because it holds no clinical data.
enum ReferenceAliasSchema {
    static let table = TableSchema(
        name: "reference_alias",
        columns: [Column("alias_id", .integer), Column("target_id", .integer, notNull: true), Column("kind", .text, notNull: true)],
        primaryKey: ["alias_id"])
}
