import Validation

/// Why a service job did not happen. Each is a domain outcome the API turns into its answer;
/// failures of the store itself are passed through as they are.
public enum ServiceError: Error, Sendable {
    /// No live connection with this id (or, for history, none ever).
    case connectionNotFound
    /// The connection has no revision with this number (never had, or pruned).
    case revisionNotFound
    /// Another connection has the name.
    case nameConflict
    /// The validation engine rejects the result; the judgement has every violation.
    case rejected(Judgement)
    /// `If-Match` names none of the connection's current revision; `nil` when the connection
    /// is not live.
    case preconditionFailed(currentRevision: Int?)
    /// The revision records a deletion: there is nothing to restore.
    case deletionNotRestorable(revision: Int)
}

/// Who made a write, as its revision records it.
public enum RevisionActor: Sendable, Equatable {
    case admin
    case client(id: String)

    /// The stored form: a client id, or `nil` for the admin token.
    var clientID: String? {
        if case .client(let id) = self { return id }
        return nil
    }
}

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

/// The connection a write left stored, and whether the write changed it (a write whose result
/// equals the stored connection appends no revision and leaves the entry as it was).
public struct WriteResult: Sendable {
    public let entry: CatalogEntry
    public let changed: Bool
}
