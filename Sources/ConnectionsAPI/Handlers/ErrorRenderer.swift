import ConnectionsService
import ConnectionsStore

/// The one place errors become responses. `APIError`s render themselves; the store's
/// name conflict is a 409 (decided by SQLite's constraint code in the store), a write the
/// store could not make durable a 503 (API.md, "Store failures"); anything
/// else is logged without detail that could hold secrets and answered with a plain 500.
enum ErrorRenderer {
    static func response(for error: any Error) -> HTTPResponse {
        if let error = error as? APIError { return error.response }
        if let error = error as? ServiceError { return APIError(error).response }
        if let error = error as? StoreError, case .nameConflict = error { return APIError.nameConflict.response }
        // The writer has logged the fault (file and cause) once; each request needs no line.
        if let error = error as? StoreError, case .unavailable = error { return APIError.storeUnavailable.response }
        Log.error("internal error: \(String(describing: type(of: error))): \(error)")
        return APIError.internalError.response
    }
}

extension APIError {
    /// The answer to a service job's domain error.
    init(_ error: ServiceError) {
        switch error {
        case .connectionNotFound: self = .connectionNotFound
        case .revisionNotFound: self = .revisionNotFound
        case .nameConflict: self = .nameConflict
        case .rejected(let judgement): self = .rejected(judgement)
        case .preconditionFailed(let revision): self = .preconditionFailed(currentRevision: revision)
        case .deletionNotRestorable(let revision): self = .deletionNotRestorable(revision)
        }
    }
}
