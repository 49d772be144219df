import SpomTheme
import Testing

extension ThemeRole {
    static let accent: ThemeRole = "accent"
}

@Suite("Themes")
struct ThemeTests {
    @Test("both built-in themes define every base role, under the app's names")
    func builtIns() {
        let dark = Theme.dark(name: "Dusk")
        let light = Theme.light(name: "Dawn")
        #expect(dark.name == "Dusk" && dark.isDark)
        #expect(light.name == "Dawn" && !light.isDark)
        for role in ThemeRole.base {
            #expect(dark.colours[role] != nil, "dark lacks \(role)")
            #expect(light.colours[role] != nil, "light lacks \(role)")
        }
        #expect(dark[.primary] == RGB(138, 102, 255))
        #expect(dark[.text] == RGB(220, 220, 230))
        #expect(dark[.highlight] == RGB(60, 45, 90))
        #expect(light[.primary] == RGB(0, 150, 200))
        #expect(light[.error] == RGB(220, 50, 80))
        #expect(light[.text] == RGB(50, 60, 80))
    }

    @Test("apps add accent roles; unknown roles fall back to text")
    func accents() {
        let theme = Theme.dark(name: "Dusk", accents: [.accent: RGB(255, 215, 100)])
        #expect(theme[.accent] == RGB(255, 215, 100))
        #expect(theme[ThemeRole(rawValue: "unheard-of")] == theme[.text])
        #expect(theme.with(.accent, RGB(1, 2, 3))[.accent] == RGB(1, 2, 3))
    }

    @Test("256- and 8-colour approximations")
    func approximations() {
        #expect(RGB(255, 0, 0).ansi256 == 196)
        #expect(RGB(0, 0, 0).ansi256 == 16)
        #expect(RGB(255, 255, 255).ansi256 == 231)
        #expect(RGB(128, 128, 128).ansi256 == 244)
        #expect(RGB(95, 135, 175).ansi256 == 16 + 36 * 1 + 6 * 2 + 3)
        #expect(RGB(255, 0, 0).ansi8 == 1)
        #expect(RGB(0, 200, 0).ansi8 == 2)
        #expect(RGB(10, 10, 10).ansi8 == 0)
        #expect(RGB(240, 240, 240).ansi8 == 7)
        #expect(RGB(hex: "#8a66ff") == RGB(138, 102, 255))
        #expect(RGB(138, 102, 255).description == "#8a66ff")
        #expect(RGB(hex: "xyz") == nil)
    }

    @Test("colour depth from the environment, and escape sequences")
    func depth() {
        #expect(ColourDepth.detect(environment: ["COLORTERM": "truecolor", "TERM": "xterm-256color"]) == .trueColour)
        #expect(ColourDepth.detect(environment: ["TERM": "xterm-256color"]) == .ansi256)
        #expect(ColourDepth.detect(environment: ["TERM": "xterm"]) == .ansi8)
        #expect(ColourDepth.detect(environment: ["TERM": "xterm", "NO_COLOR": "1"]) == .none)
        #expect(ColourDepth.detect(environment: ["TERM": "dumb"]) == .none)
        let red = RGB(255, 0, 0)
        #expect(ColourDepth.trueColour.sgr(red) == "\u{1B}[38;2;255;0;0m")
        #expect(ColourDepth.ansi256.sgr(red, background: true) == "\u{1B}[48;5;196m")
        #expect(ColourDepth.ansi8.sgr(red) == "\u{1B}[31m")
        #expect(ColourDepth.none.paint("x", .error, in: .dark(name: "D")) == "x")
    }

    @Test("cycling wraps and selects by name")
    func cycling() throws {
        var cycle = try #require(ThemeCycle([.dark(name: "Dusk"), .light(name: "Dawn")], initial: "dawn"))
        #expect(cycle.current.name == "Dawn")
        let second = cycle.next()
        let third = cycle.next()
        #expect(second.name == "Dusk")
        #expect(third.name == "Dawn")
        let found = cycle.select("DUSK")
        #expect(found)
        #expect(cycle.current.name == "Dusk")
        let missing = cycle.select("Noon")
        #expect(!missing)
        #expect(cycle.current.name == "Dusk")
        #expect(ThemeCycle([]) == nil)
    }
}
