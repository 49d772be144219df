import ArgumentParser
import MidnightChain
import MidnightStore
import MVMCommandSupport

/// `mvm query`: reads the synced database. `-d/--db-path` may come before or after the subcommand.
public struct QueryCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "query",
        abstract: "Query the synced database: stats, blocks, gaps, validators, performance, epochs.",
        subcommands: [
            QueryStats.self, QueryBlocks.self, QueryGaps.self, QueryValidators.self, QueryValidator.self,
            QueryPerformance.self, QueryEpochs.self,
        ]
    )

    @OptionGroup public var global: GlobalOptions
    @OptionGroup public var database: DatabaseOptions
    @OptionGroup public var output: OutputOptions

    public init() {}
}

/// Shared plumbing of the query subcommands.
struct QueryContext {
    let reader: StoreReader
    let format: OutputFormat

    init(global: GlobalOptions, database: DatabaseOptions, output: OutputOptions) throws {
        format = try output.resolved()
        _ = global.logger("mvm.query")
        var overrides = Overrides()
        overrides.add("database.path", database.dbPath, flag: "--db-path")
        let settings = try Settings.load(global: global, overrides: overrides.list)
        reader = try DatabaseAccess.reader(settings.databasePath)
    }

    /// Prints one query result in the chosen format: `value` as the entity JSON, or `rendering`'s
    /// rows as CSV or as an aligned table between its heading and footer lines.
    func emit<Value: Encodable, Row>(_ value: Value, _ rendering: QueryRendering<Row>) throws {
        switch format {
        case .json:
            try EntityJSON.print(value)
        case .csv:
            StandardOutput.write(rendering.table(csv: true).renderCSV())
        case .table:
            if rendering.rows.isEmpty, let message = rendering.whenEmpty {
                StandardOutput.write(message)
                return
            }
            for line in rendering.heading { StandardOutput.write(line) }
            StandardOutput.write(rendering.table(csv: false).renderText())
            for line in rendering.footer { StandardOutput.write(line) }
        }
    }
}

/// One column of a query's rows: its title and alignment, the cell text for the table, and the
/// CSV cell when it differs (full keys and `true`/`false` instead of shortened keys and `yes`/`no`).
struct QueryColumn<Row> {
    let title: String
    let alignment: TextTable.Alignment
    let text: (Row) -> String
    let csv: (Row) -> String

    init(_ title: String, _ alignment: TextTable.Alignment = .left, csv: ((Row) -> String)? = nil, _ text: @escaping (Row) -> String) {
        self.title = title
        self.alignment = alignment
        self.text = text
        self.csv = csv ?? text
    }
}

/// The table/CSV side of a query result: one row model, its columns, and the lines around the
/// table. JSON output uses the entity value instead (``QueryContext/emit(_:_:)``).
struct QueryRendering<Row> {
    var columns: [QueryColumn<Row>]
    var rows: [Row]
    /// Lines above the table (table format only).
    var heading: [String] = []
    /// Lines below the table (table format only).
    var footer: [String] = []
    /// Printed instead of an empty table (table format only; CSV still prints its header row).
    var whenEmpty: String? = nil

    /// The rows as a ``TextTable`` with the table or the CSV cells.
    func table(csv: Bool) -> TextTable {
        TextTable(
            columns: columns.map { TextTable.Column($0.title, $0.alignment) },
            rows: rows.map { row in columns.map { csv ? $0.csv(row) : $0.text(row) } })
    }
}

