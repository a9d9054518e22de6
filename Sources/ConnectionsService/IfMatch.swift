/// An `If-Match` precondition (RFC 9110 §13.1.1, strong comparison): `*`, or the revision
/// numbers its strong entity tags name. Weak tags and tags that name no revision never match,
/// so they are not kept: `.revisions([])` fails against every connection.
public enum IfMatch: Sendable, Equatable {
    case any
    case revisions([Int])

    /// Whether a connection whose newest revision is `revision` passes; `live` is false for a
    /// deleted connection (matched by its delete revision, never by `*`).
    func matches(revision: Int, live: Bool) -> Bool {
        switch self {
        case .any: return live
        case .revisions(let numbers): return numbers.contains(revision)
        }
    }
}
