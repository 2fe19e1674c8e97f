// The session layer is the facade front ends use: it re-exports the layers below so that the
// CLI, the REPL and the notebook kernel import one module.
@_exported import StratumImport
@_exported import StratumStore
@_exported import StratumSynth
@_exported import StratumQuery
@_exported import StratumReports
@_exported import StratumAnalytics
