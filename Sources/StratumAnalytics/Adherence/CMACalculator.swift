/// AdhereR's simple CMAs (CMA1–CMA9), treatment episodes, CMA per episode and sliding-window CMAs.
///
/// Every function takes one patient's events sorted by day (ties in input order), e.g. a slice of the
/// array `CMACalculator.sortByPatient` returns; work is a linear pass over the slice, so a whole file is
/// one sort plus linear time. Definitions follow Dima & Dediu (2017) and AdhereR's `R/adherer.R`
/// (`compute.event.int.gaps`, `CMA1`…`CMA9`, `compute.treatment.episodes`, `CMA_per_episode`,
/// `CMA_sliding_window`); see docs/ADHERENCE.md.
public struct CMACalculator: Sendable {
    public var parameters: CMAParameters

    public init(parameters: CMAParameters = CMAParameters()) {
        self.parameters = parameters
    }

    // MARK: Windows

    /// The patient's FUW and OW (relative to the first event), or nil without events.
    public func windows(for events: ArraySlice<MedicationEvent>) -> CMAWindows? {
        guard let first = events.first else { return nil }
        let fuStart = first.day + parameters.followUpStart
        let owStart = fuStart + parameters.observationStart
        return CMAWindows(followUpStart: fuStart, followUpEnd: fuStart + parameters.followUpDays,
                          observationStart: owStart, observationEnd: owStart + parameters.observationDays)
    }

    /// CMA`k` (1…9) for one patient's sorted events, with the windows from `parameters`; nil where AdhereR
    /// gives NA (too few events in the window, an empty denominator, or an OW outside the FUW).
    public func cma(_ k: Int, events: ArraySlice<MedicationEvent>) -> Double? {
        guard let w = windows(for: events) else { return nil }
        return cma(k, events: events, windows: w)
    }

    /// CMA`k` with explicit windows (used for episodes and sliding windows).
    public func cma(_ k: Int, events: ArraySlice<MedicationEvent>, windows w: CMAWindows) -> Double? {
        guard w.isValid, !events.isEmpty else { return nil }
        switch k {
        case 1: return cma1(events, w)
        case 2: return cma2(events, w)
        case 3: return cma1(events, w).map { min($0, 1) }
        case 4: return cma2(events, w).map { min($0, 1) }
        case 5: return cma5(events, w)
        case 6: return cma6(events, w)
        case 7: return cma7(events, w, lagged: false)
        case 8: return cma7(events, w, lagged: true)
        case 9: return cma9(events, w)
        default: return nil
        }
    }

    // MARK: Gaps (AdhereR compute.event.int.gaps)

    /// Event intervals, gap days and carry-over of the events `range` (indices into the slice).
    struct GapTable {
        var range: Range<Int>
        var interval: [Double]
        var gap: [Double]
        var carry: [Double]
    }

    /// The events of the FUW up to the OW end (from the OW start unless `carryInto`), their intervals
    /// (to the next event; the last to the OW end) and gap days with carry-over when `carryWithin`.
    func gaps(_ e: ArraySlice<MedicationEvent>, _ w: CMAWindows, carryInto: Bool, carryWithin: Bool) -> GapTable {
        let base = e.startIndex, n = e.count
        let lowest = carryInto ? w.followUpStart : max(w.followUpStart, w.observationStart)
        let highest = min(w.followUpEnd, w.observationEnd)
        var lo = 0
        while lo < n, e[base + lo].day < lowest { lo += 1 }
        var hi = lo
        while hi < n, e[base + hi].day <= highest { hi += 1 }
        let count = hi - lo
        var table = GapTable(range: lo..<hi, interval: [Double](repeating: 0, count: count),
                             gap: [Double](repeating: 0, count: count), carry: [Double](repeating: 0, count: count))
        guard count > 0 else { return table }
        for i in 0..<count {
            let day = e[base + lo + i].day
            let next = i + 1 < count ? e[base + lo + i + 1].day : w.observationEnd
            table.interval[i] = Double(next - day)
        }
        let sameMedication = parameters.carryOnlyForSameMedication, dosage = parameters.considerDosageChange
        var carry = 0.0
        for i in 0..<count {
            let event = e[base + lo + i]
            table.carry[i] = count > 1 && carryWithin ? carry : 0
            var gap = table.interval[i] - event.duration - table.carry[i]
            if gap < 0 { carry = -gap; gap = 0 } else { carry = 0 }
            table.gap[i] = gap
            guard count > 1, carryWithin, i + 1 < count else { continue }
            let next = e[base + lo + i + 1]
            let changed = event.medication != next.medication
            if sameMedication && changed {
                carry = 0
            } else if dosage, let d0 = event.dose, let d1 = next.dose, d1 > 0 {
                carry *= d0 / d1
            }
        }
        return table
    }

