import SpomTUI
import Testing

@Suite("Keys and clipboard")
struct KeyAndClipboardTests {
    @Test func decodesCharactersAndControlKeys() {
        #expect(KeyDecoder.decode(UInt32(UInt8(ascii: "j")), isKeyCode: false) == .character("j"))
        #expect(KeyDecoder.decode(0x533A, isKeyCode: false) == .character("区"))
        #expect(KeyDecoder.decode(0x1B, isKeyCode: false) == .escape)
        #expect(KeyDecoder.decode(0x09, isKeyCode: false) == .tab)
        #expect(KeyDecoder.decode(0x0D, isKeyCode: false) == .enter)
        #expect(KeyDecoder.decode(0x0A, isKeyCode: false) == .enter)
        #expect(KeyDecoder.decode(0x7F, isKeyCode: false) == .backspace)
        #expect(KeyDecoder.decode(0x03, isKeyCode: false) == .controlC)
        #expect(KeyDecoder.decode(0x12, isKeyCode: false) == .control("r"))
        #expect(KeyDecoder.decode(0x00, isKeyCode: false) == nil)
    }

    @Test func decodesCursesKeyCodes() {
        #expect(KeyDecoder.decode(CursesKeyCode.up, isKeyCode: true) == .up)
        #expect(KeyDecoder.decode(CursesKeyCode.pageDown, isKeyCode: true) == .pageDown)
        #expect(KeyDecoder.decode(CursesKeyCode.pageUp, isKeyCode: true) == .pageUp)
        #expect(KeyDecoder.decode(CursesKeyCode.home, isKeyCode: true) == .home)
        #expect(KeyDecoder.decode(CursesKeyCode.end, isKeyCode: true) == .end)
        #expect(KeyDecoder.decode(CursesKeyCode.backTab, isKeyCode: true) == .backTab)
        #expect(KeyDecoder.decode(CursesKeyCode.resize, isKeyCode: true) == .resize)
        #expect(KeyDecoder.decode(CursesKeyCode.f0 + 1, isKeyCode: true) == .function(1))
        #expect(KeyDecoder.decode(CursesKeyCode.enter, isKeyCode: true) == .enter)
        #expect(KeyDecoder.decode(0o777, isKeyCode: true) == nil)
        // A key code is not the character with the same number.
        #expect(KeyDecoder.decode(CursesKeyCode.up, isKeyCode: false) == .character("ă"))
    }

    @Test func sharedScrollKeys() {
        #expect(ScrollCommand(key: .character("j")) == .by(1))
        #expect(ScrollCommand(key: .up) == .by(-1))
        #expect(ScrollCommand(key: .character("J")) == .by(10))
        #expect(ScrollCommand(key: .character("K")) == .by(-10))
        #expect(ScrollCommand(key: .pageDown) == .pages(1))
        #expect(ScrollCommand(key: .home) == .top)
        #expect(ScrollCommand(key: .character("G")) == .bottom)
        #expect(ScrollCommand(key: .enter) == nil)
        #expect(Key.controlC.description == "Ctrl-C")
        #expect(Key.function(1).description == "F1")
    }

    @Test func osc52SequenceCarriesBase64() {
        #expect(Clipboard.base64(Array("".utf8)) == "")
        #expect(Clipboard.base64(Array("f".utf8)) == "Zg==")
        #expect(Clipboard.base64(Array("fo".utf8)) == "Zm8=")
        #expect(Clipboard.base64(Array("foo".utf8)) == "Zm9v")
        #expect(Clipboard.base64(Array("foobar".utf8)) == "Zm9vYmFy")
        #expect(Clipboard.base64(Array("区".utf8)) == "5Yy6")
        let hash = "0x3f2a"
        #expect(Clipboard.osc52Sequence(for: hash) == "\u{1B}]52;c;MHgzZjJh\u{07}")
        #expect(Clipboard.osc52Sequence(for: hash, selection: .primary) == "\u{1B}]52;p;MHgzZjJh\u{07}")
        #expect(Clipboard.osc52Sequence(for: hash, tmuxPassthrough: true) == "\u{1B}Ptmux;\u{1B}\u{1B}]52;c;MHgzZjJh\u{07}\u{1B}\\")
        #expect(Clipboard.isInsideTmux(environment: ["TMUX": "/tmp/tmux-0/default,1,0"]))
        #expect(!Clipboard.isInsideTmux(environment: [:]))
    }
}
