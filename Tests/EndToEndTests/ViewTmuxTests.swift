import Foundation
import MidnightDevnode
import MidnightStore
import SpomTesting
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// `mvm-view` and `mvm demo` in a real terminal: a private tmux server runs the built binary
/// against a running `mvm-devnode` (in this process) and a database that `mvm-sync` fills from it.
/// Keys go in with `send-keys`; the screen is read back with `capture-pane`.
@Suite("mvm-view in tmux")
struct ViewTmuxTests {
    @Test func everyViewKeyPopupFilterThemeAndQuitRestoringTheTerminal() async throws {
        let fixture = try await ViewFixture.start(prefix: "view-keys")
        defer { fixture.stop() }
        let tmux = try await fixture.openView(width: 120, height: 40)
        defer { tmux.kill() }

        // 1: the dashboard with every panel, data from the node and the database.
        try await tmux.expect("dashboard panels") { s in
            ["Node", "Sync", "Epoch", "Our Validator", "Recent Blocks", "● healthy", "DB ●"].allSatisfy(s.contains)
        }
        // 2-5 and the three help keys.
        for (key, marker) in [("2", "Blocks ("), ("3", "Validators ("), ("4", "Performance (our validator"), ("5", "Connected peers"),
                              ("1", "Recent Blocks"), ("?", "Expected blocks"), ("Escape", "Recent Blocks"), ("h", "Expected blocks"),
                              ("1", "Our Validator"), ("F1", "Expected blocks")] {
            try await tmux.send(key)
            try await tmux.expect("key \(key) shows \(marker)") { $0.contains(marker) }
        }

        // Blocks: j/k, J/K, PgDn/PgUp move the selection; Enter shows the selected block.
        try await tmux.send("2")
        try await tmux.expect("blocks view") { $0.contains("Blocks (") && $0.contains("Author") }
        try await tmux.send("j", "j")
        let first = try await tmux.openBlockPopup()
        try await tmux.send("k")
        #expect(try await tmux.openBlockPopup() == first + 1, "k moves one block up (newer)")
        try await tmux.send("J")
        #expect(try await tmux.openBlockPopup() == first - 9, "J moves ten rows down (older)")
        try await tmux.send("K")
        #expect(try await tmux.openBlockPopup() == first + 1, "K moves ten rows back up")
        try await tmux.send("NPage")
        let paged = try await tmux.openBlockPopup()
        #expect(paged < first - 5, "PgDn moves a page down: #\(paged) from #\(first + 1)")
        try await tmux.send("PPage")
        #expect(try await tmux.openBlockPopup() == first + 1, "PgUp moves the page back")

        // The selection stays on the same block while new blocks arrive.
        let before = try fixture.storedBlocks()
        let grew = await eventually(timeout: .seconds(5), interval: .milliseconds(100)) { ((try? fixture.storedBlocks()) ?? 0) >= before + 4 }
        #expect(grew, "the sync daemon keeps storing blocks")
        try await tmux.expect("refresh shows the new blocks") { $0.contains("stored, newest") }
        #expect(try await tmux.openBlockPopup() == first + 1, "selection anchored to the block, not the row position")

        // Enter opens the popup, Esc closes it, and the dashboard keeps running.
        try await tmux.send("Enter")
        try await tmux.expect("popup open") { $0.contains("Block #\(first + 1)") && $0.contains("Parent:") }
        try await tmux.send("Escape")
        try await tmux.expect("popup closed by Esc") { !$0.contains("Parent:") && $0.contains("Blocks (") }
        #expect(try await tmux.isRunning(), "Esc never quits")

        // f: ours only in Validators.
        try await tmux.send("3")
        try await tmux.expect("all validators") { $0.contains("Validators (") && !$0.contains("ours only)") }
        try await tmux.send("f")
        try await tmux.expect("ours only") { s in
            s.contains("f: show all") && s.contains("★") && s.contains(fixture.oursKey)
                && s.split(separator: "\n").filter { $0.contains("0x0") && !$0.contains("★") }.isEmpty
        }
        try await tmux.send("f")
        try await tmux.expect("all again") { $0.contains("f: ours only") }

        // t: the theme toggles (status bar names it).
        try await tmux.send("t")
        try await tmux.expect("Midday") { $0.contains("☀ Midday") }
        try await tmux.send("t")
        try await tmux.expect("Midnight") { $0.contains("☽ Midnight") }

        // q quits with status 0 and leaves the terminal as it found it.
        try await tmux.send("q")
        try await tmux.expect("exited") { $0.contains("VIEW-EXIT=0") }
        let screen = try await tmux.capture()
        let tty = try #require(screen.split(separator: "\n").first { $0.hasPrefix("TTY:") }, "\(screen)")
        for flag in ["icanon", "echo", "isig", "opost", "icrnl"] {
            #expect(tty.split(separator: " ").contains(Substring(flag)), "\(flag) restored: \(tty)")
        }
        #expect(try await tmux.format("#{alternate_on}") == "0", "alternate screen left")
        #expect(try await tmux.format("#{cursor_flag}") == "1", "cursor visible again")
        #expect(!screen.contains("Recent Blocks"), "the dashboard is gone from the screen:\n\(screen)")
    }

