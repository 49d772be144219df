import ArgumentParser
import Foundation
import MidnightEvents
import SpomWebhooks
import MVMCommandSupport

/// `mvm webhooks test|status|retry`.
public struct WebhooksCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "webhooks", abstract: "Test webhook delivery, show the outbox, retry failed deliveries.",
        subcommands: [WebhooksTest.self, WebhooksStatus.self, WebhooksRetry.self])
    @OptionGroup public var global: GlobalOptions
    public init() {}
}

/// `mvm webhooks test [endpoint]`: sends a test event to the configured webhooks now.
///
/// Exit code 0 when every endpoint answered 2xx, 1 otherwise (or when none is configured).
public struct WebhooksTest: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "test", abstract: "Send a test event to the configured webhooks (or to one, by name or URL).")
    @OptionGroup public var global: GlobalOptions
    @Argument(help: "Only this endpoint (its name, or its url).") public var endpoint: String?
    @Flag(name: .long, help: "Print the results as JSON.") public var json = false
    @Option(name: .long, help: "Seconds to wait for each answer.") public var timeout: UInt64 = 10
    public init() {}

    public func run() async throws {
        let settings = try Settings.load(global: global)
        let config = settings.config
        var endpoints = MidnightWebhooks.endpoints(config.webhooks)
        if let endpoint {
            endpoints = endpoints.filter { $0.name == endpoint || $0.url == endpoint }
            guard !endpoints.isEmpty else {
                throw CommandFailure(
                    "no webhook endpoint named \(endpoint)",
                    hint: "configured: \(MidnightWebhooks.endpoints(config.webhooks).map(\.name).joined(separator: ", "))")
            }
        }
        guard !endpoints.isEmpty else {
            throw CommandFailure("no webhook endpoint is configured", hint: "add a [[webhooks.endpoints]] table with a url to the config file")
        }
        let results: [WebhookTestResult]
        do {
            results = try await MidnightWebhooks.sendTest(
                endpoints: endpoints, chain: config.integration.chainID, instance: config.integration.instanceName,
                requestTimeout: .seconds(Int64(clamping: max(1, timeout))), logger: global.logger("mvm.webhooks"))
        } catch {
            throw CommandFailure("the test event could not be sent: \(error)")
        }
        if json {
            try EntityJSON.print(results)
        } else {
            var table = TextTable(columns: [.init("ENDPOINT"), .init("HOST"), .init("RESULT"), .init("DETAIL")])
            for r in results {
                table.rows.append([
                    r.endpoint, r.host, r.delivered ? "delivered" : "FAILED",
                    Self.detail(r),
                ])
            }
            StandardOutput.write(table.renderText())
            if !config.webhooks.enabled {
                StandardOutput.write("note: [webhooks] enabled = false, so the sync daemon sends no events yet")
            }
        }
        let failed = results.filter { !$0.delivered }
        if !failed.isEmpty {
            throw CommandFailure(
                "\(failed.count) of \(results.count) endpoints did not accept the test event",
                hint: "check the url, auth and that the receiver answers 2xx")
        }
    }
}

extension WebhooksTest {
    static func detail(_ result: WebhookTestResult) -> String {
        switch (result.httpStatus, result.error) {
        case (let status?, let error?): "HTTP \(status): \(error)"
        case (let status?, nil): "HTTP \(status)"
        case (nil, let error?): error
        case (nil, nil): ""
        }
    }
}

/// `mvm webhooks status`: counters, endpoints, pending and failed deliveries.
public struct WebhooksStatus: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(commandName: "status", abstract: "Show the webhook outbox: pending and failed deliveries, counters.")
    @OptionGroup public var global: GlobalOptions
    @OptionGroup public var database: DatabaseOptions
    @Flag(name: .long, help: "Print the report as JSON.") public var json = false
    @Option(name: .long, help: "Most deliveries listed per state.") public var limit: Int = 20
    public init() {}

    public func run() async throws {
        var overrides = Overrides()
        overrides.add("database.path", database.dbPath, flag: "--db-path")
        let settings = try Settings.load(global: global, overrides: overrides.list)
        let path = settings.config.database.path
        let report: WebhookStatusReport
        do {
            report = try MidnightWebhooks.status(databasePath: path, limit: max(1, limit))
        } catch let error as MidnightWebhooksError {
            throw CommandFailure(error.description, hint: "check -d/--db-path; the sync daemon creates the database")
        }
        if json {
            try EntityJSON.print(report)
            return
        }
        guard report.outboxPresent, let counters = report.counters else {
            StandardOutput.write("No webhook outbox in \(path): the sync daemon has not run with [webhooks] enabled = true.")
            return
        }
        StandardOutput.write(
            "Deliveries: \(counters.delivered) delivered, \(counters.failed) failed, \(counters.pending) pending "
                + "(\(counters.attempts) attempts, \(counters.attemptFailures) unsuccessful)")
        StandardOutput.write("Active sync alerts: \(report.activeAlerts.isEmpty ? "none" : report.activeAlerts.joined(separator: ", "))")
        if !report.endpoints.isEmpty {
            var table = TextTable(columns: [.init("ENDPOINT"), .init("STATE")])
            for e in report.endpoints {
                table.rows.append([e.name, e.disabledAtMs == nil ? "active" : "disabled (\(e.disabledReason ?? "?"))"])
            }
            StandardOutput.write(table.renderText())
        }
        for (title, rows) in [("Pending", report.pending), ("Failed", report.failed)] where !rows.isEmpty {
            StandardOutput.write("\n\(title) (oldest first):")
            var table = TextTable(columns: [.init("EVENT ID"), .init("TYPE"), .init("ENDPOINT"), .init("ATTEMPTS", .right), .init("LAST ERROR")])
            for d in rows {
                table.rows.append([d.eventID, d.eventType, d.endpoint, String(d.attempts), d.lastError ?? "-"])
            }
            StandardOutput.write(table.renderText())
        }
        if counters.failed > 0 && !report.failed.isEmpty {
            StandardOutput.write("\n`mvm webhooks retry` puts failed deliveries back in the queue.")
        }
    }
}

/// `mvm webhooks retry`: re-queues failed deliveries (all, one endpoint's, or one event's).
public struct WebhooksRetry: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "retry", abstract: "Put failed webhook deliveries back in the queue (the sync daemon sends them).")
    @OptionGroup public var global: GlobalOptions
    @OptionGroup public var database: DatabaseOptions
    @Option(name: .long, help: "Only this endpoint's deliveries.") public var endpoint: String?
    @Option(name: .long, help: "Only this event id's deliveries.") public var event: String?
    @Flag(name: .long, help: "Print the result as JSON.") public var json = false
    public init() {}

    public func run() async throws {
        var overrides = Overrides()
        overrides.add("database.path", database.dbPath, flag: "--db-path")
        let settings = try Settings.load(global: global, overrides: overrides.list)
        let result: WebhookRetryResult
        do {
            result = try MidnightWebhooks.retry(databasePath: settings.config.database.path, endpoint: endpoint, eventID: event)
        } catch let error as MidnightWebhooksError {
            throw CommandFailure(error.description, hint: "check -d/--db-path")
        }
        if json {
            try EntityJSON.print(result)
        } else {
            StandardOutput.write("\(result.requeued) failed deliveries re-queued.")
            if !result.reenabled.isEmpty { StandardOutput.write("Re-enabled: \(result.reenabled.joined(separator: ", "))") }
        }
    }
}
