import ArgumentParser
import MVMCommandSupport

/// The `mvm guide` topics (v1's, updated for node 0.18 / 1.x).
public enum GuideTopic: String, ExpressibleByArgument, CaseIterable, Sendable {
    case notProducing = "not-producing"
    case registration, peers, memory, keys, setup, list

    /// One-line summary for the topic list.
    public var summary: String {
        switch self {
        case .notProducing: "registered but not producing blocks"
        case .registration: "registration states and how they are checked"
        case .peers: "network connectivity problems"
        case .memory: "node memory growth and restarts"
        case .keys: "session keys, the keystore and unsafe RPC"
        case .setup: "setting up mvm beside a validator"
        case .list: "this list"
        }
    }
}

/// `mvm guide [topic]`: troubleshooting texts, plain text on stdout.
public struct GuideCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(commandName: "guide", abstract: "Troubleshooting guides: mvm guide list.")
    @OptionGroup public var global: GlobalOptions
    @Argument(help: "Topic: not-producing, registration, peers, memory, keys, setup, list.")
    public var topic: GuideTopic = .list
    public init() {}

    public func run() async throws {
        StandardOutput.write(GuideText.text(for: topic))
    }
}
