import StratumStore
/// How an archive entry is named in errors, diagnostics and the store's import issues.
///
/// Exports often name a file per patient — Synthea writes `Given_Family_<uuid>.json`, other
/// systems a medical record number — and such a name is protected health information. A base
/// name holding a UUID or a run of six or more digits is therefore withheld and replaced by a
/// fingerprint (the first 8 hex digits of the SHA-256 of the full entry name), which finds the
/// entry again without showing it:
///
///     tar tzf export.tar.gz | while read -r n; do printf '%s %s\n' "$(printf %s "$n" | sha256sum | cut -c1-8)" "$n"; done | grep FINGERPRINT
///
/// Table-like names (`PERSON.csv`, `Observation.000003.ndjson`) are shown as they are.
public enum EntryName {
    public static func redacted(_ name: String) -> String {
        let parts = name.split(separator: "/", omittingEmptySubsequences: false)
        guard let base = parts.last, mayIdentifyAPatient(Substring(base)) else { return name }
        var hasher = SHA256()
        hasher.update(Array(name.utf8))
        let fingerprint = String(hasher.finalize().prefix(8))
        let ext = base.lastIndex(of: ".").map { String(base[$0...]) } ?? ""
        let directory = parts.dropLast().joined(separator: "/")
        return (directory.isEmpty ? "" : directory + "/") + "[per-patient file \(fingerprint), name withheld]\(ext)"
    }

    /// True when a base name holds a UUID (8-4-4-4-12 hex digits), or six or more digits in a row
    /// before its first dot (after it they are chunk numbers: `Observation.000001.ndjson`).
    static func mayIdentifyAPatient(_ base: Substring) -> Bool {
        let bytes = Array(base.utf8)
        var digits = 0
        for byte in bytes.prefix(while: { $0 != UInt8(ascii: ".") }) {
            digits = (byte >= 48 && byte <= 57) ? digits + 1 : 0
            if digits >= 6 { return true }
        }
        let groups = [8, 4, 4, 4, 12]
        var i = 0
        while i < bytes.count {
            var j = i, ok = true
            for (n, length) in groups.enumerated() {
                for _ in 0..<length {
                    guard j < bytes.count, isHex(bytes[j]) else { ok = false; break }
                    j += 1
                }
                if !ok { break }
                if n < groups.count - 1 {
                    guard j < bytes.count, bytes[j] == UInt8(ascii: "-") else { ok = false; break }
                    j += 1
                }
            }
            if ok { return true }
            i += 1
        }
        return false
    }

    private static func isHex(_ b: UInt8) -> Bool {
        (b >= 48 && b <= 57) || (b >= 97 && b <= 102) || (b >= 65 && b <= 70)
    }
}
