import ArgumentParser
import Foundation
import MVMCommandSupport

/// `--prefix`, `--user`, `--root` of `mvm install` (also accepted by `install uninstall`).
public struct InstallLocation: ParsableArguments, Sendable {
    /// `--prefix DIR`: install tree (default `/opt/midnight/mvm`).
    @Option(name: .long, help: ArgumentHelp("Install tree (bin, data, config).", valueName: "dir"))
    public var prefix: String = "/opt/midnight/mvm"
    /// `--user USER`: the account the services run as (default `$SUDO_USER`, else `$USER`).
    @Option(name: .long, help: ArgumentHelp("Account the services run as (default: the sudo user).", valueName: "user"))
    public var user: String?
    /// `--root DIR`: write everything under DIR and skip systemctl and chown (for packaging and tests).
    @Option(name: .long, help: ArgumentHelp("Write everything under DIR; do not call systemctl (packaging, tests).", valueName: "dir"))
    public var root: String?
    /// Hidden: the systemctl to run (tests use a fake one together with --root).
    @Option(name: .long, help: .hidden)
    public var systemctl: String?
    /// Hidden: how long to wait for a restarted unit to report active (tests shorten it).
    @Option(name: .customLong("verify-seconds"), help: .hidden)
    public var verifySeconds: Int = 10

    /// Creates the defaults.
    public init() {}

    /// Requires absolute paths.
    public func validate() throws {
        guard prefix.hasPrefix("/") else { throw ValidationError("--prefix must be an absolute path (got \(prefix))") }
        if let root, root.isEmpty { throw ValidationError("--root must not be empty") }
    }
}

/// `mvm install [--prefix DIR] [--user USER] [--root DIR]` and `mvm install uninstall [--remove-data]`.
public struct InstallCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "install",
        abstract: "Install mvm as systemd services (needs root unless --root), or `install uninstall`.",
        subcommands: [UninstallCommand.self])
    @OptionGroup public var global: GlobalOptions
    @OptionGroup public var location: InstallLocation
    public init() {}

    public func run() async throws {
        _ = global.logger("mvm.install")
        let installer = try Installer(location: location)
        try await installer.install()
    }
}

/// `mvm install uninstall [--remove-data]`.
public struct UninstallCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "uninstall", abstract: "Stop and remove the services; keep the data unless --remove-data.")
    @OptionGroup public var global: GlobalOptions
    @OptionGroup public var location: InstallLocation
    @Flag(name: .customLong("remove-data"), help: "Also delete the install tree: binaries, config and database.")
    public var removeData = false
    public init() {}

    public func run() async throws {
        _ = global.logger("mvm.install")
        let installer = try Installer(location: location)
        try await installer.uninstall(removeData: removeData)
    }
}