/// `mvm query stats`.
public struct QueryStats: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(commandName: "stats", abstract: "Database totals, range, gaps and attribution.")
    @OptionGroup public var global: GlobalOptions
    @OptionGroup public var database: DatabaseOptions
    @OptionGroup public var output: OutputOptions
    public init() {}

    public func run() async throws {
        let context = try QueryContext(global: global, database: database, output: output)
        let stats = try DatabaseAccess.query("reading database statistics") { try context.reader.stats() }
        let attributedShare = stats.totalBlocks > 0 ? Double(stats.attributedBlocks) / Double(stats.totalBlocks) * 100 : 0
        let fields: [(String, String)] = [
            ("total_blocks", "\(stats.totalBlocks)"),
            ("finalized_blocks", "\(stats.finalizedBlocks)"),
            ("unfinalized_blocks", "\(stats.unfinalizedBlocks)"),
            ("first_block", Formatting.optional(stats.firstBlock)),
            ("last_block", Formatting.optional(stats.lastBlock)),
            ("last_finalized_block", Formatting.optional(stats.lastFinalizedBlock)),
            ("latest_sidechain_epoch", Formatting.optional(stats.latestSidechainEpoch)),
            ("gaps", "\(stats.gaps)"),
            ("missing_blocks", "\(stats.missingBlocks)"),
            ("attributed_blocks", "\(stats.attributedBlocks) (\(Formatting.fixed(attributedShare, 1))%)"),
            ("unattributed_blocks", "\(stats.unattributedBlocks)"),
            ("validators", "\(stats.validators)"),
            ("our_validators", "\(stats.ourValidators)"),
            ("committees", "\(stats.committees)"),
        ]
        var footer: [String] = []
        if stats.gaps > 0 { footer.append("Run `mvm query gaps` to list the missing ranges.") }
        try context.emit(
            stats,
            QueryRendering(
                columns: [QueryColumn("field") { $0.0 }, QueryColumn("value") { $0.1 }], rows: fields,
                heading: ["Database statistics (\(stats.chain))"], footer: footer))
    }
}

/// `mvm query blocks [-f N] [-t N] [-l N]`.
public struct QueryBlocks: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(commandName: "blocks", abstract: "List blocks (the newest by default).")
    @OptionGroup public var global: GlobalOptions
    @OptionGroup public var database: DatabaseOptions
    @OptionGroup public var output: OutputOptions
    @Option(name: [.customShort("f"), .long], help: "First block number.") public var from: UInt64?
    @Option(name: [.customShort("t"), .long], help: "Last block number.") public var to: UInt64?
    @Option(name: [.customShort("l"), .long], help: "Number of blocks to show (1-1000).") public var limit: Int = 10
    public init() {}

    public func validate() throws {
        guard (1...1000).contains(limit) else { throw ValidationError("--limit must be between 1 and 1000 (got \(limit))") }
        if let from, let to, from > to { throw ValidationError("--from \(from) is above --to \(to)") }
    }

    public func run() async throws {
        let context = try QueryContext(global: global, database: database, output: output)
        var query = BlockQuery(limit: limit)
        switch (from, to) {
        case let (from?, to?):
            query.after = from > 0 ? from - 1 : nil
            query.before = to == .max ? nil : to + 1
        case let (from?, nil):
            query.after = from > 0 ? from - 1 : nil
            if query.after == nil { query.before = UInt64(limit) }
        case let (nil, to?):
            query.before = to == .max ? nil : to + 1
        case (nil, nil):
            break
        }
        let page = try DatabaseAccess.query("listing blocks") { try context.reader.blocks(query) }
        let blocks = page.blocks.sorted { $0.number < $1.number }
        let heading = blocks.isEmpty ? "No blocks found" : "Blocks \(blocks.first!.number) - \(blocks.last!.number) (\(blocks.count) shown)"
        let more = page.nextBefore != nil && from != nil && to != nil
            ? ["More blocks in this range: raise --limit."] : []
        let columns: [QueryColumn<StoredBlock>] = [
            QueryColumn("block", .right) { "\($0.number)" },
            QueryColumn("slot", .right) { "\($0.slot)" },
            QueryColumn("sc_epoch", .right) { "\($0.sidechainEpoch)" },
            QueryColumn("mc_epoch", .right) { "\($0.mainchainEpoch)" },
            QueryColumn("extrinsics", .right) { "\($0.extrinsicsCount)" },
            QueryColumn("final", csv: { $0.finalized ? "true" : "false" }) { $0.finalized ? "yes" : "no" },
            QueryColumn("author", csv: { $0.author ?? "" }) { $0.author.map(Formatting.shortKey) ?? "-" },
            QueryColumn("hash", csv: { $0.hash }) { Formatting.shortKey($0.hash) },
        ]
        try context.emit(blocks, QueryRendering(columns: columns, rows: blocks, heading: [heading], footer: more))
    }
}

