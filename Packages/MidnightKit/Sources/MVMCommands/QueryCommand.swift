import ArgumentParser
import MidnightChain
import MidnightStore

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

    /// Prints `value` as JSON, or `table` as CSV or text (after `heading` lines for text).
    func emit<T: Encodable>(_ value: T, table: TextTable, heading: [String] = [], footer: [String] = []) throws {
        switch format {
        case .json:
            try EntityJSON.print(value)
        case .csv:
            StandardOutput.write(table.renderCSV())
        case .table:
            for line in heading { StandardOutput.write(line) }
            StandardOutput.write(table.renderText())
            for line in footer { StandardOutput.write(line) }
        }
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
        let rows: [[String]] = [
            ["total_blocks", "\(stats.totalBlocks)"],
            ["finalized_blocks", "\(stats.finalizedBlocks)"],
            ["unfinalized_blocks", "\(stats.unfinalizedBlocks)"],
            ["first_block", Formatting.optional(stats.firstBlock)],
            ["last_block", Formatting.optional(stats.lastBlock)],
            ["last_finalized_block", Formatting.optional(stats.lastFinalizedBlock)],
            ["latest_sidechain_epoch", Formatting.optional(stats.latestSidechainEpoch)],
            ["gaps", "\(stats.gaps)"],
            ["missing_blocks", "\(stats.missingBlocks)"],
            ["attributed_blocks", "\(stats.attributedBlocks) (\(Formatting.fixed(attributedShare, 1))%)"],
            ["unattributed_blocks", "\(stats.unattributedBlocks)"],
            ["validators", "\(stats.validators)"],
            ["our_validators", "\(stats.ourValidators)"],
            ["committees", "\(stats.committees)"],
        ]
        let table = TextTable(columns: [.init("field"), .init("value")], rows: rows)
        var footer: [String] = []
        if stats.gaps > 0 { footer.append("Run `mvm query gaps` to list the missing ranges.") }
        try context.emit(stats, table: table, heading: ["Database statistics (\(stats.chain))"], footer: footer)
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
        let rows = blocks.map { block in
            [
                "\(block.number)", "\(block.slot)", "\(block.sidechainEpoch)", "\(block.mainchainEpoch)",
                "\(block.extrinsicsCount)", block.finalized ? "yes" : "no",
                block.author.map(Formatting.shortKey) ?? "-", Formatting.shortKey(block.hash),
            ]
        }
        let table = TextTable(
            columns: [
                .init("block", .right), .init("slot", .right), .init("sc_epoch", .right), .init("mc_epoch", .right),
                .init("extrinsics", .right), .init("final"), .init("author"), .init("hash"),
            ], rows: rows)
        if context.format == .csv {
            var full = table
            full.rows = blocks.map { block in
                [
                    "\(block.number)", "\(block.slot)", "\(block.sidechainEpoch)", "\(block.mainchainEpoch)",
                    "\(block.extrinsicsCount)", block.finalized ? "true" : "false", block.author ?? "", block.hash,
                ]
            }
            StandardOutput.write(full.renderCSV())
            return
        }
        let heading = blocks.isEmpty ? "No blocks found" : "Blocks \(blocks.first!.number) - \(blocks.last!.number) (\(blocks.count) shown)"
        let more = page.nextBefore != nil && from != nil && to != nil
            ? ["More blocks in this range: raise --limit."] : []
        try context.emit(blocks, table: table, heading: [heading], footer: more)
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
        let table = TextTable(
            columns: [.init("from", .right), .init("to", .right), .init("missing", .right), .init("leading")],
            rows: gaps.map { ["\($0.start)", "\($0.end)", "\($0.missing)", $0.leading ? "yes" : "no"] })
        if context.format == .table && gaps.isEmpty {
            StandardOutput.write("No gaps found - block data is continuous")
            return
        }
        let total = gaps.reduce(UInt64(0)) { $0 + $1.missing }
        try context.emit(
            gaps, table: table, heading: ["Found \(gaps.count) gap(s):"],
            footer: ["Total missing blocks: \(total)", "The sync daemon refills gaps; to force it: mvm sync --start-block <from>"])
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
        if context.format == .table && page.validators.isEmpty {
            StandardOutput.write(ours ? "No validators marked as ours. Run `mvm keys verify` to mark yours." : "No validators in the database. Run `mvm sync` to populate it.")
            return
        }
        let table = TextTable(
            columns: [
                .init("rank", .right), .init("label"), .init("sidechain_key"), .init("status"), .init("blocks", .right),
                .init("share_%", .right), .init("ours"),
            ],
            rows: page.validators.map { validator in
                [
                    "\(validator.rank)", validator.label ?? "", validator.sidechainKey,
                    validator.isPermissioned ? "permissioned" : (validator.registrationStatus ?? "unknown"),
                    "\(validator.blocksTotal)", Formatting.fixed(validator.sharePercent, 2), validator.isOurs ? "*" : "",
                ]
            })
        var footer: [String] = []
        if page.total > page.validators.count {
            footer.append("... and \(page.total - page.validators.count) more (use --limit to show more)")
        }
        try context.emit(
            page, table: table, heading: ["\(ours ? "Our validators" : "All validators") (\(page.total) total)"], footer: footer)
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
        let table = TextTable(
            columns: [.init("field"), .init("value")],
            rows: [
                ["label", v.label ?? ""], ["sidechain_key", v.sidechainKey], ["aura_key", v.auraKey ?? ""],
                ["grandpa_key", v.grandpaKey ?? ""],
                ["status", v.isPermissioned ? "permissioned" : (v.registrationStatus ?? "unknown")],
                ["is_ours", v.isOurs ? "yes" : "no"], ["blocks_total", "\(v.blocksTotal)"], ["rank", "\(v.rank)"],
                ["share_percent", Formatting.fixed(v.sharePercent, 2)],
                ["first_seen_epoch", Formatting.optional(v.firstSeenEpoch)], ["last_seen_epoch", Formatting.optional(v.lastSeenEpoch)],
            ])
        var footer = ["", "Most recent blocks:"]
        footer += recent.isEmpty ? ["  none stored"] : recent.map { "  #\($0.number) (slot \($0.slot), sidechain epoch \($0.sidechainEpoch))" }
        if !detail.epochs.isEmpty {
            footer.append("")
            footer.append("Epochs (seats / produced / expected):")
            for epoch in detail.epochs.prefix(10) {
                footer.append("  \(epoch.sidechainEpoch): \(epoch.seats) / \(epoch.blocksProduced) / \(Formatting.fixed(epoch.expectedBlocks, 1))")
            }
        }
        try context.emit(detail, table: table, heading: ["Validator details"], footer: footer)
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
        if context.format == .table && page.validators.isEmpty {
            StandardOutput.write(ours ? "None of our validators has produced a stored block." : "No validator has produced a stored block yet.")
            return
        }
        let average = page.total > 0 ? Double(page.totalBlocks) / Double(page.total) : 0
        let table = TextTable(
            columns: [
                .init("rank", .right), .init("label"), .init("sidechain_key"), .init("blocks", .right), .init("share_%", .right),
                .init("ours"),
            ],
            rows: page.validators.map { v in
                ["\(v.rank)", v.label ?? "", v.sidechainKey, "\(v.blocksTotal)", Formatting.fixed(v.sharePercent, 2), v.isOurs ? "*" : ""]
            })
        try context.emit(
            page, table: table,
            heading: [
                ours ? "Our validator performance" : "Validator performance",
                "Active validators: \(page.total)   Blocks: \(page.totalBlocks)   Average: \(Formatting.fixed(average, 2))",
            ])
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
            let table = TextTable(
                columns: [.init("sidechain_key"), .init("ours"), .init("seats", .right), .init("produced", .right), .init("expected", .right), .init("ratio", .right)],
                rows: summary.validators.map { v in
                    [v.sidechainKey, v.isOurs ? "*" : "", "\(v.seats)", "\(v.blocksProduced)", Formatting.fixed(v.expectedBlocks, 1), v.ratio.map { Formatting.fixed($0, 2) } ?? "-"]
                })
            let heading = [
                "Sidechain epoch \(summary.sidechainEpoch) (mainchain \(Formatting.optional(summary.mainchainEpoch)))\(summary.isRunning ? " - running" : "")",
                "Blocks: \(summary.blocksProduced)   Missed slots: \(Formatting.optional(summary.blocksMissed))   Committee: \(Formatting.optional(summary.committeeSize)) seats",
            ]
            try context.emit(summary, table: table, heading: heading)
            return
        }
        let epochs = try DatabaseAccess.query("listing epochs") { try context.reader.epochs(limit: limit) }
        if context.format == .table && epochs.isEmpty {
            StandardOutput.write("No epochs in the database yet. Run `mvm sync` first.")
            return
        }
        let table = TextTable(
            columns: [
                .init("sc_epoch", .right), .init("mc_epoch", .right), .init("blocks", .right), .init("first", .right), .init("last", .right),
                .init("committee", .right), .init("our_seats", .right), .init("our_blocks", .right), .init("our_expected", .right),
            ],
            rows: epochs.map { e in
                [
                    "\(e.sidechainEpoch)", Formatting.optional(e.mainchainEpoch), "\(e.blocksProduced)", Formatting.optional(e.firstBlock),
                    Formatting.optional(e.lastBlock), Formatting.optional(e.committeeSize), "\(e.ourSeats)", "\(e.ourBlocks)",
                    Formatting.fixed(e.ourExpectedBlocks, 1),
                ]
            })
        try context.emit(epochs, table: table, heading: ["Recent epochs"])
    }
}
