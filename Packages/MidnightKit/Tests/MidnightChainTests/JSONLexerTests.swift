import MidnightChain
import Testing

@Suite("JSON lexer")
struct JSONLexerTests {
    /// Reads the JSON string at the start of `text`; returns it and where reading stopped.
    private func read(_ text: String) -> (value: String?, failure: JSONLexer.Failure?, end: Int) {
        Array(text.utf8).withUnsafeBytes { bytes in
            var index = 0
            do {
                let value = try JSONLexer.readString(bytes, &index)
                return (value, nil, index)
            } catch {
                return (nil, error as? JSONLexer.Failure, index)
            }
        }
    }

    @Test("plain strings take the fast path and stop after the closing quote")
    func plain() {
        let result = read(#""0xabc","next""#)
        #expect(result.value == "0xabc")
        #expect(result.end == 7)
    }

    @Test("every escape, surrogate pairs, and lone surrogates as U+FFFD")
    func escapes() {
        #expect(read(#""a\"b\\c\/d\b\f\n\r\t""#).value == "a\"b\\c/d\u{8}\u{C}\n\r\t")
        #expect(read(#""\u00e9\u20AC""#).value == "é€")
        #expect(read(#""\ud83d\ude00!""#).value == "😀!")
        #expect(read(#""\ud83dx""#).value == "\u{FFFD}x")
        // A high surrogate followed by an escape that is not a low surrogate: both decoded alone.
        #expect(read(#""\ud83d\u0041""#).value == "\u{FFFD}A")
        #expect(read("\"raw é\"").value == "raw é")
    }

    @Test("errors name the problem and the byte offset")
    func errors() {
        #expect(read(#""ab\qc""#).failure == JSONLexer.Failure(offset: 4, reason: "invalid escape"))
        #expect(read("\"a\u{1}b\"").failure == JSONLexer.Failure(offset: 2, reason: "control character in string"))
        #expect(read(#""abc"#).failure?.reason == "unterminated string")
        #expect(read(#""\u12"#).failure?.reason == "truncated \\u escape")
        #expect(read(#""\u12g4""#).failure == JSONLexer.Failure(offset: 5, reason: "invalid \\u escape"))
        #expect(read("abc").failure == JSONLexer.Failure(offset: 0, reason: "expected a string"))
    }

    @Test("whitespace skipping stops at the first other byte")
    func whitespace() {
        Array(" \t\r\n x".utf8).withUnsafeBytes { bytes in
            var index = 0
            JSONLexer.skipWhitespace(bytes, &index)
            #expect(index == 5)
        }
    }
}
