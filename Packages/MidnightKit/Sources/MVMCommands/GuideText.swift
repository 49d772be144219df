/// The texts of `mvm guide` (one source; docs/cli.md points here rather than copying them).
public enum GuideText {
    /// The text of `topic`.
    public static func text(for topic: GuideTopic) -> String {
        switch topic {
        case .list: list
        case .notProducing: notProducing
        case .registration: registration
        case .peers: peers
        case .memory: memory
        case .keys: keys
        case .setup: setup
        }
    }

    static var list: String {
        var lines = ["Midnight Validator Monitor - troubleshooting guides", String(repeating: "─", count: 52), "", "Topics:"]
        for topic in GuideTopic.allCases where topic != .list {
            lines.append("  mvm guide \(topic.rawValue.padding(toLength: 14, withPad: " ", startingAt: 0)) \(topic.summary)")
        }
        lines.append("")
        lines.append("Status symbols: ✓ ok   ✗ problem   ? cannot tell (see the reason)   ⟳ syncing")
        return lines.joined(separator: "\n")
    }

    static let notProducing = """
        Registered but not producing blocks
        ───────────────────────────────────
        Work through these in order; `mvm status --once --explain` checks most of them.

        1. Committee selection (the most common cause)
           Registration makes a validator eligible; the committee for each sidechain epoch is a
           stake-weighted random draw. `mvm status -K <keystore>` shows
             Committee: ✓ Elected (N seats / M total)   or   Committee: ✗ NOT elected
           Not elected: wait for the next sidechain epoch (`mvm status` shows when it starts) or add
           stake. `mvm query epochs` shows your seats and blocks per epoch.

        2. Keys loaded in the node
           `mvm keys -K <keystore> verify` (flags may also follow `verify`). Every key must show ✓.
           ✗ means the node's keystore lacks that key: insert it (author_insertKey) and restart.
           ? means the node refused author_hasKey: unsafe RPC methods are off (see `mvm guide keys`).
           Node 1.x authors blocks with BABE: the babe key must be present as well as aura/gran.

        3. Node in sync
           `mvm status` must show Syncing ✓ and a best block close to the network's. A node that is
           still syncing cannot author.

        4. Peers
           Aim for 10 or more peers, inbound and outbound (`mvm guide peers`).

        5. Registration still valid
           `mvm status` shows the registration for the current mainchain epoch. "Registered but
           INVALID" lists the reasons (stake too low, signature, pending): re-register if needed.
           Registrations take effect from a later mainchain epoch, not immediately.
        """

    static let registration = """
        Registration
        ────────────
        mvm reads the registration from the node (sidechain_getAriadneParameters for the current
        mainchain epoch) and matches your sidechain (crch) key:

          ✓ Permissioned candidate   your key is in the permissioned list (and marked valid)
          ✓ Registered (valid)       a valid registration exists: eligible for selection
          ⚠ Registered but INVALID   registered, but the chain rejects it; the reasons are shown
          ✗ Not registered           no permissioned entry and no registration for your key
          ? Unknown                  the node could not answer (see the reason shown)

        Node 0.18 / 1.x: registrations carry a `keys` map (aura, gran, babe ...) instead of the
        older auraPubKey/grandpaPubKey fields, permissionedCandidates may be null, and the stake
        may be named stakeDelegation or stake; mvm reads every form.

        Epochs: registration is decided per MAINCHAIN epoch (preview 1 day, mainnet 5 days);
        committee selection happens per SIDECHAIN epoch (preview 2 h, mainnet 10 h). A new
        registration becomes visible only from a later mainchain epoch.

        Check: mvm status --once -K <keystore>    or    mvm keys -K <keystore> verify
        """

    static let peers = """
        Peers and connectivity
        ──────────────────────
        Healthy: 10+ peers (3-5 is the bare minimum), with both inbound and outbound connections.

        No inbound peers: the P2P port (default 30333/tcp) is not reachable from outside.
          - host firewall:     sudo ufw status    /    sudo iptables -L -n | grep 30333
          - cloud firewall / security group, router port forwarding
          - the node's --listen-addr and --public-addr
        No outbound peers: check DNS and outbound connectivity, and the bootnodes in the chain spec.
        Isolated (0 peers): restart the node; add --bootnodes; check the clock (NTP).

        The per-peer list needs unsafe RPC (system_peers); without it mvm still shows the peer
        count from system_health and says that detail is unavailable.
        """

    static let memory = """
        Node memory
        ───────────
        Substrate nodes grow their caches over time; the Midnight node has had leaks in some
        releases. Watch the node's resident memory (node_exporter, `systemctl status midnight-node`).

          - Plan for 16 GB RAM or more, with swap as a safety net.
          - If memory keeps climbing, restart the node at a quiet moment (between your slots):
              sudo systemctl restart midnight-node
          - Upgrading the node is the real fix when a release notes a leak.
          - mvm's own webhooks can alert on node restarts and missed blocks ([webhooks] in the
            config); mvm itself stays small (its database grows about 1 KB per block).
        """

    static let keys = """
        Session keys
        ────────────
        Key types (keystore file name = hex of the type + the public key):
          crch  63726368  sidechain / cross-chain identity (ECDSA, 33 bytes)
          aura  61757261  block authoring before the BABE migration (sr25519)
          babe  62616265  block authoring on node 1.x after the BABE migration (sr25519)
          gran  6772616e  GRANDPA finality (ed25519)

        The keystore is the node's chains/<chain>/keystore directory; mvm only reads the file
        NAMES (the public keys), never the secret contents. Pass it with -K/--keystore or set
        validator.keystore_path. A keys JSON file (-k/--keys-file) works too.

        Symbols: ✓ loaded in the node   ✗ NOT loaded   ? cannot verify

        "?" means the node refused author_hasKey because unsafe RPC methods are off. Enable them
        only on an RPC port that is not reachable from outside (--rpc-methods=unsafe together with
        a local --rpc-external setting / firewall); never expose unsafe methods publicly.
        Several files of one type (after a key rotation): mvm uses the newest file and says so.

        Mismatch: if the node's keys differ from the registered ones, either insert the
        registered keys (author_insertKey) or re-register with the node's keys.
        """

    static let setup = """
        Setting up mvm
        ──────────────
        1. Prerequisites: a synced Midnight node (0.12, 0.18 or 1.x) with RPC on localhost:9944 and
           Prometheus on localhost:9615; Linux with systemd.
        2. Install:   sudo ./mvm install        (binaries in /opt/midnight/mvm/bin, symlink /usr/local/bin/mvm)
        3. Configure: edit /opt/midnight/mvm/config/config.toml
              [rpc] url, [validator] keystore_path, [chain] network (preview, preprod, mainnet)
           Check it: mvm config validate --config /opt/midnight/mvm/config/config.toml
        4. Start:     sudo systemctl enable --now mvm-sync mvm-status.timer
           Optional REST API: [api] enabled = true, then sudo systemctl enable --now mvm-api
        5. Verify:    mvm status --once -K <keystore>      mvm keys -K <keystore> verify
        6. Watch:     mvm view       journalctl -u mvm-sync -f
        7. Upgrade:   run `sudo ./mvm install` from the new binary: running services are stopped,
           replaced, restarted and checked to be active again.
        """
}
