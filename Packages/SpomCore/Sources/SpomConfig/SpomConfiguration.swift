/// An application's typed configuration.
///
/// Conform a `Codable` struct (one nested struct per TOML section) and declare its defaults and
/// schema; ``ConfigLoader`` then layers defaults < TOML file < environment < overrides into it.
///
/// ```swift
/// struct AppConfig: SpomConfiguration {
///     struct Watch: Codable, Sendable { var path = "/"; var intervalMs = 1000 }
///     var watch = Watch()
///     static var defaults: AppConfig { AppConfig() }
///     static var schema: ConfigSchema {
///         ConfigSchema(environmentPrefix: "APP", sections: [.init("watch", help: "What to watch")],
///                      keys: [.init("watch.path", .string, help: "Directory to measure")])
///     }
/// }
/// ```
public protocol SpomConfiguration: Codable, Sendable {
    /// The configuration used when nothing else is given. Keys missing from the file take their
    /// value from here, so section structs may use non-optional stored properties.
    static var defaults: Self { get }
    /// The documented keys, environment names and secrets.
    static var schema: ConfigSchema { get }
    /// The application's own rules (URLs well formed, numbers positive, ...). Each issue should
    /// name its key path; the loader adds file and line.
    func validationIssues() -> [ConfigIssue]
}

extension SpomConfiguration {
    /// No rules by default.
    public func validationIssues() -> [ConfigIssue] { [] }
}
