import Foundation
import MidnightStore
import MidnightView
import SpomTUI
import Testing

private let now: UInt64 = 1_800_000_000_000

private func loadedApp(_ fixture: DashboardFixture, nowMs: UInt64 = now) async -> DashboardApp {
    var app = DashboardApp(snapshot: await fixture.loader().load(nowMs: nowMs))
    app.setNow(ms: nowMs)
    return app
}

@Test(arguments: [(80, 24), (120, 40)])
func dashboardViewShowsPanelsAndOneFormula(size: (Int, Int)) async throws {
    let fixture = try DashboardFixture()
    defer { fixture.remove() }
    var app = await loadedApp(fixture)
    let text = screen(&app, columns: size.0, rows: size.1)
    #expect(text.contains("Dashboard"))
    #expect(text.contains("Our Validator"))
    #expect(text.contains("Recent Blocks"))
    #expect(text.contains("#30"))
    #expect(text.contains("DB block:"))
    #expect(text.contains("1 of 4 seats"))
    // Produced 7 of 30 chain blocks; expected = 1/4 × 30 = 7.5.
    #expect(text.contains("~7.5"))
    #expect(text.contains("no node configured"))
    #expect(text.contains("just now"))
}

@Test func blocksViewSelectionStaysOnTheSameBlockAcrossARefresh() async throws {
    let fixture = try DashboardFixture()
    defer { fixture.remove() }
    let loader = fixture.loader()
    var app = DashboardApp(snapshot: await loader.load(nowMs: now))
    app.setNow(ms: now)
    app.handle(.character("2"))
    #expect(app.state.view == .blocks)
    app.handle(.character("j"))
    app.handle(.down)
    #expect(app.state.blocks.selectedID == "28")
    var text = screen(&app, columns: 120, rows: 40)
    #expect(text.contains("Blocks (30 stored"))
    let selectedRow = text.split(separator: "\n").first { $0.contains("#28") }
    #expect(selectedRow != nil)
    try fixture.insert(31...33)
    app.update(snapshot: await loader.load(nowMs: now + 6000))
    #expect(app.state.blocks.selectedID == "28")
    #expect(app.selectedCopyText == DashboardFixture.hash(28))
    text = screen(&app, columns: 80, rows: 24)
    #expect(text.contains("#33"))
}

@Test func enterOpensTheBlockPopupAndEscClosesItWithoutQuitting() async throws {
    let fixture = try DashboardFixture()
    defer { fixture.remove() }
    var app = await loadedApp(fixture)
    app.handle(.character("2"))
    app.handle(.enter)
    #expect(app.state.popup == .block(number: 30))
    let text = screen(&app, columns: 120, rows: 40)
    #expect(text.contains("Block #30"))
    #expect(text.contains(DashboardFixture.hash(30)))
    #expect(app.handle(.escape).isEmpty)
    #expect(app.state.popup == nil)
    #expect(!app.state.shouldQuit)
    #expect(app.handle(.escape).isEmpty)
    #expect(!app.state.shouldQuit)
    #expect(app.handle(.character("q")) == [.quit])
    #expect(app.state.shouldQuit)
}

@Test func qInsideAPopupClosesItAndCtrlCQuits() async throws {
    let fixture = try DashboardFixture()
    defer { fixture.remove() }
    var app = await loadedApp(fixture)
    app.handle(.character("3"))
    app.handle(.enter)
    #expect(app.state.popup != nil)
    app.handle(.character("q"))
    #expect(app.state.popup == nil && !app.state.shouldQuit)
    #expect(app.handle(.controlC) == [.quit])
}

@Test func validatorsFilterShowsOnlyOursAndThePopupExplainsTheFormula() async throws {
    let fixture = try DashboardFixture()
    defer { fixture.remove() }
    var app = await loadedApp(fixture)
    app.handle(.character("3"))
    var text = screen(&app, columns: 120, rows: 40)
    #expect(text.contains("Validators (4"))
    #expect(text.contains(DashboardFixture.others[0]))
    app.handle(.character("f"))
    #expect(app.state.oursOnly)
    text = screen(&app, columns: 120, rows: 40)
    #expect(text.contains("Validators (1 ours only"))
    #expect(!text.contains(DashboardFixture.others[0]))
    #expect(text.contains("★"))
    #expect(app.state.validators.selectedID == DashboardFixture.ours)
    app.handle(.enter)
    text = screen(&app, columns: 120, rows: 40)
    #expect(text.contains("1/4 seats × 30 blocks"))
    #expect(app.handle(.character("y")) == [.copy(DashboardFixture.ours)])
}

@Test func performancePeersAndHelpViews() async throws {
    let fixture = try DashboardFixture()
    defer { fixture.remove() }
    var app = await loadedApp(fixture)
    app.handle(.character("4"))
    var text = screen(&app, columns: 120, rows: 40)
    #expect(text.contains("Performance"))
    #expect(text.contains("Blocks per epoch:"))
    #expect(text.contains("1/4"))
    app.handle(.character("5"))
    text = screen(&app)
    #expect(text.contains("Peers unknown"))
    app.handle(.character("?"))
    text = screen(&app)
    #expect(app.state.view == .help)
    #expect(text.contains("close the popup (never quits)"))
    app.handle(.escape)
    #expect(app.state.view == .dashboard && !app.state.shouldQuit)
}

@Test func themeToggleReportsTheNewTheme() async throws {
    var app = DashboardApp()
    #expect(app.handle(.character("t")) == [.setLightTheme(true)])
    #expect(screen(&app).contains("Midday"))
    #expect(app.handle(.character("t")) == [.setLightTheme(false)])
    #expect(screen(&app).contains("Midnight"))
}

@Test func tooSmallTerminalSaysSo() async throws {
    var app = DashboardApp()
    let text = screen(&app, columns: 79, rows: 24)
    #expect(text.contains("Terminal too small"))
    #expect(!screen(&app, columns: 80, rows: 24).contains("Terminal too small"))
}

@Test func missingDatabaseIsShownWithTheReason() async throws {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("absent-\(UUID().uuidString).db").path
    let loader = DashboardLoader(databasePath: path, status: nil, logger: .init(label: "test"))
    var app = DashboardApp(snapshot: await loader.load(nowMs: now))
    app.setNow(ms: now)
    let text = screen(&app, columns: 120, rows: 40)
    #expect(text.contains("database not found"))
    #expect(!text.contains("loading"))
}

@Test func oldDataIsMarkedStale() async throws {
    let fixture = try DashboardFixture()
    defer { fixture.remove() }
    var app = await loadedApp(fixture)
    #expect(!screen(&app, columns: 120, rows: 40).contains("stale"))
    app.setNow(ms: now + 120_000)
    #expect(screen(&app, columns: 120, rows: 40).contains("stale 2m 00s ago"))
}

@Test func registeredWithoutSeatsExplainsTheDParameter() async throws {
    let fixture = try DashboardFixture(oursSeated: false)
    defer { fixture.remove() }
    try fixture.writer.recordRegistrationStatus(sidechainKey: DashboardFixture.ours, status: "registered")
    var app = await loadedApp(fixture)
    let text = screen(&app, columns: 120, rows: 40)
    #expect(text.contains("0 of 3 seats this epoch"))
    #expect(text.contains("expected ~0.0"))
    #expect(text.contains("D-parameter"))
}