/// `mvm query gaps`.
public struct QueryGaps: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(commandName: "gaps", abstract: "Ranges of block numbers missing from the database.")
    @OptionGroup public var global: GlobalOptions
    @OptionGroup public var database: DatabaseOptions
    @OptionGroup public var output: OutputOptions
    public init() {}

    public func run() async throws {
        let context = try QueryContext(global: global, database: database, output: output)
        let gaps = try DatabaseAccess.query("finding gaps") { try context.reader.gaps() }
        let total = gaps.reduce(UInt64(0)) { $0 + $1.missing }
        let columns: [QueryColumn<BlockGap>] = [
            QueryColumn("from", .right) { "\($0.start)" },
            QueryColumn("to", .right) { "\($0.end)" },
            QueryColumn("missing", .right) { "\($0.missing)" },
            QueryColumn("leading") { $0.leading ? "yes" : "no" },
        ]
        try context.emit(
            gaps,
            QueryRendering(
                columns: columns, rows: gaps, heading: ["Found \(gaps.count) gap(s):"],
                footer: ["Total missing blocks: \(total)", "The sync daemon refills gaps; to force it: mvm sync --start-block <from>"],
                whenEmpty: "No gaps found - block data is continuous"))
    }
}

/// `mvm query validators [--ours] [-l N]`.
public struct QueryValidators: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(commandName: "validators", abstract: "Validators seen on chain, by blocks produced.")
    @OptionGroup public var global: GlobalOptions
    @OptionGroup public var database: DatabaseOptions
    @OptionGroup public var output: OutputOptions
    @Flag(name: .long, help: "Only validators marked as ours.") public var ours = false
    @Option(name: [.customShort("l"), .long], help: "Number of validators to show.") public var limit: Int = 20
    public init() {}

    public func validate() throws {
        guard (1...10_000).contains(limit) else { throw ValidationError("--limit must be between 1 and 10000 (got \(limit))") }
    }

    public func run() async throws {
        let context = try QueryContext(global: global, database: database, output: output)
        let page = try DatabaseAccess.query("listing validators") {
            try context.reader.validators(ValidatorQuery(ours: ours ? true : nil, sort: .blocks, limit: limit))
        }
        let columns: [QueryColumn<ValidatorEntity>] = [
            QueryColumn("rank", .right) { "\($0.rank)" },
            QueryColumn("label") { $0.label ?? "" },
            QueryColumn("sidechain_key") { $0.sidechainKey },
            QueryColumn("status") { $0.isPermissioned ? "permissioned" : ($0.registrationStatus ?? "unknown") },
            QueryColumn("blocks", .right) { "\($0.blocksTotal)" },
            QueryColumn("share_%", .right) { Formatting.fixed($0.sharePercent, 2) },
            QueryColumn("ours") { $0.isOurs ? "*" : "" },
        ]
        var footer: [String] = []
        if page.total > page.validators.count {
            footer.append("... and \(page.total - page.validators.count) more (use --limit to show more)")
        }
        try context.emit(
            page,
            QueryRendering(
                columns: columns, rows: page.validators,
                heading: ["\(ours ? "Our validators" : "All validators") (\(page.total) total)"], footer: footer,
                whenEmpty: ours
                    ? "No validators marked as ours. Run `mvm keys verify` to mark yours."
                    : "No validators in the database. Run `mvm sync` to populate it."))
    }
}

