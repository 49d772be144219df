import SpomTheme

/// Copying text to the system clipboard through the terminal with OSC 52, which works over SSH
/// and in most modern terminals (and in tmux with `set-clipboard on`, or passthrough).
public enum Clipboard {
    /// Which clipboard to set.
    public enum Selection: String, Sendable {
        /// The system clipboard (`c`).
        case clipboard = "c"
        /// The primary selection (`p`).
        case primary = "p"
    }

    /// The escape sequence that sets the clipboard to `text`: `ESC ] 52 ; c ; <base64> BEL`.
    /// With `tmuxPassthrough` the sequence is wrapped for tmux's DCS passthrough
    /// (`ESC P tmux; … ESC \`, inner ESCs doubled) so it reaches the outer terminal.
    public static func osc52Sequence(for text: String, selection: Selection = .clipboard, tmuxPassthrough: Bool = false) -> String {
        let sequence = "\u{1B}]52;\(selection.rawValue);\(base64(Array(text.utf8)))\u{07}"
        guard tmuxPassthrough else { return sequence }
        return "\u{1B}Ptmux;" + sequence.replacingEscapes() + "\u{1B}\\"
    }

    /// True when the environment says we run inside tmux (`TMUX` set).
    public static func isInsideTmux(environment: [String: String]) -> Bool {
        !(environment["TMUX"] ?? "").isEmpty
    }

    /// Standard base64 (RFC 4648, with padding).
    public static func base64(_ bytes: [UInt8]) -> String {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
        var out: [UInt8] = []
        out.reserveCapacity((bytes.count + 2) / 3 * 4)
        var index = 0
        while index + 3 <= bytes.count {
            let n = UInt32(bytes[index]) << 16 | UInt32(bytes[index + 1]) << 8 | UInt32(bytes[index + 2])
            out.append(alphabet[Int(n >> 18 & 63)])
            out.append(alphabet[Int(n >> 12 & 63)])
            out.append(alphabet[Int(n >> 6 & 63)])
            out.append(alphabet[Int(n & 63)])
            index += 3
        }
        let rest = bytes.count - index
        if rest > 0 {
            var n = UInt32(bytes[index]) << 16
            if rest == 2 { n |= UInt32(bytes[index + 1]) << 8 }
            out.append(alphabet[Int(n >> 18 & 63)])
            out.append(alphabet[Int(n >> 12 & 63)])
            out.append(rest == 2 ? alphabet[Int(n >> 6 & 63)] : UInt8(ascii: "="))
            out.append(UInt8(ascii: "="))
        }
        return String(decoding: out, as: UTF8.self)
    }
}

extension String {
    fileprivate func replacingEscapes() -> String {
        var out = ""
        for scalar in unicodeScalars {
            if scalar == "\u{1B}" { out.unicodeScalars.append(scalar) }
            out.unicodeScalars.append(scalar)
        }
        return out
    }
}
