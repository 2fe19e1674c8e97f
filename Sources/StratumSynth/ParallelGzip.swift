import CArchive
import Dispatch
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes a byte stream to a file as a sequence of independent gzip members, compressed on
/// several threads (the pigz technique). gzip is what bounds the generator (≈ 85% of its CPU at
/// level 6), and one zlib stream uses one core; members let every core compress. RFC 1952
/// defines a gzip file as a series of members and gzip, GNU tar, libarchive and Python all
/// read them as one stream.
///
/// Deterministic: blocks are cut at fixed offsets of the input and written in input order, so
/// the file depends only on the bytes written, not on thread timing.
///
/// `@unchecked Sendable`: mutable state is touched only by the thread calling `write`/`finish`;
/// workers see only their own block and result box.
final class ParallelGzipFile: @unchecked Sendable {
    /// Input bytes per member. 4 MiB costs < 0.1% of compression ratio (deflate's window is 32 KiB).
    static let blockSize = 4 << 20

    private let level: Int
    private let path: String
    private var file: UnsafeMutablePointer<FILE>?
    /// An error met inside libarchive's write callback, reported instead of libarchive's message.
    var failure: SynthError?
    private var block: [UInt8] = []
    private var pending: [(done: DispatchSemaphore, result: ResultBox)] = []
    private let maxInFlight: Int
    private let workers = DispatchQueue(label: "stratum.synth.gzip", attributes: .concurrent)

    private final class ResultBox: @unchecked Sendable {
        var bytes: [UInt8] = []
        var error: SynthError?
    }

    init(path: String, level: Int, threads: Int) throws {
        guard let file = fopen(path, "wb") else {
            throw SynthError.output("\(path): \(String(cString: strerror(errno)))")
        }
        self.file = file
        self.path = path
        self.level = level
        self.maxInFlight = max(2, threads + 1)
        block.reserveCapacity(Self.blockSize)
    }

    deinit { if let file { fclose(file) } }

    func write(_ bytes: UnsafeRawBufferPointer) throws {
        var offset = 0
        while offset < bytes.count {
            let take = min(Self.blockSize - block.count, bytes.count - offset)
            block.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[offset..<(offset + take)]))
            offset += take
            if block.count == Self.blockSize { try submitBlock() }
        }
    }

    /// Compresses what is left, writes every member, and closes the file.
    func finish() throws {
        if !block.isEmpty { try submitBlock() }
        while !pending.isEmpty { try writeOldest() }
        let closed = fclose(file)
        file = nil
        if closed != 0 { throw SynthError.output("\(path): \(String(cString: strerror(errno)))") }
    }

    private func submitBlock() throws {
        let input = block
        block = []
        block.reserveCapacity(Self.blockSize)
        let done = DispatchSemaphore(value: 0)
        let result = ResultBox()
        let level = self.level
        workers.async {
            do { result.bytes = try Self.member(input, level: level) } catch let error as SynthError {
                result.error = error
            } catch {
                result.error = .output("\(error)")
            }
            done.signal()
        }
        pending.append((done, result))
        while pending.count >= maxInFlight { try writeOldest() }
    }

    private func writeOldest() throws {
        let (done, result) = pending.removeFirst()
        done.wait()
        if let error = result.error { throw error }
        let written = result.bytes.withUnsafeBytes { fwrite($0.baseAddress, 1, $0.count, file) }
        guard written == result.bytes.count else {
            throw SynthError.output("\(path): \(String(cString: strerror(errno)))")
        }
    }

    /// One gzip member holding `input`, made by libarchive's gzip filter over its raw format
    /// (the package links libarchive, not zlib), with no header timestamp and no block padding.
    static func member(_ input: [UInt8], level: Int) throws -> [UInt8] {
        guard let archive = archive_write_new() else { throw SynthError.output("libarchive: out of memory") }
        defer { archive_write_free(archive) }
        archive_write_set_format_raw(archive)
        archive_write_add_filter_gzip(archive)
        archive_write_set_bytes_per_block(archive, 0)
        guard archive_write_set_options(archive, "gzip:compression-level=\(level),gzip:!timestamp") == ARCHIVE_OK else {
            throw SynthError.output("libarchive: \(String(cString: archive_error_string(archive)))")
        }
        // Deflate never expands by more than ~0.1% plus a few bytes; leave generous room.
        var output = [UInt8](repeating: 0, count: input.count + input.count / 64 + 4096)
        let used = UnsafeMutablePointer<Int>.allocate(capacity: 1)
        defer { used.deallocate() }
        used.pointee = 0
        let status: Int32 = output.withUnsafeMutableBytes { out in
            guard archive_write_open_memory(archive, out.baseAddress, out.count, used) == ARCHIVE_OK,
                  let entry = archive_entry_new() else { return ARCHIVE_FATAL }
            defer { archive_entry_free(entry) }
            archive_entry_set_filetype(entry, 0o100000)
            archive_entry_set_size(entry, Int64(input.count))
            guard archive_write_header(archive, entry) == ARCHIVE_OK else { return ARCHIVE_FATAL }
            let written = input.withUnsafeBytes { archive_write_data(archive, $0.baseAddress, $0.count) }
            guard written == input.count else { return ARCHIVE_FATAL }
            return archive_write_close(archive)
        }
        guard status == ARCHIVE_OK else {
            let message = archive_error_string(archive).map { String(cString: $0) } ?? "compression failed"
            throw SynthError.output("libarchive gzip: \(message)")
        }
        output.removeLast(output.count - used.pointee)
        return output
    }
}