/// `mvm query validator KEY`.
public struct QueryValidator: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(commandName: "validator", abstract: "One validator: keys, status, blocks, epochs.")
    @OptionGroup public var global: GlobalOptions
    @OptionGroup public var database: DatabaseOptions
    @OptionGroup public var output: OutputOptions
    @Argument(help: "Sidechain key (or AURA key), with or without 0x.") public var key: String
    public init() {}

    public func run() async throws {
        let context = try QueryContext(global: global, database: database, output: output)
        let normalized = KeyFormat.normalize(key)
        guard let detail = try DatabaseAccess.query("reading validator \(normalized)", { try context.reader.validator(key: normalized) }) else {
            throw CommandFailure("validator not found: \(normalized)", hint: "list known validators with `mvm query validators`")
        }
        let recent = try DatabaseAccess.query("listing blocks of \(normalized)") {
            try context.reader.blocks(BlockQuery(limit: 5, author: detail.validator.sidechainKey)).blocks
        }
        let v = detail.validator
        let fields: [(String, String)] = [
            ("label", v.label ?? ""), ("sidechain_key", v.sidechainKey), ("aura_key", v.auraKey ?? ""),
            ("grandpa_key", v.grandpaKey ?? ""),
            ("status", v.isPermissioned ? "permissioned" : (v.registrationStatus ?? "unknown")),
            ("is_ours", v.isOurs ? "yes" : "no"), ("blocks_total", "\(v.blocksTotal)"), ("rank", "\(v.rank)"),
            ("share_percent", Formatting.fixed(v.sharePercent, 2)),
            ("first_seen_epoch", Formatting.optional(v.firstSeenEpoch)), ("last_seen_epoch", Formatting.optional(v.lastSeenEpoch)),
        ]
        var footer = ["", "Most recent blocks:"]
        footer += recent.isEmpty ? ["  none stored"] : recent.map { "  #\($0.number) (slot \($0.slot), sidechain epoch \($0.sidechainEpoch))" }
        if !detail.epochs.isEmpty {
            footer.append("")
            footer.append("Epochs (seats / produced / expected):")
            for epoch in detail.epochs.prefix(10) {
                footer.append("  \(epoch.sidechainEpoch): \(epoch.seats) / \(epoch.blocksProduced) / \(Formatting.fixed(epoch.expectedBlocks, 1))")
            }
        }
        try context.emit(
            detail,
            QueryRendering(
                columns: [QueryColumn("field") { $0.0 }, QueryColumn("value") { $0.1 }], rows: fields,
                heading: ["Validator details"], footer: footer))
    }
}

/// `mvm query performance [--ours] [-l N]`.
public struct QueryPerformance: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(commandName: "performance", abstract: "Producing validators ranked by blocks.")
    @OptionGroup public var global: GlobalOptions
    @OptionGroup public var database: DatabaseOptions
    @OptionGroup public var output: OutputOptions
    @Flag(name: .long, help: "Only validators marked as ours (ranks stay chain-wide).") public var ours = false
    @Option(name: [.customShort("l"), .long], help: "Number of validators to show.") public var limit: Int = 10
    public init() {}

    public func validate() throws {
        guard (1...10_000).contains(limit) else { throw ValidationError("--limit must be between 1 and 10000 (got \(limit))") }
    }

    public func run() async throws {
        let context = try QueryContext(global: global, database: database, output: output)
        let page = try DatabaseAccess.query("ranking validators") {
            try context.reader.validators(ValidatorQuery(ours: ours ? true : nil, producingOnly: true, sort: .blocks, limit: limit))
        }
        let average = page.total > 0 ? Double(page.totalBlocks) / Double(page.total) : 0
        let columns: [QueryColumn<ValidatorEntity>] = [
            QueryColumn("rank", .right) { "\($0.rank)" },
            QueryColumn("label") { $0.label ?? "" },
            QueryColumn("sidechain_key") { $0.sidechainKey },
            QueryColumn("blocks", .right) { "\($0.blocksTotal)" },
            QueryColumn("share_%", .right) { Formatting.fixed($0.sharePercent, 2) },
            QueryColumn("ours") { $0.isOurs ? "*" : "" },
        ]
        try context.emit(
            page,
            QueryRendering(
                columns: columns, rows: page.validators,
                heading: [
                    ours ? "Our validator performance" : "Validator performance",
                    "Active validators: \(page.total)   Blocks: \(page.totalBlocks)   Average: \(Formatting.fixed(average, 2))",
                ],
                whenEmpty: ours ? "None of our validators has produced a stored block." : "No validator has produced a stored block yet."))
    }
}

