import SpomTUI
import SpomTheme
import Testing

@Suite("Colour depth and approximation")
struct ColorTests {
    @Test func detectsDepthFromEnvironmentAndTerminal() {
        #expect(TerminalColorDepth.detect(environment: ["COLORTERM": "truecolor"], colors: 256, canChangeColor: true) == .trueColor)
        #expect(TerminalColorDepth.detect(environment: ["COLORTERM": "24bit"], colors: 256, canChangeColor: true) == .trueColor)
        #expect(TerminalColorDepth.detect(environment: ["COLORTERM": "truecolor"], colors: 256, canChangeColor: false) == .palette256)
        #expect(TerminalColorDepth.detect(environment: [:], colors: 256, canChangeColor: true) == .palette256)
        #expect(TerminalColorDepth.detect(environment: [:], colors: 1 << 24, canChangeColor: false) == .trueColor)
        #expect(TerminalColorDepth.detect(environment: [:], colors: 16, canChangeColor: false) == .ansi16)
        #expect(TerminalColorDepth.detect(environment: [:], colors: 8, canChangeColor: false) == .ansi8)
        #expect(TerminalColorDepth.detect(environment: [:], colors: 0, canChangeColor: false) == .monochrome)
        #expect(TerminalColorDepth.detect(environment: ["NO_COLOR": "1", "COLORTERM": "truecolor"], colors: 256, canChangeColor: true) == .monochrome)
        #expect(TerminalColorDepth.detect(environment: ["COLORTERM": "truecolor"], colors: 256, canChangeColor: true, preferred: .ansi8) == .ansi8)
        #expect(TerminalColorDepth.detect(environment: [:], colors: 8, canChangeColor: false, preferred: .trueColor) == .ansi8)
        #expect(TerminalColorDepth.parse("256") == .some(.palette256))
        #expect(TerminalColorDepth.parse("auto") == .some(nil))
        #expect(TerminalColorDepth.parse("bogus") == nil)
    }

    @Test func xterm256Approximation() {
        #expect(ColorApproximation.xterm256(RGB(0, 0, 0)) == 16)
        #expect(ColorApproximation.xterm256(RGB(255, 255, 255)) == 231)
        #expect(ColorApproximation.xterm256(RGB(255, 0, 0)) == 196)
        #expect(ColorApproximation.xterm256(RGB(95, 135, 175)) == 67)  // exact cube colour
        #expect(ColorApproximation.xterm256(RGB(128, 128, 128)) == 244)  // grey ramp beats the cube
        #expect(ColorApproximation.xterm256(RGB(138, 102, 255)) == 99)  // dark-theme violet -> 875fff
        #expect(ColorApproximation.rgb(ofXterm256: 99) == RGB(135, 95, 255))
        #expect(ColorApproximation.rgb(ofXterm256: 244) == RGB(128, 128, 128))
        // Every cube colour maps to itself.
        for index in 16...231 {
            #expect(ColorApproximation.xterm256(ColorApproximation.rgb(ofXterm256: UInt8(index))) == UInt8(index))
        }
    }

    @Test func eightAndSixteenColourFallbacksKeepTheHue() {
        #expect(ColorApproximation.ansi8(RGB(120, 255, 180)) == 2)  // mint -> green
        #expect(ColorApproximation.ansi8(RGB(255, 100, 120)) == 1)  // soft red -> red
        #expect(ColorApproximation.ansi8(RGB(255, 200, 100)) == 3)  // warm yellow -> yellow
        #expect(ColorApproximation.ansi8(RGB(138, 102, 255)) == 4)  // violet -> blue
        #expect(ColorApproximation.ansi8(RGB(0, 150, 200)) == 6)  // teal -> cyan
        #expect(ColorApproximation.ansi8(RGB(150, 150, 170)) == 7)  // light grey -> white
        #expect(ColorApproximation.ansi8(RGB(50, 60, 80)) == 0)  // navy text -> black
        #expect(ColorApproximation.ansi16(RGB(120, 255, 180)) == 10)  // bright green
        #expect(ColorApproximation.ansi16(RGB(0, 150, 200)) == 6)
        #expect(ColorApproximation.ansi16(RGB(100, 100, 100)) == 8)
        #expect(ColorApproximation.ansi16(RGB(250, 250, 252)) == 15)
    }

