import CArchive
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// One finished NDJSON entry, ready to be written.
struct PendingEntry: Sendable {
    var name: String
    var data: PagedBytes
}

/// Writes entries to a tar.gz or zip (through libarchive) or to a directory.
///
/// Archives are written to `<path>.partial` and renamed into place when complete, so a failed
/// or interrupted run never leaves a truncated archive under the requested name. Every entry
/// gets the same mtime, owner and mode, and gzip's header timestamp is switched off, so the
/// bytes depend only on the content.
///
/// `@unchecked Sendable`: after `init`, the sink is used only from the writer's serial queue.
final class ArchiveSink: @unchecked Sendable {
    private let format: SynthOutputFormat
    private let path: String
    private let partialPath: String
    private let mtime: Int
    private var archive: OpaquePointer?
    /// The compressor behind a tar.gz (nil for zip and directories).
    private var gzip: ParallelGzipFile?
    /// The first error on the writer queue (read through the queue).
    var failure: SynthError?

    init(path: String, format: SynthOutputFormat, mtime: Int, compressionLevel: Int) throws {
        self.format = format
        self.path = path
        self.partialPath = path + ".partial"
        self.mtime = mtime
        switch format {
        case .directory:
            if mkdir(path, 0o755) != 0 && errno != EEXIST {
                throw SynthError.output("\(path): cannot create directory (\(String(cString: strerror(errno))))")
            }
            return
        case .tarGzip, .zip:
            break
        }
        guard let archive = archive_write_new() else { throw SynthError.output("\(path): libarchive: out of memory") }
        self.archive = archive
        if format == .tarGzip {
            // The tar stream goes through libarchive's write callback into a multi-threaded gzip.
            archive_write_set_format_ustar(archive)
            let threads = max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))
            let gzip: ParallelGzipFile
            do {
                gzip = try ParallelGzipFile(path: partialPath, level: compressionLevel, threads: threads)
            } catch {
                archive_write_free(archive)
                self.archive = nil
                throw error
            }
            self.gzip = gzip
            let opened = archive_write_open(archive, Unmanaged.passUnretained(gzip).toOpaque(), nil, { _, client, buffer, length in
                let gzip = Unmanaged<ParallelGzipFile>.fromOpaque(client!).takeUnretainedValue()
                do {
                    try gzip.write(UnsafeRawBufferPointer(start: buffer, count: length))
                    return length
                } catch {
                    gzip.failure = error as? SynthError ?? .output("\(error)")
                    return -1
                }
            }, nil)
            guard opened == ARCHIVE_OK else { throw openFailure(archive) }
        } else {
            archive_write_set_format_zip(archive)
            let options = "zip:compression=deflate,zip:compression-level=\(compressionLevel)"
            guard archive_write_set_options(archive, options) == ARCHIVE_OK,
                  archive_write_open_filename(archive, partialPath) == ARCHIVE_OK else { throw openFailure(archive) }
        }
    }

    private func openFailure(_ archive: OpaquePointer) -> SynthError {
        let error = SynthError.output("\(partialPath): \(message())")
        archive_write_free(archive)
        self.archive = nil
        gzip = nil
        unlink(partialPath)
        return error
    }

    deinit {
        if let archive {
            archive_write_free(archive)
            unlink(partialPath)
        }
    }

    func write(_ entry: PendingEntry) throws {
        if format == .directory { return try writeFile(entry) }
        guard let archive, let header = archive_entry_new() else { throw SynthError.output("\(path): archive closed") }
        defer { archive_entry_free(header) }
        archive_entry_set_pathname(header, entry.name)
        archive_entry_set_size(header, Int64(entry.data.count))
        archive_entry_set_filetype(header, 0o100000) // AE_IFREG (a cast macro Swift cannot import)
        archive_entry_set_perm(header, 0o644)
        archive_entry_set_mtime(header, mtime, 0)
        archive_entry_set_uid(header, 0)
        archive_entry_set_gid(header, 0)
        guard archive_write_header(archive, header) == ARCHIVE_OK else {
            throw gzip?.failure ?? SynthError.output("\(path): \(entry.name): \(message())")
        }
        for page in entry.data.pages {
            try page.withUnsafeBytes { buffer in
                var offset = 0
                while offset < buffer.count {
                    let written = archive_write_data(archive, buffer.baseAddress! + offset, buffer.count - offset)
                    if written <= 0 { throw gzip?.failure ?? SynthError.output("\(path): \(entry.name): \(message())") }
                    offset += written
                }
            }
        }
    }

    private func writeFile(_ entry: PendingEntry) throws {
        let file = path + "/" + entry.name
        guard let handle = fopen(file, "wb") else {
            throw SynthError.output("\(file): \(String(cString: strerror(errno)))")
        }
        var ok = true
        for page in entry.data.pages where ok {
            ok = page.withUnsafeBytes { fwrite($0.baseAddress, 1, $0.count, handle) == $0.count }
        }
        if fclose(handle) != 0 || !ok { throw SynthError.output("\(file): write failed") }
    }

    /// Closes the archive and moves it into place.
    func finish() throws {
        guard let archive else { return }
        self.archive = nil
        let closed = archive_write_close(archive)
        let closeMessage = message(archive)
        archive_write_free(archive)
        do {
            guard closed == ARCHIVE_OK else { throw gzip?.failure ?? SynthError.output("\(partialPath): \(closeMessage)") }
            try gzip?.finish()
            gzip = nil
        } catch {
            gzip = nil
            unlink(partialPath)
            throw error
        }
        guard rename(partialPath, path) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(partialPath)
            throw SynthError.output("\(path): cannot move the finished archive into place (\(reason))")
        }
    }

    private func message(_ archive: OpaquePointer? = nil) -> String {
        guard let archive = archive ?? self.archive, let text = archive_error_string(archive) else {
            return "libarchive error"
        }
        return String(cString: text)
    }
}
