import Foundation
import Logging
import SpomConfig
import SpomDaemon
import SpomLog
import SpomStore

#if canImport(Glibc)
import Glibc
#endif

/// `spom-mini-monitor`: a disk free-space monitor built from SpomCore alone.
///
/// ```
/// spom-mini-monitor [run] [--config PATH] [--pid-file PATH] [-v|--verbose]
/// spom-mini-monitor example | show [--config PATH] | validate [--config PATH] | paths
/// ```
/// Logs go to standard error; command output (example, show, ...) to standard output.
@main
enum MiniMonitor {
    static func main() async {
        let arguments = Array(CommandLine.arguments.dropFirst())
        let status = await run(arguments, environment: ProcessInfo.processInfo.environment)
        exit(status)
    }

    static func run(_ arguments: [String], environment: [String: String]) async -> Int32 {
        var command = "run"
        var configPath: String?
        var pidOverride: String?
        var verbose = false
        var index = 0
        while index < arguments.count {
            let argument = arguments[index]
            switch argument {
            case "run", "example", "show", "validate", "paths": command = argument
            case "-v", "--verbose": verbose = true
            case "--config", "--pid-file":
                guard index + 1 < arguments.count else { return usage("\(argument) needs a value") }
                index += 1
                if argument == "--config" { configPath = arguments[index] } else { pidOverride = arguments[index] }
            default: return usage("unknown argument \(argument)")
            }
            index += 1
        }

        let sources = ConfigSources(
            searchPaths: DiskMonitorConfig.searchPaths, explicitFile: configPath, environment: environment,
            overrides: pidOverride.map { [ConfigOverride("daemon.pid_file", $0, origin: "--pid-file")] } ?? [])
        switch command {
        case "example":
            do {
                print(try ConfigReport.example(DiskMonitorConfig.self), terminator: "")
                return 0
            } catch {
                return fail("\(error)")
            }
        case "paths":
            for entry in sources.searchEntries() {
                print("\(entry.path ?? entry.template)\(entry.exists ? "  (exists)" : "")")
            }
            return 0
        case "validate":
            let result = ConfigReport.validate(DiskMonitorConfig.self, sources: sources)
            for issue in result.issues { print(issue) }
            print(result.isValid ? "configuration is valid" : "configuration is invalid")
            return result.isValid ? 0 : 1
        case "show":
            do {
                let loaded = try ConfigReport.loadValidated(DiskMonitorConfig.self, sources: sources)
                print(try ConfigReport.render(loaded.value), terminator: "")
                return 0
            } catch {
                return fail("\(error)")
            }
        default:
            break
        }

        SpomLogging.bootstrap(verbose: verbose, environment: environment, levelVariable: "DISKMON_LOG_LEVEL")
        let logger = Logger(label: "disk-monitor")
        let config: DiskMonitorConfig
        do {
            let loaded = try ConfigReport.loadValidated(DiskMonitorConfig.self, sources: sources)
            for warning in loaded.warnings { logger.warning("\(warning)") }
            logger.info("configuration loaded", metadata: ["file": "\(loaded.file ?? "defaults")"])
            config = loaded.value
        } catch {
            return fail("\(error)")
        }

        do {
            // Wait (with backoff) for the watched path; a shutdown signal ends the wait.
            let path = config.watch.path
            let policy = BackoffPolicy(initial: .milliseconds(100), maximum: .seconds(2))
            let store = try SQLiteStore.open(path: config.storage.database, migrations: DiskSchema.migrations)
            let sampler = DiskSampler(
                path: path, interval: .milliseconds(Int64(config.watch.intervalMs)), store: store, logger: logger)
            let startup = StartupGate(path: path, policy: policy, logger: logger)
            let runner = DaemonRunner(
                services: [SequencedService(first: startup, then: sampler)],
                pidFile: config.daemon.pidFile.isEmpty ? nil : config.daemon.pidFile, environment: environment,
                readyStatus: "sampling \(path)", logger: logger)
            try await runner.run()
            try store.close()
            return 0
        } catch let error as PIDFileError {
            return fail("\(error)", status: 2)
        } catch let error as StartupRetry.GaveUp where error.shuttingDown {
            logger.info("stopped during startup")
            return 0
        } catch {
            return fail("\(error)")
        }
    }

    static func usage(_ problem: String) -> Int32 {
        fail("\(problem)\nusage: spom-mini-monitor [run|example|show|validate|paths] [--config PATH] [--pid-file PATH] [-v]", status: 64)
    }

    static func fail(_ message: String, status: Int32 = 1) -> Int32 {
        FileHandle.standardError.write(Data("error: \(message)\n".utf8))
        return status
    }
}