    @Test func copyPeersNodeFiguresAndEpochHistory() async throws {
        let fixture = try await ViewFixture.start(prefix: "view-copy")
        defer { fixture.stop() }
        let tmux = try await fixture.openView(width: 120, height: 40)
        defer { tmux.kill() }
        // tmux takes OSC 52 from the pane into its paste buffer.
        try await tmux.run(["set-option", "-g", "set-clipboard", "on"])

        // The node's Prometheus figures on the dashboard. A bandwidth rate needs two scrapes at
        // least 5 s apart, so this waits longer than the usual 6 s (CI machines are loaded).
        try await tmux.expect("uptime, bandwidth and tx pool", timeout: .seconds(30)) { s in
            s.contains("● healthy  up ") && s.contains("Bandwidth:  ↓") && s.contains("/s ↑") && s.contains(" ready")
        }

        // y copies the selected block's hash (OSC 52 through tmux into its buffer).
        try await tmux.send("2")
        try await tmux.expect("blocks view") { $0.contains("Blocks (") && $0.contains("Author") }
        try await tmux.send("j", "j", "j")
        try await tmux.send("Enter")
        var hash: String?
        try await tmux.expect("block popup with its hash") { screen in
            hash = Self.field("Hash:", in: screen)
            return hash != nil
        }
        try await tmux.send("Escape")
        try await tmux.expect("popup closed") { !$0.contains("Parent:") }
        try await tmux.send("y")
        try await tmux.expect("copy notice") { $0.contains("copied 0x") }
        let copied = try #require(hash)
        #expect(copied.count == 66)
        let buffer = await eventually(timeout: .seconds(5), interval: .milliseconds(50)) {
            ((try? await tmux.run(["show-buffer"])) ?? "").trimmingCharacters(in: .whitespacesAndNewlines) == copied
        }
        let held = (try? await tmux.run(["show-buffer"])) ?? "no buffer"
        #expect(buffer, "tmux's paste buffer holds the selected block's hash \(copied): \(held)")

        // Peers: the per-peer list from system_peers, a peer popup, y copies the peer id.
        try await tmux.send("5")
        try await tmux.expect("peer list") { s in
            s.contains("Connected peers (8, system_peers)") && s.split(separator: "\n").filter { $0.contains("12D3KooW") }.count == 8
                && s.contains("Inbound:") && s.contains("Outbound:")
        }
        try await tmux.send("j", "Enter")
        var peerID: String?
        try await tmux.expect("peer popup") { screen in
            peerID = Self.field("Peer ID:", in: screen)
            return screen.contains("Best hash:") && peerID?.hasPrefix("12D3KooW") == true
        }
        try await tmux.send("y")
        let copiedPeer = try #require(peerID)
        let peerBuffer = await eventually(timeout: .seconds(5), interval: .milliseconds(50)) {
            ((try? await tmux.run(["show-buffer"])) ?? "").trimmingCharacters(in: .whitespacesAndNewlines) == copiedPeer
        }
        #expect(peerBuffer, "tmux's paste buffer holds the peer id \(copiedPeer)")
        try await tmux.send("Escape")
        try await tmux.expect("peer popup closed") { !$0.contains("Best hash:") && $0.contains("Connected peers") }

        // Performance: Enter opens our validator's epoch history; j/k scroll it; Esc closes it.
        try await tmux.send("4")
        try await tmux.expect("performance rows") { $0.contains("Performance (our validator") && $0.contains("Ratio") }
        try await tmux.send("Enter")
        try await tmux.expect("epoch history popup") { s in
            s.contains("Epoch history") && s.contains("epochs stored") && s.contains("Chain blk") && s.contains("j/k scroll")
        }
        try await tmux.send("j", "k", "Escape")
        try await tmux.expect("epoch history closed") { !$0.contains("Epoch history") && $0.contains("Performance (our validator") }
        #expect(try await tmux.isRunning(), "Esc never quits")
        try await tmux.send("q")
        try await tmux.expect("exited") { $0.contains("VIEW-EXIT=0") }
    }

