import Dispatch

/// Fixed-size row blocks run concurrently. The block layout depends only on the row count, never
/// on the number of cores or on scheduling, so per-block partial sums merged in block order give
/// bit-identical results on every run (determinism for a seed).
enum ParallelBlocks {
    static let blockSize = 8_192

    static func count(_ n: Int) -> Int { (n + blockSize - 1) / blockSize }

    static func range(_ block: Int, _ n: Int) -> Range<Int> { (block * blockSize)..<min(n, (block + 1) * blockSize) }

    /// Calls `body(block, rows)` for every block; blocks may run in parallel.
    static func run(_ n: Int, _ body: (Int, Range<Int>) -> Void) {
        let blocks = count(n)
        if blocks == 0 { return }
        if blocks == 1 { body(0, 0..<n); return }
        perform(blocks) { b in body(b, range(b, n)) }
    }

    /// `DispatchQueue.concurrentPerform` for a body that touches disjoint memory through unsafe
    /// pointers (each iteration its own slots), which the compiler cannot prove `Sendable`.
    static func perform(_ iterations: Int, _ body: (Int) -> Void) {
        withoutActuallyEscaping(body) { escapable in
            let box = UncheckedSendable(escapable)
            DispatchQueue.concurrentPerform(iterations: iterations) { i in box.value(i) }
        }
    }
}

struct UncheckedSendable<T>: @unchecked Sendable {
    let value: T
    init(_ value: T) { self.value = value }
}

/// A scratch buffer of doubles, one slot range per block, freed by the owner (`deallocate`).
struct BlockScratch {
    let pointer: UnsafeMutablePointer<Double>
    let stride: Int
    let blocks: Int

    init(blocks: Int, stride: Int) {
        self.blocks = blocks
        self.stride = stride
        pointer = .allocate(capacity: max(1, blocks * stride))
        pointer.initialize(repeating: 0, count: max(1, blocks * stride))
    }

    func zero() { pointer.update(repeating: 0, count: max(1, blocks * stride)) }

    func block(_ b: Int) -> UnsafeMutablePointer<Double> { pointer + b * stride }

    /// Sums the blocks in block order into `out` (length `stride`).
    func merge(into out: UnsafeMutablePointer<Double>) {
        out.update(repeating: 0, count: stride)
        for b in 0..<blocks {
            let p = block(b)
            for j in 0..<stride { out[j] += p[j] }
        }
    }

    func merged() -> [Double] {
        var out = [Double](repeating: 0, count: stride)
        out.withUnsafeMutableBufferPointer { merge(into: $0.baseAddress!) }
        return out
    }

    func deallocate() { pointer.deallocate() }
}
