import SpomTheme

/// A decoded key press (or a resize).
public enum Key: Hashable, Sendable, CustomStringConvertible {
    /// A printable character (`"j"`, `"?"`, `"区"`).
    case character(Character)
    /// Arrow up.
    case up
    /// Arrow down.
    case down
    /// Arrow left.
    case left
    /// Arrow right.
    case right
    /// Page Up.
    case pageUp
    /// Page Down.
    case pageDown
    /// Home.
    case home
    /// End.
    case end
    /// Insert.
    case insert
    /// Delete (forward).
    case delete
    /// Enter / Return.
    case enter
    /// Escape.
    case escape
    /// Tab.
    case tab
    /// Shift-Tab.
    case backTab
    /// Backspace.
    case backspace
    /// Function key F1...F12 (the number).
    case function(Int)
    /// Ctrl plus a letter (`.control("c")` is Ctrl-C), lowercase.
    case control(Character)
    /// The terminal changed size.
    case resize

    /// Ctrl-C.
    public static let controlC = Key.control("c")

    /// A readable name: `"j"`, `"Ctrl-C"`, `"PgDn"`, `"F1"`.
    public var description: String {
        switch self {
        case .character(let c): return String(c)
        case .up: return "Up"
        case .down: return "Down"
        case .left: return "Left"
        case .right: return "Right"
        case .pageUp: return "PgUp"
        case .pageDown: return "PgDn"
        case .home: return "Home"
        case .end: return "End"
        case .insert: return "Ins"
        case .delete: return "Del"
        case .enter: return "Enter"
        case .escape: return "Esc"
        case .tab: return "Tab"
        case .backTab: return "Shift-Tab"
        case .backspace: return "Backspace"
        case .function(let n): return "F\(n)"
        case .control(let c): return "Ctrl-\(String(c).uppercased())"
        case .resize: return "Resize"
        }
    }
}

/// ncurses key codes (the `KEY_*` constants of `<curses.h>`), so decoding is testable without a
/// terminal.
public enum CursesKeyCode {
    /// KEY_DOWN
    public static let down: UInt32 = 0o402
    /// KEY_UP
    public static let up: UInt32 = 0o403
    /// KEY_LEFT
    public static let left: UInt32 = 0o404
    /// KEY_RIGHT
    public static let right: UInt32 = 0o405
    /// KEY_HOME
    public static let home: UInt32 = 0o406
    /// KEY_BACKSPACE
    public static let backspace: UInt32 = 0o407
    /// KEY_F0 (F(n) is F0 + n)
    public static let f0: UInt32 = 0o410
    /// KEY_DC
    public static let delete: UInt32 = 0o512
    /// KEY_IC
    public static let insert: UInt32 = 0o513
    /// KEY_NPAGE
    public static let pageDown: UInt32 = 0o522
    /// KEY_PPAGE
    public static let pageUp: UInt32 = 0o523
    /// KEY_ENTER
    public static let enter: UInt32 = 0o527
    /// KEY_BTAB
    public static let backTab: UInt32 = 0o541
    /// KEY_END
    public static let end: UInt32 = 0o550
    /// KEY_RESIZE
    public static let resize: UInt32 = 0o632
}

/// Turns what `wget_wch` returns into a ``Key``.
public enum KeyDecoder {
    /// Decodes one `wget_wch` result: `isKeyCode` is true when it returned `KEY_CODE_YES`
    /// (a function key code), false for a character. Returns nil for codes with no meaning here.
    public static func decode(_ value: UInt32, isKeyCode: Bool) -> Key? {
        if isKeyCode {
            switch value {
            case CursesKeyCode.up: return .up
            case CursesKeyCode.down: return .down
            case CursesKeyCode.left: return .left
            case CursesKeyCode.right: return .right
            case CursesKeyCode.home: return .home
            case CursesKeyCode.end: return .end
            case CursesKeyCode.pageUp: return .pageUp
            case CursesKeyCode.pageDown: return .pageDown
            case CursesKeyCode.insert: return .insert
            case CursesKeyCode.delete: return .delete
            case CursesKeyCode.backspace: return .backspace
            case CursesKeyCode.enter: return .enter
            case CursesKeyCode.backTab: return .backTab
            case CursesKeyCode.resize: return .resize
            case (CursesKeyCode.f0 + 1)...(CursesKeyCode.f0 + 24): return .function(Int(value - CursesKeyCode.f0))
            default: return nil
            }
        }
        switch value {
        case 0x1B: return .escape
        case 0x09: return .tab
        case 0x0A, 0x0D: return .enter
        case 0x08, 0x7F: return .backspace
        case 0x01...0x1A:
            guard let scalar = Unicode.Scalar(value + 0x60) else { return nil }
            return .control(Character(scalar))
        case 0x00, 0x1C...0x1F: return nil
        default:
            guard let scalar = Unicode.Scalar(value) else { return nil }
            return .character(Character(scalar))
        }
    }
}

/// A scrolling or selection move, from the keys every list and text view share.
public enum ScrollCommand: Hashable, Sendable {
    /// Move by this many rows (negative is up).
    case by(Int)
    /// Move by this many pages (negative is up).
    case pages(Int)
    /// To the first row.
    case top
    /// To the last row.
    case bottom

    /// The shared key map: `j`/Down +1, `k`/Up -1, `J` +10, `K` -10, PgDn/PgUp one page,
    /// Home/`g` top, End/`G` bottom. Other keys give nil.
    public init?(key: Key, jump: Int = 10) {
        switch key {
        case .down, .character("j"): self = .by(1)
        case .up, .character("k"): self = .by(-1)
        case .character("J"): self = .by(jump)
        case .character("K"): self = .by(-jump)
        case .pageDown: self = .pages(1)
        case .pageUp: self = .pages(-1)
        case .home, .character("g"): self = .top
        case .end, .character("G"): self = .bottom
        default: return nil
        }
    }
}