    /// The first token after `label` on a popup line ("Hash:" -> "0x…").
    static func field(_ label: String, in screen: String) -> String? {
        for line in screen.split(separator: "\n") {
            guard let range = line.range(of: label) else { continue }
            let token = line[range.upperBound...].split(separator: " ").first.map(String.init)
            if let token, token.count > 10 { return token }
        }
        return nil
    }

    @Test func layoutsAt80x24_120_160AndTooSmall() async throws {
        let fixture = try await ViewFixture.start(prefix: "view-sizes")
        defer { fixture.stop() }
        let tmux = try await fixture.openView(width: 80, height: 24)
        defer { tmux.kill() }

        try await tmux.expect("80x24 dashboard") { s in
            ["Node", "Sync", "Epoch", "Our Validator", "Recent Blocks", "q quit"].allSatisfy(s.contains) && s.contains("...")
        }
        var screen = try await tmux.capture()
        #expect(screen.split(separator: "\n", omittingEmptySubsequences: false).allSatisfy { $0.count <= 80 })
        #expect(screen.contains("1 Dashboard"), "the active tab is never cut at 80 columns:\n\(screen)")

        try await tmux.resize(width: 120, height: 40)
        try await tmux.expect("120 columns: full keys") { s in
            s.contains("Recent Blocks") && s.split(separator: "\n").contains { $0.contains("0x0") && $0.count > 100 }
        }
        try await tmux.resize(width: 160, height: 50)
        try await tmux.expect("160 columns: the wide layout") { s in
            ["Node", "Sync", "System", "Epoch", "Our Validator", "Recent Blocks", "Hash"].allSatisfy(s.contains)
        }
        screen = try await tmux.capture()
        #expect(screen.contains("node_exporter not configured"), "system panel says why it is empty:\n\(screen)")

        try await tmux.resize(width: 60, height: 20)
        try await tmux.expect("too small") { $0.contains("Terminal too small") && $0.contains("80x24") }
        try await tmux.send("2")
        try await tmux.resize(width: 100, height: 30)
        try await tmux.expect("back from too small, in the Blocks view") { $0.contains("Blocks (") && !$0.contains("too small") }
        try await tmux.send("q")
        try await tmux.expect("exited") { $0.contains("VIEW-EXIT=0") }
    }