    /// The events dated inside the OW (start ≤ day ≤ end), as index range into the slice.
    func observationRange(_ e: ArraySlice<MedicationEvent>, _ w: CMAWindows) -> Range<Int> {
        let base = e.startIndex, n = e.count
        var lo = 0
        while lo < n, e[base + lo].day < w.observationStart { lo += 1 }
        var hi = lo
        while hi < n, e[base + hi].day <= w.observationEnd { hi += 1 }
        return lo..<hi
    }

    // MARK: The simple CMAs

    /// CMA1: durations of the OW's events except the last, over the days from the first to the last event.
    func cma1(_ e: ArraySlice<MedicationEvent>, _ w: CMAWindows) -> Double? {
        let r = observationRange(e, w), base = e.startIndex
        guard r.count >= 2 else { return nil }
        let span = e[base + r.upperBound - 1].day - e[base + r.lowerBound].day
        guard span > 0 else { return nil }
        var supply = 0.0
        for i in r.dropLast() { supply += e[base + i].duration }
        return supply / Double(span)
    }

    /// CMA2: durations of all the OW's events, over the days from the first event to the OW end.
    func cma2(_ e: ArraySlice<MedicationEvent>, _ w: CMAWindows) -> Double? {
        let r = observationRange(e, w), base = e.startIndex
        guard !r.isEmpty else { return nil }
        let span = w.observationEnd - e[base + r.lowerBound].day
        guard span > 0 else { return nil }
        var supply = 0.0
        for i in r { supply += e[base + i].duration }
        return supply / Double(span)
    }

    /// CMA5: 1 − gap days (carry-over within the OW) between the first and last event, over that span.
    func cma5(_ e: ArraySlice<MedicationEvent>, _ w: CMAWindows) -> Double? {
        let t = gaps(e, w, carryInto: false, carryWithin: true), base = e.startIndex
        guard t.range.count >= 2 else { return nil }
        let span = e[base + t.range.upperBound - 1].day - e[base + t.range.lowerBound].day
        guard span > 0 else { return nil }
        let gapDays = t.gap.dropLast().reduce(0, +)
        return 1 - gapDays / Double(span)
    }

    /// CMA6: 1 − gap days (carry-over within the OW) from the first event to the OW end, over that span.
    func cma6(_ e: ArraySlice<MedicationEvent>, _ w: CMAWindows) -> Double? {
        let t = gaps(e, w, carryInto: false, carryWithin: true), base = e.startIndex
        guard !t.range.isEmpty else { return nil }
        let span = w.observationEnd - e[base + t.range.lowerBound].day
        guard span > 0 else { return nil }
        return 1 - t.gap.reduce(0, +) / Double(span)
    }

