/// The connection a write left stored, and whether the write changed it (a write whose result
/// equals the stored connection appends no revision and leaves the entry as it was).
public struct WriteResult: Sendable {
    public let entry: CatalogEntry
    public let changed: Bool
}