    @Test func nodeDownShowsTheReasonThenRecovers() async throws {
        let fixture = try await ViewFixture.start(prefix: "view-down")
        defer { fixture.stop() }
        let tmux = try await fixture.openView(width: 120, height: 40)
        defer { tmux.kill() }
        try await tmux.expect("healthy") { $0.contains("● healthy") }

        let port = fixture.port  // the devnode reports port 0 while its server is stopped
        await fixture.node.stopServer()
        try await tmux.expect("node down with its reason", timeout: .seconds(15)) { s in
            s.contains("node unreachable at http://127.0.0.1:\(port)") && (s.contains("refused") || s.contains("closed"))
        }
        #expect(try await tmux.isRunning(), "the dashboard stays up while the node is down")
        try await tmux.send("2")
        try await tmux.expect("keys still work while the node is down") { $0.contains("Blocks (") }
        try await tmux.send("1")

        try await fixture.node.startServer()
        try await tmux.expect("recovered", timeout: .seconds(15)) { s in
            s.contains("● healthy") && !s.contains("✗ node unreachable")
        }
        try await tmux.send("q")
        try await tmux.expect("exited") { $0.contains("VIEW-EXIT=0") }
    }

    @Test func demoRunsInATerminalAndCleansUpOnQuit() async throws {
        let directory = try TemporaryDirectory(prefix: "view-demo")
        defer { directory.remove() }
        let mvm = try CLI.path("mvm")
        let tmux = try await Tmux.start(
            in: directory, width: 120, height: 40,
            command: "\(Tmux.quote(mvm)) demo; echo VIEW-EXIT=$?; exec sleep 600",
            environment: ["HOME": directory.path("home"), "XDG_CONFIG_HOME": directory.path("xdg")])
        defer { tmux.kill() }
        try await tmux.expect("the demo's dashboard", timeout: .seconds(30)) { s in
            ["Node", "Our Validator", "Recent Blocks", "Status:", "DB ●"].allSatisfy(s.contains)
        }
        try await tmux.send("2")
        try await tmux.expect("demo blocks") { $0.contains("Blocks (") }
        try await tmux.send("q")
        try await tmux.expect("demo exited", timeout: .seconds(20)) { $0.contains("VIEW-EXIT=0") }
        let screen = try await tmux.capture()
        #expect(try await tmux.format("#{alternate_on}") == "0", "alternate screen left")
        let line = screen.split(separator: "\n").first { $0.contains("database:") }
        let database = try #require(line.map { $0.replacingOccurrences(of: "database:", with: "").trimmingCharacters(in: .whitespaces) },
                                    "the demo's banner names its database:\n\(screen)")
        #expect(!FileManager.default.fileExists(atPath: database), "the demo removed \(database)")
    }
}

/// A running devnode, the sync daemon filling a database from it, and the environment for
/// `mvm-view` pointing at both.
struct ViewFixture {
    let directory: TemporaryDirectory
    let logs: TemporaryDirectory
    let node: Devnode
    let sync: ChildProcess
    let database: String
    let oursKey: String

    var port: Int { node.port }

    static func start(prefix: String) async throws -> ViewFixture {
        let directory = try TemporaryDirectory(prefix: prefix)
        let logs = try TemporaryDirectory(prefix: prefix + "-logs")
        var configuration = DevnodeConfiguration.fastTest(seed: 11, flavour: .v1_0)
        configuration.slotDurationMs = 250
        configuration.slotsPerEpoch = 20
        configuration.keystoreDirectory = directory.path("keystore")
        configuration.prometheusPort = 0
        let node = try Devnode(configuration: configuration)
        try await node.start()
        let database = directory.path("mvm.db")
        // Our validator, as `mvm keys verify` marks it.
        let ours = node.operatorKeys
        do {
            let writer = try MidnightDatabase.openWriter(path: database)
            try writer.markOurs(sidechainKey: ours.sidechainKey, auraKey: ours.auraKey, grandpaKey: ours.grandpaKey, label: "TMUX")
        }
        let sync = try ChildProcess(
            try CLI.path("mvm-sync"), ["--daemon", "--finalized-only", "false"],
            environment: ["MVM_RPC_URL": node.httpURL, "MVM_DB_PATH": database, "HOME": directory.path("home"),
                          "XDG_CONFIG_HOME": directory.path("xdg")],
            currentDirectory: directory.url.path, logDirectory: logs)
        let fixture = ViewFixture(directory: directory, logs: logs, node: node, sync: sync, database: database, oursKey: ours.sidechainKey)
        let synced = await eventually(timeout: .seconds(20), interval: .milliseconds(100)) { ((try? fixture.storedBlocks()) ?? 0) >= 40 }
        try #require(synced, "mvm-sync filled the database: \(sync.stderr)")
        return fixture
    }