    /// CMA7: days covered in the OW (carry-over from before and within the OW; days before the first
    /// supply are gaps) over the OW length. CMA8 (`lagged`): the OW start moves to the end of the supply
    /// carried over from the events before the OW, and the OW shortens accordingly.
    func cma7(_ e: ArraySlice<MedicationEvent>, _ w: CMAWindows, lagged: Bool) -> Double? {
        let t = gaps(e, w, carryInto: true, carryWithin: true), base = e.startIndex
        guard !t.range.isEmpty else { return nil }
        var start = Double(w.observationStart)
        let end = Double(w.observationEnd)
        if lagged {
            var last: Int?
            for i in 0..<t.range.count where e[base + t.range.lowerBound + i].day < w.observationStart { last = i }
            if let j = last {
                let event = e[base + t.range.lowerBound + j]
                start = max(start, Double(event.day) + event.duration + t.carry[j])
            }
            guard start < end else { return nil }
        }
        var covered = 0.0
        for i in 0..<t.range.count {
            let day = Double(e[base + t.range.lowerBound + i].day)
            let supplyEnd = day + t.interval[i] - t.gap[i]
            covered += max(0, min(supplyEnd, end) - max(day, start))
        }
        return covered / (end - start)
    }

    /// CMA9: each interval between events (FUW-wide, carry-over throughout) has the ratio of its covered
    /// days; the OW value is the average of these ratios weighted by the intervals' days inside the OW.
    func cma9(_ e: ArraySlice<MedicationEvent>, _ w: CMAWindows, table: GapTable? = nil) -> Double? {
        let t = table ?? followUpGaps(e, w), base = e.startIndex
        guard !t.range.isEmpty, e[base + t.range.lowerBound].day <= w.observationEnd else { return nil }
        var weighted = 0.0
        for i in 0..<t.range.count where t.interval[i] > 0 {
            let day = e[base + t.range.lowerBound + i].day
            let overlap = max(0, min(Double(day) + t.interval[i], Double(w.observationEnd)) - Double(max(day, w.observationStart)))
            weighted += (1 - t.gap[i] / t.interval[i]) * overlap
        }
        return weighted / Double(w.observationEnd - w.observationStart)
    }

    /// CMA9's gap table: intervals and carry-over over the whole FUW (independent of the OW).
    func followUpGaps(_ e: ArraySlice<MedicationEvent>, _ w: CMAWindows) -> GapTable {
        let fuw = CMAWindows(followUpStart: w.followUpStart, followUpEnd: w.followUpEnd,
                             observationStart: w.followUpStart, observationEnd: w.followUpEnd)
        return gaps(e, fuw, carryInto: true, carryWithin: true)
    }

    // MARK: Treatment episodes, per episode, sliding windows

    /// Treatment episodes in the FUW (AdhereR `compute.treatment.episodes`): gaps with carry-over across the
    /// FUW; a new episode starts after a gap longer than `maxGap` days or, if `medicationChangeStartsEpisode`,
    /// at a change of medication. An episode ends where its supply ends (the next episode's start at the
    /// latest), except that the last one runs to the FUW end when its final gap is within `maxGap`.
    public func episodes(events: ArraySlice<MedicationEvent>, maxGap: Double,
                         medicationChangeStartsEpisode: Bool = true) -> [TreatmentEpisode] {
        guard let w = windows(for: events), w.followUpStart < w.followUpEnd else { return [] }
        let fuw = CMAWindows(followUpStart: w.followUpStart, followUpEnd: w.followUpEnd,
                             observationStart: w.followUpStart, observationEnd: w.followUpEnd)
        let t = gaps(events, fuw, carryInto: true, carryWithin: true), base = events.startIndex
        guard !t.range.isEmpty else { return [] }
        let patient = events[base].patient
        var result: [TreatmentEpisode] = []
        var first = 0
        let count = t.range.count
        for i in 0..<count {
            let event = events[base + t.range.lowerBound + i]
            let isLast = i == count - 1
            let split = !isLast && (t.gap[i] > maxGap || (medicationChangeStartsEpisode
                && event.medication != events[base + t.range.lowerBound + i + 1].medication))
            guard isLast || split else { continue }
            let endDay: Int
            if isLast && t.gap[i] <= maxGap {
                endDay = w.followUpEnd
            } else {
                endDay = Int((Double(event.day) + t.interval[i] - t.gap[i]).rounded())
            }
            let startDay = events[base + t.range.lowerBound + first].day
            result.append(TreatmentEpisode(patient: patient, index: result.count + 1, startDay: startDay, endDay: endDay,
                                           endGapDays: t.gap[i],
                                           eventRange: (t.range.lowerBound + first)..<(t.range.lowerBound + i + 1)))
            first = i + 1
        }
        return result
    }

