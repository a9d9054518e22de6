/// A PostgreSQL connection URL (`postgres://…` or `postgresql://…`, libpq syntax,
/// https://www.postgresql.org/docs/15/libpq-connect.html#LIBPQ-CONNSTRING).
public enum PostgresURL {
    /// Whether `--db` names PostgreSQL rather than a SQLite file.
    public static func isPostgres(_ location: String) -> Bool {
        location.hasPrefix("postgres://") || location.hasPrefix("postgresql://")
    }

    /// The URL as it may be shown: any password replaced by `***` (API.md: a URL in any
    /// output never shows its password), in the user info and in a `password=` parameter.
    public static func redacted(_ url: String) -> String {
        guard let scheme = url.firstRange(ofBytes: "://") else { return url }
        var rest = Substring(url[scheme.upperBound...])
        var head = String(url[..<scheme.upperBound])
        let authorityEnd = rest.firstIndex { $0 == "/" || $0 == "?" } ?? rest.endIndex
        let authority = rest[..<authorityEnd]
        if let at = authority.lastIndex(of: "@") {
            let userInfo = authority[..<at]
            if let colon = userInfo.firstIndex(of: ":") {
                head += userInfo[..<colon] + ":***"
            } else {
                head += userInfo
            }
            head += "@"
            rest = rest[rest.index(after: at)...]
        }
        var result = head
        var remaining = rest
        // password=… among the query parameters
        while let range = remaining.firstRange(ofBytes: "password=") {
            let before = remaining[..<range.lowerBound]
            let isParameter = before.last == "?" || before.last == "&"
            result += remaining[..<range.upperBound]
            remaining = remaining[range.upperBound...]
            if isParameter {
                let end = remaining.firstIndex(of: "&") ?? remaining.endIndex
                result += "***"
                remaining = remaining[end...]
            }
        }
        return result + remaining
    }
}

extension StringProtocol {
    /// The first range of `part` in the text, by UTF-8 bytes (this target imports no string
    /// processing module, which has `range(of:)`).
    func firstRange(ofBytes part: String) -> Range<Index>? {
        let needle = Array(part.utf8)
        guard !needle.isEmpty else { return nil }
        var start = utf8.startIndex
        while start != utf8.endIndex {
            var probe = start
            var matched = 0
            while matched < needle.count, probe != utf8.endIndex, utf8[probe] == needle[matched] {
                probe = utf8.index(after: probe)
                matched += 1
            }
            if matched == needle.count { return start..<probe }
            start = utf8.index(after: start)
        }
        return nil
    }

    func includes(_ part: String) -> Bool { firstRange(ofBytes: part) != nil }
}
