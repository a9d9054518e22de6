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
