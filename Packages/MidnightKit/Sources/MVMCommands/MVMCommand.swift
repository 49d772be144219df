import ArgumentParser
import MVMAPICommand
import MVMSyncCommand
import MVMViewCommand
import MVMCommandSupport

/// `mvm`: the root command. Without a subcommand it runs `status` (v1 behaviour).
public struct MVMCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "mvm",
        abstract: "Midnight Validator Monitor: follow a Midnight node, record every block and its author, and report on your validator.",
        discussion: "Exit codes: 0 ok, 1 failure, 2 usage error, 3 status/keys verify found a problem. Logs go to standard error.",
        version: MVMVersion.text,
        subcommands: [
            StatusCommand.self, SyncCommand.self, QueryCommand.self, KeysCommand.self, ViewCommand.self, APICommand.self,
            ConfigCommand.self, InstallCommand.self, GuideCommand.self, CompletionsCommand.self, DemoCommand.self,
            WebhooksCommand.self, RemoteCommand.self,
        ],
        defaultSubcommand: StatusCommand.self
    )
    @OptionGroup public var global: GlobalOptions
    public init() {}
}
