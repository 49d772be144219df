/// The MVM version shown by `--version` and written into systemd unit descriptions.
public enum MVMVersion {
    /// Semantic version of this build.
    public static let number = "2.0.0-dev"
    /// `--version` text.
    public static let text = "mvm \(number)"
}