    func storedBlocks() throws -> Int {
        try MidnightDatabase.openReader(path: database).stats().totalBlocks
    }

    /// Starts `mvm-view` in a fresh tmux server; the pane's shell prints `VIEW-EXIT=<status>`
    /// and the terminal's flags (`TTY: …`) once it quits.
    func openView(width: Int, height: Int) async throws -> Tmux {
        let view = try CLI.path("mvm-view")
        var env = [
            "MVM_RPC_URL": node.httpURL, "MVM_DB_PATH": database, "MVM_KEYSTORE_PATH": directory.path("keystore"),
            "HOME": directory.path("home"), "XDG_CONFIG_HOME": directory.path("xdg"),
        ]
        if let metrics = node.prometheusPort { env["MVM_METRICS_URL"] = "http://127.0.0.1:\(metrics)/metrics" }
        let flags = "stty -a | tr ' ;' '\\n\\n' | grep -E '^-?(icanon|echo|isig|opost|icrnl)$' | paste -sd' '"
        return try await Tmux.start(
            in: directory, width: width, height: height,
            command: "\(Tmux.quote(view)) --refresh-interval 300; echo VIEW-EXIT=$?; echo \"TTY: $(\(flags))\"; exec sleep 600",
            environment: env)
    }

    func stop() {
        sync.send(SIGTERM)
        let node = node, sync = sync, directory = directory, logs = logs
        Task {
            if await sync.wait(timeout: .seconds(10)) == nil { await sync.kill9() }
            await node.stop()
            directory.remove()
            logs.remove()
        }
    }
}

/// A private tmux server (its own socket) with one session running one command.
///
/// The server runs in the foreground (`tmux -D`) as a child of the test: a daemonised server would
/// keep the descriptor Foundation watches, so the client that started it would never seem to exit.
/// For the same reason every client runs with `-N` (never start a server): a `new-session` that
/// reached the socket between the server's bind and listen would otherwise start a daemon of its
/// own and hang the test (seen once in CI); with `-N` it fails at once and is retried.
struct Tmux: Sendable {
    let executable: String
    let socket: String
    let server: ChildProcess
    let session = "view"

