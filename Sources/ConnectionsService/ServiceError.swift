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
