import ArgumentParser
import Foundation
import Stratum
import StratumAnalytics

/// `stratum forecast`: trajectory forecasts of repeated measurements.
struct ForecastCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "forecast",
        abstract: "Forecast patients' lab trajectories (HbA1c) with a linear mixed-effects model.",
        subcommands: [ForecastHbA1cCommand.self])
}

/// `stratum forecast hba1c`: fit, forecast every patient, flag threshold crossings, backtest.
struct ForecastHbA1cCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hba1c",
        abstract: "Fit HbA1c trajectories (random intercept and slope, REML) and forecast every patient.",
        discussion: """
            Reads HbA1c results (LOINC 4548-4, 17856-6, 4549-2, 59261-8; mmol/mol converted to %) \
            from the store, or person,date,value rows (value in %) from --input. Same-day results \
            are averaged; values outside 3–20 % are dropped and counted. With --as-of no result \
            after that date is used and forecasts start from it; otherwise each patient's forecast \
            starts from their last result. A patient is flagged when their fitted value at the \
            start is below --threshold and the forecast mean at the horizon is at or above it. \
            See docs/FORECASTING.md.

            Examples:
              stratum forecast hba1c --db pop.sqlite --horizon 180 --threshold 9 --output forecasts.csv
              stratum forecast hba1c --db pop.sqlite --as-of 2025-01-01 --backtest --json
              stratum forecast hba1c --db pop.sqlite --chart-person 42 --svg p42.svg --cohort-svg cohort.svg
            """)

    @Option(name: .long, help: ArgumentHelp("The Stratum store (a SQLite file).", valueName: "FILE"))
    var db: String?

    @Option(name: .long, help: ArgumentHelp("Read person,date,value CSV (date YYYY-MM-DD or days since 1970; value in %) instead of a store.", valueName: "FILE"))
    var input: String?

    @Option(name: .long, help: ArgumentHelp("Days after the last result (or the as-of date) to forecast.", valueName: "DAYS"))
    var horizon: Int = 180

    @Option(name: .long, help: ArgumentHelp("Flag patients forecast to reach this HbA1c (%) within the horizon.", valueName: "PERCENT"))
    var threshold: Double = 9

    @Option(name: .customLong("as-of"), help: ArgumentHelp("Use no result after this date; forecast from it.", valueName: "YYYY-MM-DD"))
    var asOf: String?

    @Option(name: .long, help: ArgumentHelp("Write per-patient forecasts to this CSV file (atomically).", valueName: "FILE"))
    var output: String?

    @Flag(name: .long, help: "Also backtest: hold out each patient's last result and compare the model with last value carried forward.")
    var backtest = false

    @Option(name: .customLong("min-history"), help: ArgumentHelp("Backtest: earlier results a patient needs to have their last held out.", valueName: "N"))
    var minHistory: Int = 3

    @Option(name: .customLong("chart-person"), help: ArgumentHelp("Chart this person's trajectory and forecast (with --svg).", valueName: "ID"))
    var chartPerson: Int64?

    @Option(name: .long, help: ArgumentHelp("The SVG file for --chart-person.", valueName: "FILE"))
    var svg: String?

    @Option(name: .customLong("cohort-svg"), help: ArgumentHelp("Write an SVG of all trajectories with the population mean.", valueName: "FILE"))
    var cohortSVG: String?

    @Option(name: .long, help: ArgumentHelp("Residual structure: independent, or exponential (serial correlation plus measurement error; docs/FORECASTING.md).",
                                            valueName: "independent|exponential"))
    var correlation: ResidualCorrelation = TrajectoryModel.defaultCorrelation

    @Flag(name: .long, help: "Print a machine-readable JSON summary on stdout instead of text.")
    var json = false

    @Flag(name: [.short, .long], help: "Print nothing but errors.")
    var quiet = false

    func validate() throws {
        if (db == nil) == (input == nil) { throw ValidationError("give exactly one of --db and --input") }
        if horizon < 0 { throw ValidationError("--horizon must be 0 or more") }
        if minHistory < 1 { throw ValidationError("--min-history must be 1 or more") }
        if !threshold.isFinite { throw ValidationError("--threshold must be a number") }
        if (chartPerson == nil) != (svg == nil) { throw ValidationError("--chart-person and --svg go together") }
        if let asOf, HbA1cResults.parseISODate(asOf) == nil { throw ValidationError("--as-of: '\(asOf)' is not a date (YYYY-MM-DD)") }
    }

    func progress(_ line: String) {
        if !quiet && !json { FileHandle.standardError.write(Data((line + "…\n").utf8)) }
    }

    func run() throws {
        let started = Date()
        let asOfDay = asOf.flatMap(HbA1cResults.parseISODate)
        progress("reading HbA1c results")
        let results = try load(asOfDay: asOfDay)
        guard !results.observations.isEmpty else {
            let why = results.droppedAfterAsOf + results.droppedImplausible + results.droppedUnknownUnit > 0
                ? " (\(results.droppedAfterAsOf) after the as-of date, \(results.droppedImplausible) implausible, \(results.droppedUnknownUnit) in an unknown unit)" : ""
            throw CLIError(message: "no HbA1c results\(input == nil ? " in the store (LOINC 4548-4, 17856-6, 4549-2, 59261-8)" : " in the input")\(why)",
                           exitCode: ExitStatus.data)
        }
        let series = PatientSeries.build(from: results.observations)
        progress("fitting the trajectory model to \(Terminal.count(series.count)) patients")
        let model: TrajectoryModel
        do { model = try TrajectoryModel.fit(series, asOf: asOfDay, correlation: correlation) } catch let error as TrajectoryError {
            throw CLIError(message: error.description, exitCode: Self.exitCode(error))
        }
        progress("forecasting")
        let forecasts = model.forecast(horizonDays: horizon, threshold: threshold)
        if let output { try writeCSV(forecasts, to: output) }
        if let chartPerson, let svg {
            guard let index = model.index(of: chartPerson) else {
                throw CLIError(message: "--chart-person: that person has no HbA1c results\(asOf == nil ? "" : " on or before the as-of date")", exitCode: ExitStatus.data)
            }
            try writeAtomically(TrajectoryChart.patientSVG(model: model, patient: index, forecast: forecasts[index], threshold: threshold), to: svg)
        }
        if let cohortSVG { try writeAtomically(TrajectoryChart.cohortSVG(model: model), to: cohortSVG) }
        var check: TrajectoryBacktest?
        if backtest {
            progress("backtesting (last result of each patient with \(minHistory)+ earlier results held out)")
            do { check = try TrajectoryBacktest.run(model.series, minHistory: minHistory, correlation: correlation) } catch let error as TrajectoryError {
                throw CLIError(message: "backtest: \(error.description)", exitCode: Self.exitCode(error))
            }
        }
        let seconds = Date().timeIntervalSince(started)
        let flagged = forecasts.filter { $0.crossesThreshold == true }.count
        if json {
            Terminal.printJSON(summaryJSON(results, model, flagged: flagged, backtest: check, seconds: seconds))
        } else if !quiet {
            printSummary(results, model, flagged: flagged, backtest: check, seconds: seconds)
        }
    }

    static func exitCode(_ error: TrajectoryError) -> ExitCode {
        switch error {
        case .noData, .insufficientData: return ExitStatus.data
        case .notConverged, .numerical: return ExitStatus.failure
        }
    }

    func load(asOfDay: Int?) throws -> HbA1cResults {
        if let input {
            guard FileManager.default.fileExists(atPath: input) else { throw CLIError(message: "--input: no file \(input)", exitCode: ExitStatus.failure) }
            do { return try HbA1cResults.readCSV(path: input, asOf: asOfDay) } catch let error as TrajectoryError {
                throw CLIError(message: error.description, exitCode: ExitStatus.data)
            }
        }
        let path = db ?? ""
        guard FileManager.default.fileExists(atPath: path) else { throw CLIError(message: "cannot open store \(path): no such file", exitCode: ExitStatus.failure) }
        let store: Store
        do { store = try Store(path: path, readOnly: true) } catch {
            throw CLIError(message: "cannot open store \(path): \(error)", exitCode: ExitStatus.failure)
        }
        do { return try HbA1cResults.read(from: store.db, asOf: asOfDay) } catch {
            throw CLIError(message: "cannot read measurements from \(path): \(error)", exitCode: ExitStatus.data)
        }
    }

    static func number(_ v: Double) -> String { String(format: "%.3f", v) }

    func writeCSV(_ forecasts: [TrajectoryForecast], to path: String) throws {
        var text = "person_id,n_results,last_date,last_value,forecast_date,forecast,lo80,hi80,lo95,hi95,crosses_threshold\n"
        text.reserveCapacity(forecasts.count * 100)
        for f in forecasts {
            text += "\(f.personID),\(f.resultCount),\(CivilDate.iso(days: f.lastDay)),\(Self.number(f.lastValue)),\(CivilDate.iso(days: f.day)),"
            text += "\(Self.number(f.mean)),\(Self.number(f.lo80)),\(Self.number(f.hi80)),\(Self.number(f.lo95)),\(Self.number(f.hi95)),"
            text += f.crossesThreshold.map { $0 ? "true" : "false" } ?? ""
            text += "\n"
        }
        try writeAtomically(text, to: path)
    }

    /// Writes beside the target, then renames over it: readers never see a partial file.
    func writeAtomically(_ text: String, to path: String) throws {
        let url = URL(fileURLWithPath: path)
        let temp = url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).tmp-\(getpid())")
        do {
            try Data(text.utf8).write(to: temp)
            guard rename(temp.path, url.path) == 0 else {
                throw CLIError(message: "cannot write \(path): \(String(cString: strerror(errno)))", exitCode: ExitStatus.failure)
            }
        } catch let error as CLIError {
            try? FileManager.default.removeItem(at: temp)
            throw error
        } catch {
            try? FileManager.default.removeItem(at: temp)
            throw CLIError(message: "cannot write \(path): \(error.localizedDescription)", exitCode: ExitStatus.failure)
        }
    }

    func printSummary(_ r: HbA1cResults, _ m: TrajectoryModel, flagged: Int, backtest: TrajectoryBacktest?, seconds: Double) {
        let g = m.randomEffectCovariance, se = m.betaStandardErrors
        print("HbA1c trajectories: \(Terminal.count(m.series.count)) patients, \(Terminal.count(m.observationCount)) results (same-day averaged)"
              + (asOf.map { ", as of \($0)" } ?? ""))
        if r.converted + r.droppedImplausible + r.droppedUnknownUnit + r.droppedAfterAsOf > 0 {
            print("  \(r.converted) converted from mmol/mol; dropped \(r.droppedImplausible) implausible (outside 3–20 %), "
                  + "\(r.droppedUnknownUnit) in an unknown unit, \(r.droppedAfterAsOf) after the as-of date")
        }
        print(String(format: "  intercept β0 = %.3f %% (SE %.3f)   slope β1 = %+.4f %%/year (SE %.4f)", m.beta[0], se[0], m.beta[1], se[1]))
        print(String(format: "  G = [[%.4f, %.4f], [%.4f, %.5f]]   σ = %.3f %%   (REML, %d iterations)", g[0][0], g[0][1], g[1][0], g[1][1], m.residualSD, m.iterations))
        if m.correlation == .exponential {
            print(String(format: "  serial correlation: τ = %.3f %%, range ρ = %.2f years; measurement error σ = %.3f %%",
                         m.serialVariance.squareRoot(), m.serialRange, m.residualSD))
        }
        print(String(format: "  %@ patients forecast to reach %g %% within %d days", Terminal.count(flagged) as NSString, threshold, horizon))
        if let backtest { print(Self.backtestTable(backtest)) }
        for file in [output, svg, cohortSVG].compactMap({ $0 }) { print("wrote \(file)") }
        print(String(format: "done in %.1f s", seconds))
    }

    static func backtestTable(_ b: TrajectoryBacktest) -> String {
        func row(_ name: String, _ m: BacktestMetrics) -> [String] {
            [name, String(m.count), String(format: "%.3f", m.mae), String(format: "%.3f", m.rmse),
             String(format: "%.1f%%", 100 * m.coverage95), String(format: "%.1f%%", 100 * m.coverage80), String(format: "%.2f", m.meanWidth95)]
        }
        return "backtest: last result held out for \(b.patients) patients (\(b.minHistory)+ earlier results)\n"
            + Terminal.table(["forecaster", "n", "MAE", "RMSE", "cover95", "cover80", "width95"],
                             [row("mixed model", b.model), row("last value", b.lastValue)])
    }

    func summaryJSON(_ r: HbA1cResults, _ m: TrajectoryModel, flagged: Int, backtest: TrajectoryBacktest?, seconds: Double) -> [String: Any] {
        let se = m.betaStandardErrors
        var doc: [String: Any] = [
            "patients": m.series.count, "results": m.observationCount, "results_read": r.observations.count,
            "converted_mmol_per_mol": r.converted, "dropped_implausible": r.droppedImplausible,
            "dropped_unknown_unit": r.droppedUnknownUnit, "dropped_after_as_of": r.droppedAfterAsOf,
            "horizon_days": horizon, "threshold": threshold, "patients_flagged": flagged,
            "fixed_effects": ["intercept": ["estimate": m.beta[0], "se": se[0]], "slope_per_year": ["estimate": m.beta[1], "se": se[1]]],
            "random_effect_covariance": m.randomEffectCovariance, "residual_sd": m.residualSD,
            "reml_criterion": m.remlCriterion, "iterations": m.iterations, "seconds": seconds,
            "files": [output, svg, cohortSVG].compactMap { $0 },
        ]
        doc["correlation"] = m.correlation.rawValue
        if m.correlation == .exponential { doc["serial_variance"] = m.serialVariance; doc["serial_range_years"] = m.serialRange }
        if let asOf { doc["as_of"] = asOf }
        if let b = backtest {
            func metrics(_ x: BacktestMetrics) -> [String: Any] {
                ["n": x.count, "mae": x.mae, "rmse": x.rmse, "coverage95": x.coverage95, "coverage80": x.coverage80, "mean_width95": x.meanWidth95]
            }
            doc["backtest"] = ["patients": b.patients, "min_history": b.minHistory, "model": metrics(b.model), "last_value": metrics(b.lastValue)]
        }
        return doc
    }
}

extension ResidualCorrelation: ExpressibleByArgument {}