    @Test func mapperTrueColourUsesPaletteSlotsOnce() {
        var mapper = ColorMapper(depth: .trueColor, theme: darkTheme, paintsBackground: false, terminalColors: 256)
        let a = mapper.resolve(.role(.primary))
        let b = mapper.resolve(.role(.primary, .bold))
        #expect(a.foreground == 16)
        #expect(b.foreground == 16)
        #expect(a.background == -1)  // inherit -> terminal default
        let pending = mapper.takePendingSlotDefinitions()
        #expect(pending.count == 1)
        #expect(pending.first?.color == darkTheme[.primary])
        let value1 = mapper.takePendingSlotDefinitions()
        #expect(value1.isEmpty)
        let value2 = mapper.resolve(.role(.error))
        #expect(value2.foreground == 17)

        var direct = ColorMapper(depth: .trueColor, theme: darkTheme, paintsBackground: false, terminalColors: 1 << 24)
        let value3 = direct.resolve(.rgb(RGB(0x12, 0x34, 0x56)))
        #expect(value3.foreground == 0x123456)
        let value4 = direct.takePendingSlotDefinitions()
        #expect(value4.isEmpty)
    }

    @Test func mapperRunsOutOfSlotsInto256Colours() {
        var mapper = ColorMapper(depth: .trueColor, theme: darkTheme, paintsBackground: false, terminalColors: 18)
        let value5 = mapper.resolve(.rgb(RGB(1, 1, 1)))
        #expect(value5.foreground == 16)
        let value6 = mapper.resolve(.rgb(RGB(2, 2, 2)))
        #expect(value6.foreground == 17)
        let value7 = mapper.resolve(.rgb(RGB(255, 0, 0)))
        #expect(value7.foreground == 196)
    }

    @Test func lightPalettePaintsItsBackgroundDarkDoesNot() {
        var light = ColorMapper(depth: .palette256, theme: lightTheme, paintsBackground: true, terminalColors: 256)
        let screen = light.resolve(.screen)
        #expect(screen.background == Int(ColorApproximation.xterm256(lightTheme[.background])))
        #expect(screen.background != -1)
        var dark = ColorMapper(depth: .palette256, theme: darkTheme, paintsBackground: false, terminalColors: 256)
        let value8 = dark.resolve(.screen)
        #expect(value8.background == -1)
        let value9 = dark.resolve(CellStyle(background: .terminalDefault))
        #expect(value9.background == -1)
    }

    @Test func highlightBecomesReverseVideoAtLowDepths() {
        let selected = CellStyle(foreground: .role(.text), background: .role(.highlight), attributes: [.bold])
        var eight = ColorMapper(depth: .ansi8, theme: lightTheme, paintsBackground: true, terminalColors: 8)
        let resolved = eight.resolve(selected)
        #expect(resolved.attributes == [.bold, .reverse])
        #expect(resolved.background == 7)  // the light background, reversed into the text colour
        var mono = ColorMapper(depth: .monochrome, theme: darkTheme, paintsBackground: false, terminalColors: 0)
        let value10 = mono.resolve(selected)
        #expect(value10 == ResolvedStyle(foreground: -1, background: -1, attributes: [.bold, .reverse]))
        let value11 = mono.resolve(.role(.error))
        #expect(value11 == ResolvedStyle(foreground: -1, background: -1, attributes: []))
        var full = ColorMapper(depth: .palette256, theme: darkTheme, paintsBackground: false, terminalColors: 256)
        let value12 = full.resolve(selected)
        #expect(value12.attributes == [.bold])
    }

    @Test func paletteSwitchForgetsSlots() {
        var mapper = ColorMapper(depth: .trueColor, theme: darkTheme, paintsBackground: false, terminalColors: 256)
        _ = mapper.resolve(.role(.text))
        _ = mapper.resolve(.role(.muted))
        mapper.setTheme(lightTheme, paintsBackground: true)
        let value13 = mapper.resolve(.role(.text))
        #expect(value13.foreground == 16)
        let value14 = mapper.takePendingSlotDefinitions()
        #expect(value14.first?.color == lightTheme[.text])
        #expect(mapper.theme.name == "Light")
    }
}

let darkTheme = Theme.dark(name: "Dark")
let lightTheme = Theme.light(name: "Light")
