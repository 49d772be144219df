import ArgumentParser
import Foundation
import Logging
import MidnightChain
import MidnightConfig
import MidnightRPC
import MidnightStatus

/// The pieces `status` and `keys verify` share.
package enum StatusRun {
    /// Keys from `--keys-file`, else the keystore (flag, `MVM_KEYSTORE_PATH` or config); nil when none is set.
    package static func loadKeys(keysFile: String?, settings: Settings) throws -> ValidatorKeys? {
        do {
            if let keysFile { return try Keystore.load(keysFile: keysFile) }
            if let directory = settings.keystorePath { return try Keystore.load(directory: directory) }
            return nil
        } catch {
            throw CommandFailure(error.description, hint: "check --keystore / --keys-file (or validator.keystore_path)")
        }
    }

    /// Runs `body` with a status checker on a node client that is shut down afterwards. With
    /// `preflight`, an unreachable node fails first with the client's one-line error.
    package static func withChecker<T: Sendable>(
        settings: Settings, keys: ValidatorKeys?, logger: Logger, preflight: Bool = false, _ body: (StatusChecker) async throws -> T
    ) async throws -> T {
        var configuration = NodeClientConfiguration(url: settings.rpcURL)
        configuration.retry = .none
        configuration.timeout = .seconds(10)
        let network = NetworkPreset(name: settings.config.chain.network) ?? .preview
        let inputs = StatusChecker.Inputs(
            chain: settings.config.integration.chainID, network: network, metricsURL: settings.config.rpc.metricsURL, keys: keys,
            databasePath: FileManager.default.fileExists(atPath: settings.databasePath) ? settings.databasePath : nil)
        do {
            return try await withNodeClient(configuration, logger: logger) { client in
                if preflight { _ = try await client.systemHealth() }
                return try await body(StatusChecker(node: client, inputs: inputs, logger: logger))
            }
        } catch let error as NodeRPCError {
            throw CommandFailure(error.description)
        }
    }
}
