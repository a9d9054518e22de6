import ConnectionsService
import HTTP

/// `ETag`, `If-Match` and `If-None-Match` (RFC 9110 §8.8.3, §13.1.1, §13.1.2). A connection's
/// entity tag is its current revision number, strong: `"4"`.
enum EntityTags {
    /// The `ETag` field of a connection.
    static func header(_ entry: CatalogEntry) -> (String, String) {
        ("ETag", entry.etag)
    }

    /// A parsed precondition field: `*`, or its entity tags.
    enum Field: Equatable {
        case any
        case tags([(weak: Bool, opaque: String)])

        static func == (lhs: Field, rhs: Field) -> Bool {
            switch (lhs, rhs) {
            case (.any, .any): return true
            case (.tags(let a), .tags(let b)): return a.elementsEqual(b) { $0.weak == $1.weak && $0.opaque == $1.opaque }
            default: return false
            }
        }
    }

    /// `If-Match` as the service checks it: strong comparison, so weak tags and tags that are
    /// not revision numbers match nothing. `nil` when absent; 400 `invalid_headers` when the
    /// field is not `*` or a list of entity tags.
    static func ifMatch(_ headers: HTTPHeaders) throws(APIError) -> IfMatch? {
        guard let field = try parse(headers, "If-Match") else { return nil }
        switch field {
        case .any: return .any
        case .tags(let tags): return .revisions(tags.compactMap { $0.weak ? nil : revision($0.opaque) })
        }
    }

    /// Whether `If-None-Match` names the connection's current revision (weak comparison, as
    /// RFC 9110 §13.1.2 says): the GET is then answered 304.
    static func noneMatchHolds(_ headers: HTTPHeaders, revision current: Int) throws(APIError) -> Bool {
        guard let field = try parse(headers, "If-None-Match") else { return false }
        switch field {
        case .any: return true
        case .tags(let tags): return tags.contains { revision($0.opaque) == current }
        }
    }

    private static func revision(_ opaque: String) -> Int? {
        guard !opaque.isEmpty, opaque.utf8.count <= 18, opaque.utf8.allSatisfy({ (0x30...0x39).contains($0) }) else { return nil }
        return Int(opaque)
    }

    /// Every field line of `name` joined as one list (RFC 9110 §5.3); `nil` when absent.
    static func parse(_ headers: HTTPHeaders, _ name: String) throws(APIError) -> Field? {
        // Most requests have no such field: one scan, no allocation.
        guard headers.contains(name) else { return nil }
        let lines = headers.values(for: name)
        guard !lines.isEmpty else { return nil }
        let value = lines.joined(separator: ",")
        if value.utf8.elementsEqual("*".utf8) { return .any }
        var tags: [(weak: Bool, opaque: String)] = []
        var bytes = Array(value.utf8)[...]
        func skipSpaces() {
            while let first = bytes.first, first == UInt8(ascii: " ") || first == UInt8(ascii: "\t") { bytes.removeFirst() }
        }
        while true {
            skipSpaces()
            // Empty list elements are allowed (`a, , b`), an empty field is not.
            if bytes.first == UInt8(ascii: ",") {
                bytes.removeFirst()
                continue
            }
            if bytes.isEmpty { break }
            var weak = false
            if bytes.starts(with: "W/".utf8) {
                weak = true
                bytes.removeFirst(2)
            }
            guard bytes.first == UInt8(ascii: "\"") else { throw APIError.invalidHeader(name) }
            bytes.removeFirst()
            // etagc = %x21 / %x23-7E / obs-text
            guard let close = bytes.firstIndex(of: UInt8(ascii: "\"")) else { throw APIError.invalidHeader(name) }
            let opaque = bytes[..<close]
            guard opaque.allSatisfy({ $0 == 0x21 || (0x23...0x7E).contains($0) || $0 >= 0x80 }) else {
                throw APIError.invalidHeader(name)
            }
            tags.append((weak, String(decoding: opaque, as: UTF8.self)))
            bytes = bytes[(close + 1)...]
            skipSpaces()
            guard bytes.isEmpty || bytes.first == UInt8(ascii: ",") else { throw APIError.invalidHeader(name) }
        }
        guard !tags.isEmpty else { throw APIError.invalidHeader(name) }
        return .tags(tags)
    }
}
