import ArgumentParser

/// `mvm demo [--no-view]`: a simulated node, a sync into a temporary database, and the dashboard.
public struct DemoCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "demo", abstract: "Run a simulated node and sync it into a temporary database, then open the dashboard.")
    @OptionGroup public var global: GlobalOptions
    @Flag(name: .customLong("no-view"), help: "Do not open the dashboard; print the URLs and keep running.")
    public var noView = false
    public init() {}
    public func run() async throws {
        throw CommandFailure.notAvailable("mvm demo", library: "MidnightSync")
    }
}

/// `mvm webhooks test|status`.
public struct WebhooksCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "webhooks", abstract: "Test webhook delivery and show the outbox.", subcommands: [WebhooksTest.self, WebhooksStatus.self])
    @OptionGroup public var global: GlobalOptions
    public init() {}
}

/// `mvm webhooks test`: sends a test event to every configured webhook.
public struct WebhooksTest: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(commandName: "test", abstract: "Send a test event to the configured webhooks.")
    @OptionGroup public var global: GlobalOptions
    public init() {}
    public func run() async throws { throw CommandFailure.notAvailable("mvm webhooks test", library: "MidnightEvents") }
}

/// `mvm webhooks status`: the outbox (pending, failed, delivered).
public struct WebhooksStatus: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(commandName: "status", abstract: "Show the webhook outbox.")
    @OptionGroup public var global: GlobalOptions
    @OptionGroup public var output: OutputOptions
    public init() {}
    public func run() async throws { throw CommandFailure.notAvailable("mvm webhooks status", library: "MidnightEvents") }
}

/// `mvm remote status|push [--full]`.
public struct RemoteCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "remote", abstract: "Push the database to the configured remote (PostgreSQL).", subcommands: [RemoteStatus.self, RemotePush.self])
    @OptionGroup public var global: GlobalOptions
    public init() {}
}

/// `mvm remote status`.
public struct RemoteStatus: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(commandName: "status", abstract: "Show what has been pushed to the remote.")
    @OptionGroup public var global: GlobalOptions
    @OptionGroup public var output: OutputOptions
    public init() {}
    public func run() async throws { throw CommandFailure.notAvailable("mvm remote status", library: "MidnightRemote") }
}

/// `mvm remote push [--full]`.
public struct RemotePush: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(commandName: "push", abstract: "Push new rows (or everything with --full) to the remote.")
    @OptionGroup public var global: GlobalOptions
    @Flag(name: .long, help: "Push every row, not only rows changed since the last push.") public var full = false
    public init() {}
    public func run() async throws { throw CommandFailure.notAvailable("mvm remote push", library: "MidnightRemote") }
}
