import Foundation
import StratumStore

/// Self-contained SVG charts (no scripts) of trajectories and forecasts.
public enum TrajectoryChart {
    /// One patient: their results (points), the fitted BLUP line over their history, the forecast
    /// from the origin to the forecast day with 80% and 95% prediction bands, and the threshold.
    public static func patientSVG(model: TrajectoryModel, patient index: Int, forecast: TrajectoryForecast, threshold: Double? = nil) -> String {
        let s = model.series[index]
        let steps = 24
        let forecastDays = (0...steps).map { forecast.originDay + ($0 * (forecast.day - forecast.originDay)) / steps }
        let bands = forecastDays.map { model.forecast(patient: index, day: $0, origin: forecast.originDay) }
        var ys: [Double] = s.values + bands.map(\.lo95) + bands.map(\.hi95)
        if let threshold { ys.append(threshold) }
        let (lo, hi) = (ys.min()!, ys.max()!)
        let pad = max(0.2, 0.08 * (hi - lo))
        let x0 = Double(s.originDay), x1 = Double(max(forecast.day, s.lastDay))
        let xPad = max(15, 0.03 * (x1 - x0))
        var plot = SVGPlot(x: (x0 - xPad)...(x1 + xPad), y: (lo - pad)...(hi + pad))
        plot.axes(title: "HbA1c trajectory — person \(s.personID)", xTitle: "date", yTitle: "HbA1c (%)",
                  xTicks: SVGPlot.dateTicks(Int(x0 - xPad), Int(x1 + xPad)), xLabel: SVGPlot.dateLabel)
        let xs = forecastDays.map(Double.init)
        plot.band(xs, lower: bands.map(\.lo95), upper: bands.map(\.hi95), fill: "#9ecae1", opacity: 0.45)
        plot.band(xs, lower: bands.map(\.lo80), upper: bands.map(\.hi80), fill: "#4292c6", opacity: 0.45)
        if let threshold {
            plot.polyline([(x0 - xPad, threshold), (x1 + xPad, threshold)], stroke: "#d62728", width: 1.2, dash: "6 4")
            plot.text(String(format: "threshold %g %%", threshold), x: plot.px(x0 - xPad) + 4, y: plot.py(threshold) - 5, size: 11)
        }
        let fitted = [s.originDay, forecast.originDay].map { (Double($0), model.fittedValue(patient: index, day: $0)) }
        plot.polyline(fitted, stroke: "#333333", width: 2)
        plot.polyline(zip(xs, bands.map(\.mean)).map { ($0, $1) }, stroke: "#08519c", width: 2, dash: "5 3")
        for k in 0..<s.count { plot.circle(Double(s.days[k]), s.values[k], fill: "#111111") }
        plot.legend("results", color: "#111111", row: 0, swatch: "box")
        plot.legend("fitted (BLUP)", color: "#333333", row: 1)
        plot.legend("forecast mean", color: "#08519c", row: 2)
        plot.legend("80% / 95% prediction", color: "#6baed6", row: 3, swatch: "box")
        let caption = "forecast for \(CivilDate.iso(days: forecast.day)): "
            + String(format: "%.2f %% (95%%: %.2f–%.2f)", forecast.mean, forecast.lo95, forecast.hi95)
        plot.text(caption, x: plot.left + 4, y: plot.top + 12, size: 11)
        return plot.document()
    }

    /// The cohort: each patient's results as a thin line against years since their first result
    /// (at most `maxPatients`, evenly chosen), the population mean β0 + β1·t, and the band where
    /// 95% of patients' results are expected (mean ± 1.96·√(G11 + 2tG12 + t²G22 + σ²)).
    public static func cohortSVG(model: TrajectoryModel, maxPatients: Int = 300) -> String {
        let series = model.series
        let stride = max(1, series.count / max(1, maxPatients))
        let shown = Swift.stride(from: 0, to: series.count, by: stride).map { series[$0] }
        let tMax = max(1, shown.map { $0.years(at: $0.lastDay) }.max() ?? 1)
        let g = model.randomEffectCovariance, s2 = model.residualVariance
        let ts = (0...40).map { tMax * Double($0) / 40 }
        let (b0, b1) = (model.beta[0], model.beta[1])
        let means: [Double] = ts.map { t in b0 + b1 * t }
        let sds: [Double] = ts.map { (t: Double) -> Double in
            let v: Double = g[0][0] + 2 * t * g[0][1] + t * t * g[1][1] + s2
            return v.squareRoot()
        }
        let lower: [Double] = zip(means, sds).map { m, sd in m - 1.96 * sd }
        let upper: [Double] = zip(means, sds).map { m, sd in m + 1.96 * sd }
        let values: [Double] = shown.flatMap(\.values) + lower + upper
        let (lo, hi) = (values.min()!, values.max()!)
        var plot = SVGPlot(x: 0...tMax, y: (lo - 0.2)...(hi + 0.2))
        plot.axes(title: "HbA1c trajectories — \(series.count) patients (\(shown.count) drawn)", xTitle: "years since the patient's first result",
                  yTitle: "HbA1c (%)", xTicks: SVGPlot.ticks(0...tMax), xLabel: { String(format: "%g", $0) })
        plot.band(ts, lower: lower, upper: upper, fill: "#fdd0a2", opacity: 0.5)
        for s in shown {
            let points = (0..<s.count).map { (s.years(at: s.days[$0]), s.values[$0]) }
            if points.count == 1 { plot.circle(points[0].0, points[0].1, fill: "#9e9e9e", r: 1.5) }
            plot.polyline(points, stroke: "#7f7f7f", width: 0.8, opacity: 0.45)
        }
        plot.polyline(zip(ts, means).map { ($0, $1) }, stroke: "#d94801", width: 2.5)
        plot.legend("patients' results", color: "#7f7f7f", row: 0)
        plot.legend(String(format: "mean %.2f %+.3f %%/year", model.beta[0], model.beta[1]), color: "#d94801", row: 1)
        plot.legend("95% of results", color: "#fdd0a2", row: 2, swatch: "box")
        return plot.document()
    }
}