/// `mvm query epochs [ID]`: recent epochs, or one epoch in detail.
public struct QueryEpochs: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(commandName: "epochs", abstract: "Per-epoch production: recent epochs, or one epoch by number.")
    @OptionGroup public var global: GlobalOptions
    @OptionGroup public var database: DatabaseOptions
    @OptionGroup public var output: OutputOptions
    @Argument(help: "A sidechain epoch number (omit for the recent epochs).") public var id: UInt64?
    @Option(name: [.customShort("l"), .long], help: "Number of epochs to list.") public var limit: Int = 20
    public init() {}

    public func validate() throws {
        guard (1...10_000).contains(limit) else { throw ValidationError("--limit must be between 1 and 10000 (got \(limit))") }
    }

    public func run() async throws {
        let context = try QueryContext(global: global, database: database, output: output)
        if let id {
            guard let summary = try DatabaseAccess.query("reading epoch \(id)", { try context.reader.epochSummary(id) }) else {
                throw CommandFailure("epoch \(id) is not in the database", hint: "list stored epochs with `mvm query epochs`")
            }
            let columns: [QueryColumn<EpochValidatorEntry>] = [
                QueryColumn("sidechain_key") { $0.sidechainKey },
                QueryColumn("ours") { $0.isOurs ? "*" : "" },
                QueryColumn("seats", .right) { "\($0.seats)" },
                QueryColumn("produced", .right) { "\($0.blocksProduced)" },
                QueryColumn("expected", .right) { Formatting.fixed($0.expectedBlocks, 1) },
                QueryColumn("ratio", .right) { $0.ratio.map { Formatting.fixed($0, 2) } ?? "-" },
            ]
            let heading = [
                "Sidechain epoch \(summary.sidechainEpoch) (mainchain \(Formatting.optional(summary.mainchainEpoch)))\(summary.isRunning ? " - running" : "")",
                "Blocks: \(summary.blocksProduced)   Missed slots: \(Formatting.optional(summary.blocksMissed))   Committee: \(Formatting.optional(summary.committeeSize)) seats",
            ]
            try context.emit(summary, QueryRendering(columns: columns, rows: summary.validators, heading: heading))
            return
        }
        let epochs = try DatabaseAccess.query("listing epochs") { try context.reader.epochs(limit: limit) }
        let columns: [QueryColumn<EpochOverview>] = [
            QueryColumn("sc_epoch", .right) { "\($0.sidechainEpoch)" },
            QueryColumn("mc_epoch", .right) { Formatting.optional($0.mainchainEpoch) },
            QueryColumn("blocks", .right) { "\($0.blocksProduced)" },
            QueryColumn("first", .right) { Formatting.optional($0.firstBlock) },
            QueryColumn("last", .right) { Formatting.optional($0.lastBlock) },
            QueryColumn("committee", .right) { Formatting.optional($0.committeeSize) },
            QueryColumn("our_seats", .right) { "\($0.ourSeats)" },
            QueryColumn("our_blocks", .right) { "\($0.ourBlocks)" },
            QueryColumn("our_expected", .right) { Formatting.fixed($0.ourExpectedBlocks, 1) },
        ]
        try context.emit(
            epochs,
            QueryRendering(
                columns: columns, rows: epochs, heading: ["Recent epochs"],
                whenEmpty: "No epochs in the database yet. Run `mvm sync` first."))
    }
}
