/// RFC 3339 / ISO 8601 text of a UTC instant with millisecond precision, e.g.
/// `2026-01-02T03:04:05.678Z`, computed arithmetically.
///
/// Foundation's `ISO8601DateFormatter` goes through ICU: the first call loads ICU's calendar,
/// time-zone and locale data (several MiB of resident memory in a daemon that otherwise never
/// needs ICU) and each call takes microseconds. Log lines and event payloads only ever need UTC,
/// so this converts days since the epoch to a civil date directly (Howard Hinnant's
/// `civil_from_days`, valid for the proleptic Gregorian calendar).
public enum UTCTimestamp {
    /// The text of `milliseconds` since the Unix epoch (negative values are before 1970).
    public static func rfc3339(milliseconds: Int64) -> String {
        let msPerDay: Int64 = 86_400_000
        var days = milliseconds / msPerDay
        var msOfDay = milliseconds % msPerDay
        if msOfDay < 0 {
            msOfDay += msPerDay
            days -= 1
        }
        let (year, month, day) = civil(fromDays: days)
        let seconds = msOfDay / 1000
        var text = ""
        text.reserveCapacity(24)
        pad(&text, year, 4)
        text.append("-")
        pad(&text, month, 2)
        text.append("-")
        pad(&text, day, 2)
        text.append("T")
        pad(&text, seconds / 3600, 2)
        text.append(":")
        pad(&text, (seconds / 60) % 60, 2)
        text.append(":")
        pad(&text, seconds % 60, 2)
        text.append(".")
        pad(&text, msOfDay % 1000, 3)
        text.append("Z")
        return text
    }

    /// The text of `milliseconds` since the Unix epoch.
    public static func rfc3339(milliseconds: UInt64) -> String {
        rfc3339(milliseconds: Int64(clamping: milliseconds))
    }

    /// Year, month (1-12) and day (1-31) of a count of days since 1970-01-01.
    static func civil(fromDays days: Int64) -> (Int64, Int64, Int64) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        return (year, month, day)
    }

    private static func pad(_ text: inout String, _ value: Int64, _ width: Int) {
        let digits = String(value)
        if digits.count < width { text.append(String(repeating: "0", count: width - digits.count)) }
        text.append(digits)
    }
}
