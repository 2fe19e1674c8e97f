import ArgumentParser
import Foundation

// Exit codes that scripts can trust: 0 success, 1 failure, 2 usage error, 3 data error.
do {
    var command = try StratumCommand.parseAsRoot()
    try command.run()
} catch {
    let code = StratumCommand.exitCode(for: error)
    if code == .success {
        StratumCommand.exit(withError: error)
    }
    if let exit = error as? ExitCode {
        Foundation.exit(exit.rawValue)
    }
    if let stratumError = error as? CLIError {
        Terminal.error(stratumError.message)
        Foundation.exit(stratumError.exitCode.rawValue)
    }
    if code == .validationFailure {
        // ArgumentParser reports usage errors as 64; Stratum documents 2.
        let message = StratumCommand.fullMessage(for: error)
        FileHandle.standardError.write(Data((message + "\n").utf8))
        Foundation.exit(ExitStatus.usage.rawValue)
    }
    Terminal.error(StratumCommand.fullMessage(for: error))
    Foundation.exit(ExitStatus.failure.rawValue)
}
