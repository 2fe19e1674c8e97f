/// Reads an entry's bytes and drops them: for files recognised but not kept.
final class DiscardingEntryImporter: EntryImporter {
    func consume(_ chunk: UnsafeRawBufferPointer) throws {}
    func finish() throws {}
}
