import SpomTheme
import Synchronization

/// A ``CellStyle`` in 12 bytes with no references, so that a ``Cell`` is trivially copyable:
/// clearing, copying and comparing a 200x60 grid then moves plain bytes instead of retaining and
/// releasing three strings per cell (a role name is a `String`). Roles and multi-scalar graphemes
/// are interned once per process in small tables (a dashboard uses a few dozen).
struct PackedStyle: Hashable, Sendable {
    /// Foreground (see ``PackedColor``).
    var foreground: UInt32
    /// Background (see ``PackedColor``).
    var background: UInt32
    /// ``TextAttributes`` raw bits.
    var attributes: UInt8

    init(_ style: CellStyle) {
        foreground = PackedColor.pack(style.foreground)
        background = PackedColor.pack(style.background)
        attributes = style.attributes.rawValue
    }

    /// The public form.
    var style: CellStyle {
        CellStyle(foreground: PackedColor.unpack(foreground), background: PackedColor.unpack(background),
                  attributes: TextAttributes(rawValue: attributes))
    }

    /// True when either colour is `.inherit` (the cell below decides it).
    var inherits: Bool { foreground == PackedColor.inherit || background == PackedColor.inherit }

    /// ``CellStyle/applied(over:)`` on packed styles.
    func applied(over below: PackedStyle) -> PackedStyle {
        var out = self
        if foreground == PackedColor.inherit { out.foreground = below.foreground }
        if background == PackedColor.inherit { out.background = below.background }
        return out
    }
}

/// A ``CellColor`` as one `UInt32`: the top byte is the case (0 inherit, 1 terminal default,
/// 2 role: the low 24 bits index the role table, 3 rgb: the low 24 bits are R, G, B).
enum PackedColor {
    static let inherit: UInt32 = 0
    static let terminalDefault: UInt32 = 1 << 24
    static let roleTag: UInt32 = 2 << 24
    static let rgbTag: UInt32 = 3 << 24

    static func pack(_ color: CellColor) -> UInt32 {
        switch color {
        case .inherit: inherit
        case .terminalDefault: terminalDefault
        case .role(let role): roleTag | Interned.roles.index(of: role)
        case .rgb(let c): rgbTag | UInt32(c.red) << 16 | UInt32(c.green) << 8 | UInt32(c.blue)
        }
    }

    static func unpack(_ raw: UInt32) -> CellColor {
        let payload = raw & 0xFF_FFFF
        switch raw & 0xFF00_0000 {
        case terminalDefault: return .terminalDefault
        case roleTag: return .role(Interned.roles.value(at: payload) ?? .text)
        case rgbTag: return .rgb(RGB(UInt8(payload >> 16 & 0xFF), UInt8(payload >> 8 & 0xFF), UInt8(payload & 0xFF)))
        default: return .inherit
        }
    }
}

/// A cell's character as one `UInt32`: a single Unicode scalar as itself; a cluster of several
/// scalars (an emoji with a variation selector, a letter with a combining mark) as an index into
/// the grapheme table with the top bit set.
enum PackedGlyph {
    static let internedBit: UInt32 = 1 << 31
    static let space = UInt32(0x20)

    static func pack(_ character: Character) -> UInt32 {
        let scalars = character.unicodeScalars
        if scalars.count == 1, let scalar = scalars.first { return scalar.value }
        return internedBit | Interned.graphemes.index(of: character)
    }

    static func unpack(_ raw: UInt32) -> Character {
        if raw & internedBit != 0 { return Interned.graphemes.value(at: raw & ~internedBit) ?? " " }
        return Unicode.Scalar(raw).map(Character.init) ?? "\u{FFFD}"
    }
}

/// The process-wide intern tables (append-only, behind a lock).
enum Interned {
    static let roles = InternTable<ThemeRole>()
    static let graphemes = InternTable<Character>()
}

/// An append-only table giving each distinct value a small index.
final class InternTable<Value: Hashable & Sendable>: Sendable {
    private struct Storage {
        var values: [Value] = []
        var indexes: [Value: UInt32] = [:]
    }
    private let storage = Mutex(Storage())

    /// The value's index, adding it when new (at most 2^24 values).
    func index(of value: Value) -> UInt32 {
        storage.withLock { s in
            if let index = s.indexes[value] { return index }
            let index = UInt32(min(s.values.count, 0xFF_FFFF))
            if s.values.count < 0xFF_FFFF {
                s.values.append(value)
                s.indexes[value] = index
            }
            return index
        }
    }

    /// The value at `index`, nil when there is none.
    func value(at index: UInt32) -> Value? {
        storage.withLock { s in Int(index) < s.values.count ? s.values[Int(index)] : nil }
    }
}