    /// Starts the server and the session at `width`x`height`, running `command` under `sh -c`
    /// with `environment` added.
    static func start(in directory: TemporaryDirectory, width: Int, height: Int, command: String,
                      environment: [String: String]) async throws -> Tmux {
        let executable = try #require(
            ["/usr/bin/tmux", "/usr/local/bin/tmux", "/bin/tmux"].first { FileManager.default.isExecutableFile(atPath: $0) },
            "tmux is not installed (Scripts/test installs Debian's tmux package)")
        let socket = directory.path("tmux.sock")
        let server = try ChildProcess(executable, ["-S", socket, "-f", "/dev/null", "-D"], environment: Self.environment,
                                      logDirectory: directory)
        let listening = await eventually(timeout: .seconds(5), interval: .milliseconds(20)) { FileManager.default.fileExists(atPath: socket) }
        try #require(listening, "tmux server started: \(server.stderr)")
        let tmux = Tmux(executable: executable, socket: socket, server: server)
        let assignments = environment.sorted { $0.key < $1.key }.map { "\($0.key)=\(quote($0.value))" }.joined(separator: " ")
        let newSession = ["new-session", "-d", "-s", tmux.session, "-x", "\(width)", "-y", "\(height)",
                          "env \(assignments) sh -c \(quote(command))"]
        var lastError: (any Error)?
        let created = await eventually(timeout: .seconds(10), interval: .milliseconds(100)) {
            do {
                _ = try await tmux.run(newSession)
                return true
            } catch {
                lastError = error
                return false
            }
        }
        try #require(created, "tmux new-session: \(lastError.map { "\($0)" } ?? "no attempt"); server: \(server.stderr)")
        _ = try await tmux.run(["set-option", "-g", "status", "off"])
        return tmux
    }

    static let environment = ["TERM": "xterm-256color", "LC_ALL": "C.UTF-8"]

    /// Single-quotes `text` for `sh`.
    static func quote(_ text: String) -> String {
        "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }

    @discardableResult
    func run(_ arguments: [String]) async throws -> String {
        let result = try await ChildProcess.run(executable, ["-S", socket, "-N"] + arguments, environment: Self.environment,
                                                timeout: .seconds(10))
        guard result.status == 0 else {
            throw ChildProcessError("tmux \(arguments.joined(separator: " ")) failed (\(result.status)): \(result.stderr)")
        }
        return result.stdout
    }

    /// Sends tmux key names (`j`, `Enter`, `Escape`, `NPage`, `F1`), one after the other.
    func send(_ keys: String...) async throws {
        for key in keys {
            try await run(["send-keys", "-t", session, key])
            // Let a lone Esc stand alone (ncurses waits 25 ms for an escape sequence).
            try await Task.sleep(for: .milliseconds(60))
        }
    }

    /// The visible screen as text.
    func capture() async throws -> String {
        try await run(["capture-pane", "-p", "-t", session])
    }

    /// A tmux format (`#{alternate_on}`, `#{cursor_flag}`) for the pane.
    func format(_ format: String) async throws -> String {
        try await run(["display-message", "-p", "-t", session, format]).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    func resize(width: Int, height: Int) async throws {
        try await run(["resize-window", "-t", session, "-x", "\(width)", "-y", "\(height)"])
    }

    /// Whether the pane still runs the dashboard (the shell has not printed its exit line).
    func isRunning() async throws -> Bool {
        try await !capture().contains("VIEW-EXIT=")
    }

    /// Waits (bounded) until the screen satisfies `condition`; records the last screen otherwise.
    func expect(_ what: String, timeout: Duration = .seconds(6), _ condition: (String) -> Bool,
                sourceLocation: SourceLocation = #_sourceLocation) async throws {
        var last = ""
        let ok = await eventually(timeout: timeout, interval: .milliseconds(50)) {
            last = (try? await capture()) ?? ""
            return condition(last)
        }
        try #require(ok, "\(what); screen:\n\(last)", sourceLocation: sourceLocation)
    }

    /// Opens the block popup for the selection (Enter), reads its number, and closes it (Esc).
    func openBlockPopup(sourceLocation: SourceLocation = #_sourceLocation) async throws -> UInt64 {
        try await send("Enter")
        var number: UInt64?
        try await expect("block popup", { screen in
            number = Self.popupBlockNumber(screen)
            return number != nil
        }, sourceLocation: sourceLocation)
        try await send("Escape")
        try await expect("popup closed", { !$0.contains("Parent:") }, sourceLocation: sourceLocation)
        return try #require(number, sourceLocation: sourceLocation)
    }

    static func popupBlockNumber(_ screen: String) -> UInt64? {
        guard screen.contains("Parent:"), let range = screen.range(of: "Block #") else { return nil }
        return UInt64(screen[range.upperBound...].prefix { $0.isNumber })
    }

    /// Stops the tmux server (and with it the pane's processes).
    func kill() {
        let process = try? Process.run(URL(fileURLWithPath: executable), arguments: ["-S", socket, "kill-server"])
        process?.waitUntilExit()
        let server = server
        Task { if await server.wait(timeout: .seconds(5)) == nil { await server.kill9() } }
    }
}
