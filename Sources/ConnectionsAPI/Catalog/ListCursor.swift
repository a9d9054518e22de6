import ConnectionsService

/// The opaque `next`/`from` checkpoint: the sort key of the last item returned. Paging
/// resumes strictly after it, so items that existed throughout are never skipped or
/// repeated, whatever is inserted or deleted meanwhile (API.md, GET /connections).
enum ListCursor {
    private static let separator: UInt8 = 0x1F  // never in a name (name pattern) or an id

    static func encode(_ key: CatalogSortKey) -> String {
        Base64URL.encode(Array(key.folded.utf8) + [separator] + Array(key.id.utf8))
    }

    static func decode(_ text: String) -> CatalogSortKey? {
        guard let bytes = Base64URL.decode(text), let split = bytes.firstIndex(of: separator) else { return nil }
        guard let folded = String(validating: bytes[..<split], as: UTF8.self),
            let id = String(validating: bytes[(split + 1)...], as: UTF8.self)
        else { return nil }
        return CatalogSortKey(folded: folded, id: id)
    }
}
