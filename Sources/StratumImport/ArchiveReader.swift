import CArchive
import Foundation

/// Limits that keep a hostile or damaged archive from exhausting memory or disk.
public struct InflateLimits: Sendable {
    /// Inflated bytes allowed per compressed byte of input, over all entries.
    public var maxRatio: Int = 200
    /// Inflated bytes always allowed, whatever the ratio.
    public var floorBytes: Int64 = 64 << 20
    public init() {}

    func allowance(forCompressedSize size: Int64) -> Int64 {
        let (product, overflow) = size.multipliedReportingOverflow(by: Int64(maxRatio))
        return overflow ? .max : product + floorBytes
    }
}

/// An event of the entry stream: reading is done on a second thread so that inflating overlaps
/// with parsing and inserting, and the two meet through a bounded queue (so memory is bounded).
enum ArchiveEvent {
    case begin(EntryInfo)
    case chunk([UInt8])
    case end
    case failed(ImportError)
    case done(entries: Int)
}

/// Reads the entries of archives, compressed or plain files, and directories through libarchive,
/// streaming: nothing is unpacked to disk and no entry is held whole.
final class ArchiveReader: @unchecked Sendable {
    let inputs: [String]
    let limits: InflateLimits
    let chunkSize = 1 << 20
    private let queue = BoundedQueue<ArchiveEvent>(capacity: 16)
    private var thread: Thread?
    /// Compressed bytes read so far (for progress), updated by the reader thread.
    private let bytesReadLock = NSLock()
    private var _bytesRead: Int64 = 0
    var bytesRead: Int64 { bytesReadLock.withLock { _bytesRead } }

    init(inputs: [String], limits: InflateLimits) {
        self.inputs = inputs
        self.limits = limits
    }

    /// Starts the reader thread.
    func start() {
        let thread = Thread { [self] in self.run() }
        thread.stackSize = 1 << 20
        self.thread = thread
        thread.start()
    }

    /// The next event; blocks until one is ready.
    func next() -> ArchiveEvent { queue.pop() }

    /// Stops the reader early (after an error on the consumer side).
    func cancel() { queue.close() }

    private func run() {
        var entries = 0
        do {
            for input in inputs {
                var isDirectory: ObjCBool = false
                guard FileManager.default.fileExists(atPath: input, isDirectory: &isDirectory) else {
                    throw ImportError(.input, source: input, "no such file or directory")
                }
                if isDirectory.boolValue {
                    for file in try Self.filesUnder(input) {
                        entries += try readFile(path: (input as NSString).appendingPathComponent(file), source: input, prefix: file)
                    }
                } else {
                    entries += try readFile(path: input, source: input, prefix: nil)
                }
            }
            queue.push(.done(entries: entries))
        } catch let error as ImportError {
            queue.push(.failed(error))
        } catch BoundedQueue<ArchiveEvent>.Closed.closed {
            return
        } catch {
            queue.push(.failed(ImportError(.input, source: inputs.first ?? "", "\(error)")))
        }
    }

