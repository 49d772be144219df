import Foundation
import Logging
import SpomLog
import SpomTesting
import Synchronization
import Testing

/// Collects lines written by a handler.
final class Lines: Sendable {
    private let storage = Mutex<[String]>([])
    var all: [String] { storage.withLock { $0 } }
    var sink: LogSink { LogSink { line in self.storage.withLock { $0.append(line) } } }
}

@Suite("Logging")
struct SpomLogTests {
    @Test("journal lines carry a syslog priority and no timestamp or colour")
    func journalFormat() {
        let lines = Lines()
        var logger = Logger(label: "app.sync") { SpomLogHandler(label: $0, format: .journal, level: .debug, sink: lines.sink) }
        logger[metadataKey: "block"] = "42"
        logger.debug("fetched")
        logger.info("started", metadata: ["port": "8080"])
        logger.warning("slow")
        logger.error("failed")
        logger.critical("gave up")
        #expect(
            lines.all == [
                "<7>app.sync: fetched block=42\n", "<6>app.sync: started block=42 port=8080\n", "<4>app.sync: slow block=42\n",
                "<3>app.sync: failed block=42\n", "<2>app.sync: gave up block=42\n",
            ])
    }

    @Test("human lines have a timestamp and level; colour only when asked")
    func humanFormat() throws {
        let plain = SpomLogHandler(label: "x", format: .human(colour: false))
        let date = Date(timeIntervalSince1970: 1_700_000_000.25)
        let line = plain.line(level: .warning, message: "disk low", metadata: ["free": "3"], date: date)
        #expect(line == "2023-11-14T22:13:20.250Z WARN  x: disk low free=3\n")
        #expect(!line.contains("\u{1B}"))
        let coloured = SpomLogHandler(label: "x", format: .human(colour: true))
        #expect(coloured.line(level: .error, message: "boom", metadata: nil, date: date).contains("\u{1B}[31mERROR\u{1B}[0m"))
    }

    @Test("levels below the handler's level are dropped")
    func levelFiltering() {
        let lines = Lines()
        let logger = Logger(label: "l") { SpomLogHandler(label: $0, format: .journal, level: .info, sink: lines.sink) }
        logger.debug("hidden")
        logger.info("shown")
        #expect(lines.all == ["<6>l: shown\n"])
    }

    @Test("verbose means debug; a level variable wins")
    func levelChoice() {
        #expect(SpomLogging.level(verbose: false, environment: [:]) == .info)
        #expect(SpomLogging.level(verbose: true, environment: [:]) == .debug)
        #expect(SpomLogging.level(verbose: false, environment: ["APP_LOG": "TRACE"], levelVariable: "APP_LOG") == .trace)
        #expect(SpomLogging.level(verbose: true, environment: ["APP_LOG": "bogus"], levelVariable: "APP_LOG") == .debug)
    }

    @Test("journal format only when JOURNAL_STREAM names the stream itself; files never get colour")
    func detection() throws {
        let dir = try TemporaryDirectory(prefix: "log")
        defer { dir.remove() }
        let path = dir.path("stderr.txt")
        _ = FileManager.default.createFile(atPath: path, contents: nil)
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        defer { try? handle.close() }
        let fd = handle.fileDescriptor
        let identity = try #require(LogFormat.streamIdentity(fd))
        #expect(LogFormat.detect(environment: ["JOURNAL_STREAM": identity], descriptor: fd) == .journal)
        #expect(LogFormat.detect(environment: ["JOURNAL_STREAM": "1:2"], descriptor: fd) == .human(colour: false))
        #expect(LogFormat.detect(environment: [:], descriptor: fd) == .human(colour: false))
    }

    @Test("multi-line messages stay one entry")
    func multiline() {
        let handler = SpomLogHandler(label: "m", format: .journal)
        #expect(handler.line(level: .info, message: "a\nb", metadata: nil, date: Date()) == "<6>m: a\n    b\n")
    }
}
