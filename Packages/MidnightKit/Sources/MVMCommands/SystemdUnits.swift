import MVMCommandSupport
/// The systemd units `mvm install` writes. Every service runs as the install user with the same
/// hardening: no new privileges, a read-only system, no access to /home, a private /tmp, and
/// write access to the data directory only.
public struct SystemdUnits: Sendable, Equatable {
    /// Install prefix (`/opt/midnight/mvm`).
    public var prefix: String
    /// User (and group) the services run as.
    public var user: String
    public var group: String

    /// Creates the unit set for an install.
    public init(prefix: String, user: String, group: String) {
        self.prefix = prefix
        self.user = user
        self.group = group
    }

    var bin: String { "\(prefix)/bin" }
    var data: String { "\(prefix)/data" }
    var configFile: String { "\(prefix)/config/config.toml" }

    /// Unit file names, in the order they are written.
    public static let names = ["mvm-sync.service", "mvm-api.service", "mvm-status.service", "mvm-status.timer"]

    /// File name -> contents.
    public var files: [(name: String, contents: String)] {
        [
            ("mvm-sync.service", syncService),
            ("mvm-api.service", apiService),
            ("mvm-status.service", statusService),
            ("mvm-status.timer", statusTimer),
        ]
    }

    /// `[Service]` lines shared by every service: identity, environment and hardening.
    var common: String {
        """
        User=\(user)
        Group=\(group)
        WorkingDirectory=\(prefix)
        Environment=MVM_DB_PATH=\(data)/mvm.db
        NoNewPrivileges=yes
        ProtectSystem=strict
        ProtectHome=yes
        PrivateTmp=yes
        ProtectKernelTunables=yes
        ProtectControlGroups=yes
        RestrictSUIDSGID=yes
        ReadWritePaths=\(data)
        """
    }

    /// The block-sync daemon.
    public var syncService: String {
        """
        [Unit]
        Description=Midnight Validator Monitor \(MVMVersion.number) - block sync
        Documentation=man:mvm(1)
        After=network-online.target
        Wants=network-online.target

        [Service]
        Type=simple
        ExecStart=\(bin)/mvm-sync --config \(configFile) --daemon --pid-file \(data)/mvm-sync.pid
        Restart=on-failure
        RestartSec=10s
        \(common)

        [Install]
        WantedBy=multi-user.target

        """
    }

    /// The REST API and Prometheus endpoint (enabled only when `[api] enabled = true`).
    public var apiService: String {
        """
        [Unit]
        Description=Midnight Validator Monitor \(MVMVersion.number) - REST API and metrics
        After=network-online.target mvm-sync.service
        Wants=network-online.target

        [Service]
        Type=simple
        ExecStart=\(bin)/mvm-api --config \(configFile)
        Restart=on-failure
        RestartSec=10s
        \(common)

        [Install]
        WantedBy=multi-user.target

        """
    }

    /// One status check; fails (exit 3) when the node or validator is unhealthy, so it shows in
    /// `systemctl --failed` and the journal.
    public var statusService: String {
        """
        [Unit]
        Description=Midnight Validator Monitor \(MVMVersion.number) - status check
        After=network-online.target

        [Service]
        Type=oneshot
        ExecStart=\(bin)/mvm --config \(configFile) status --once
        \(common)

        """
    }

    /// Runs the status check 1 minute after boot and every 5 minutes.
    public var statusTimer: String {
        """
        [Unit]
        Description=Midnight Validator Monitor - periodic status check

        [Timer]
        OnBootSec=1min
        OnUnitActiveSec=5min
        Persistent=true
        Unit=mvm-status.service

        [Install]
        WantedBy=timers.target

        """
    }
}