    static func filesUnder(_ directory: String) throws -> [String] {
        guard let enumerator = FileManager.default.enumerator(atPath: directory) else { return [] }
        var files: [String] = []
        while let next = enumerator.nextObject() as? String {
            let full = (directory as NSString).appendingPathComponent(next)
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: full, isDirectory: &isDirectory), !isDirectory.boolValue,
               !(next as NSString).lastPathComponent.hasPrefix(".") {
                files.append(next)
            }
        }
        return files.sorted()
    }

    /// Reads one file (archive or plain/compressed single file); returns the entries read.
    private func readFile(path: String, source: String, prefix: String?) throws -> Int {
        guard let archive = archive_read_new() else { throw ImportError(.input, source: source, "libarchive: out of memory") }
        defer { archive_read_free(archive) }
        archive_read_support_filter_all(archive)
        // Every archive format except mtree: its text heuristics take a plain CSV file (e.g. a
        // PERSON.csv beside others in a directory) for an mtree manifest and yield one bogus
        // entry per line. Plain files fall through to `raw` as intended.
        archive_read_support_format_7zip(archive)
        archive_read_support_format_ar(archive)
        archive_read_support_format_cab(archive)
        archive_read_support_format_cpio(archive)
        archive_read_support_format_empty(archive)
        archive_read_support_format_iso9660(archive)
        archive_read_support_format_lha(archive)
        archive_read_support_format_rar(archive)
        archive_read_support_format_rar5(archive)
        archive_read_support_format_tar(archive)
        archive_read_support_format_warc(archive)
        archive_read_support_format_xar(archive)
        archive_read_support_format_zip(archive)
        archive_read_support_format_raw(archive)
        let compressedSize = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int64) ?? 0
        let allowance = limits.allowance(forCompressedSize: compressedSize)
        let display = prefix.map { "\(source)/\($0)" } ?? source
        guard archive_read_open_filename(archive, path, 1 << 16) == ARCHIVE_OK else {
            throw ImportError(.input, source: display, Self.message(archive, "cannot open"))
        }
        var entries = 0
        var inflated: Int64 = 0
        var entry: OpaquePointer?
        while true {
            let status = archive_read_next_header(archive, &entry)
            if status == ARCHIVE_EOF { break }
            if status < ARCHIVE_WARN {
                let message = Self.message(archive, "unreadable archive")
                throw ImportError(.input, source: display, entries == 0 && archive_format(archive) == 0
                    ? "not a readable archive or file (\(message))" : "damaged or truncated archive: \(message)")
            }
            guard let entry else { break }
            let isRaw = archive_format(archive) == ARCHIVE_FORMAT_RAW
            var name = archive_entry_pathname(entry).map { String(cString: $0) } ?? ""
            if isRaw {
                name = Self.stripCompressionSuffix(prefix ?? (path as NSString).lastPathComponent)
            } else {
                if archive_entry_filetype(entry) & 0o170000 != 0o100000 { continue }
                try Self.checkSafe(name, source: display)
                if let prefix { name = prefix + "/" + name }
            }
            if (name as NSString).lastPathComponent.hasPrefix("._") || name.contains("__MACOSX/") { continue }
            let size: Int64? = !isRaw && archive_entry_size_is_set(entry) != 0 ? archive_entry_size(entry) : nil
            entries += 1
            try queue.pushOrThrow(.begin(EntryInfo(name: name, source: source, size: size)))
            while true {
                // Uninitialised capacity: libarchive writes the bytes, nothing is zero-filled first.
                var count = 0
                let chunk = [UInt8](unsafeUninitializedCapacity: chunkSize) { buffer, initialized in
                    count = archive_read_data(archive, buffer.baseAddress, chunkSize)
                    initialized = max(count, 0)
                }
                if count < 0 {
                    throw ImportError(.input, source: display, entry: name,
                                      "damaged or truncated data: \(Self.message(archive, "read error"))")
                }
                if count == 0 { break }
                inflated += Int64(count)
                if inflated > allowance {
                    throw ImportError(.input, source: display, entry: name,
                                      "inflates past \(allowance >> 20) MiB (\(limits.maxRatio)× the archive's size): refusing a possible decompression bomb (raise --max-inflate-ratio if the archive is genuine)")
                }
                try queue.pushOrThrow(.chunk(chunk))
                let position = archive_filter_bytes(archive, -1)
                bytesReadLock.withLock { _bytesRead = position }
            }
            try queue.pushOrThrow(.end)
        }
        return entries
    }

    static func checkSafe(_ name: String, source: String) throws {
        let components = name.split(separator: "/", omittingEmptySubsequences: false)
        if name.hasPrefix("/") || name.hasPrefix("\\") || components.contains("..") || name.contains(":\\") || name.contains("\\..") {
            throw ImportError(.input, source: source, entry: name,
                              "unsafe entry name (absolute path or '..' component): refusing the archive")
        }
    }

    static func stripCompressionSuffix(_ name: String) -> String {
        for suffix in [".gz", ".bz2", ".xz", ".zst", ".lz4"] where name.lowercased().hasSuffix(suffix) {
            return String(name.dropLast(suffix.count))
        }
        return name
    }

    static func message(_ archive: OpaquePointer, _ fallback: String) -> String {
        archive_error_string(archive).map { String(cString: $0) } ?? fallback
    }
}

/// A blocking FIFO of bounded capacity between one producer and one consumer.
final class BoundedQueue<Element>: @unchecked Sendable {
    enum Closed: Error { case closed }
    private let condition = NSCondition()
    private var items: [Element] = []
    private var head = 0
    private let capacity: Int
    private var closed = false

    init(capacity: Int) { self.capacity = capacity }

    func push(_ item: Element) {
        try? pushOrThrow(item)
    }

    func pushOrThrow(_ item: Element) throws {
        condition.lock()
        defer { condition.unlock() }
        while items.count - head >= capacity && !closed { condition.wait() }
        if closed { throw Closed.closed }
        items.append(item)
        condition.broadcast()
    }

    func pop() -> Element {
        condition.lock()
        defer { condition.unlock() }
        while items.count - head == 0 { condition.wait() }
        let item = items[head]
        head += 1
        if head > 64 { items.removeFirst(head); head = 0 }
        condition.broadcast()
        return item
    }

    func close() {
        condition.lock()
        closed = true
        items.removeAll()
        head = 0
        condition.broadcast()
        condition.unlock()
    }
}
