import StratumStore

/// Looks up a concept's (system, code) while rows are inserted, once the archive's `concept`
/// file has been read, so most rows get their source code on insert rather than by rewriting
/// them afterwards. Lookups go through SQLite (the vocabulary can be millions of concepts) with a
/// bounded cache in front (the concepts of one table repeat heavily).
///
/// It only ever answers with a code it found: a row it cannot resolve — a concept not (yet)
/// stored — is left to `OMOPSourceCodeResolver`, whose post pass gives the same answer the
/// lookup would and also falls back to the source value. So the two never disagree.
final class OMOPConceptCodes {
    /// True once a `concept` file has been read completely.
    var ready = false
    private var statement: Statement?
    private var cache: [Int64: (system: String, code: String)?] = [:]
    private static let cacheLimit = 100_000
    private let db: Database

    init(db: Database) { self.db = db }

    /// The (system, code) of a concept, or nil when `concept` does not know it or gives no code.
    func code(of conceptID: Int64) throws -> (system: String, code: String)? {
        if let hit = cache[conceptID] { return hit }
        if statement == nil {
            statement = try db.prepare("SELECT vocabulary_id, concept_code FROM concept WHERE concept_id = ?")
        }
        let lookup = statement!
        lookup.bind(conceptID, at: 0)
        var answer: (system: String, code: String)?
        if try lookup.step(), let vocabulary = lookup.value(at: 0).text, let code = lookup.value(at: 1).text, !code.isEmpty {
            answer = (CodeSystem.normalize(vocabulary), code)
        }
        lookup.reset()
        if cache.count >= Self.cacheLimit { cache.removeAll(keepingCapacity: true) }
        cache[conceptID] = .some(answer)
        return answer
    }

    /// The code a row takes, by the resolver's rule: its source concept when that is non-zero
    /// (and then only if known: an unknown source concept is left to the post pass, which may
    /// still learn it), else its standard concept.
    func resolve(sourceConcept: Int64?, standardConcept: Int64?) throws -> (system: String, code: String)? {
        if let source = sourceConcept, source != 0 { return try code(of: source) }
        guard let standard = standardConcept, standard != 0 else { return nil }
        return try code(of: standard)
    }
}

/// Tells the handler when an entry has been read to its end.
final class FinishNotifyingImporter: EntryImporter {
    private let inner: EntryImporter
    private let onFinish: () -> Void

    init(_ inner: EntryImporter, onFinish: @escaping () -> Void) {
        self.inner = inner
        self.onFinish = onFinish
    }

    func consume(_ chunk: UnsafeRawBufferPointer) throws { try inner.consume(chunk) }

    func finish() throws {
        try inner.finish()
        onFinish()
    }
}