    /// CMA`ks` per treatment episode (AdhereR `CMA_per_episode`): the episode is the FUW, its intersection
    /// with the patient's OW the OW, and only the episode's events count.
    public func perEpisode(_ ks: [Int], events: ArraySlice<MedicationEvent>, maxGap: Double,
                           medicationChangeStartsEpisode: Bool = true) -> [CMAWindowValue] {
        guard let w = windows(for: events) else { return [] }
        let base = events.startIndex
        return episodes(events: events, maxGap: maxGap, medicationChangeStartsEpisode: medicationChangeStartsEpisode).map { ep in
            let sub = events[(base + ep.eventRange.lowerBound)..<(base + ep.eventRange.upperBound)]
            let ew = CMAWindows(followUpStart: ep.startDay, followUpEnd: ep.endDay,
                                observationStart: max(ep.startDay, w.observationStart), observationEnd: min(ep.endDay, w.observationEnd))
            return CMAWindowValue(patient: ep.patient, index: ep.index, startDay: ep.startDay, endDay: ep.endDay,
                                  values: (1...9).map { ks.contains($0) ? cma($0, events: sub, windows: ew) : nil },
                                  endGapDays: ep.endGapDays)
        }
    }

    /// CMA`ks` in sliding windows (AdhereR `CMA_sliding_window`): windows of `windowDays` start `startOffset`
    /// days after the OW start and every `stepDays`, as many as fit in the OW; each is the OW of a simple CMA
    /// over the patient's whole FUW.
    public func slidingWindows(_ ks: [Int], events: ArraySlice<MedicationEvent>, windowDays: Int, stepDays: Int,
                               startOffset: Int = 0) -> [CMAWindowValue] {
        guard let w = windows(for: events), windowDays > 0, stepDays > 0 else { return [] }
        let available = parameters.observationDays - startOffset
        guard available >= windowDays else { return [] }
        let count = (available - windowDays) / stepDays + 1
        let patient = events[events.startIndex].patient
        let table9 = ks.contains(9) && w.isValid ? followUpGaps(events, w) : nil  // shared by every window
        return (0..<count).map { i in
            let start = w.observationStart + startOffset + i * stepDays
            let sw = CMAWindows(followUpStart: w.followUpStart, followUpEnd: w.followUpEnd,
                                observationStart: start, observationEnd: start + windowDays)
            return CMAWindowValue(patient: patient, index: i + 1, startDay: start, endDay: start + windowDays,
                                  values: (1...9).map { k in
                                      guard ks.contains(k) else { return nil }
                                      if k == 9, let table9 { return sw.isValid ? cma9(events, sw, table: table9) : nil }
                                      return cma(k, events: events, windows: sw)
                                  })
        }
    }

    // MARK: Grouping

    /// Sorts events by patient (first appearance order kept) then day, stably, and returns the per-patient
    /// index ranges. O(n log n) once; every CMA afterwards is linear in the patient's events.
    public static func groupByPatient(_ events: [MedicationEvent]) -> (events: [MedicationEvent], patients: [Range<Int>]) {
        var order: [String: Int] = [:]
        var keys = [Int](repeating: 0, count: events.count)
        for (i, e) in events.enumerated() {
            if let k = order[e.patient] { keys[i] = k } else { keys[i] = order.count; order[e.patient] = order.count }
        }
        let idx = events.indices.sorted { a, b in
            if keys[a] != keys[b] { return keys[a] < keys[b] }
            if events[a].day != events[b].day { return events[a].day < events[b].day }
            return a < b
        }
        let sorted = idx.map { events[$0] }
        var ranges: [Range<Int>] = []
        var start = 0
        for i in 1..<(sorted.count + 1) where i == sorted.count || keys[idx[i]] != keys[idx[i - 1]] {
            ranges.append(start..<i)
            start = i
        }
        return (sorted, ranges)
    }
}
