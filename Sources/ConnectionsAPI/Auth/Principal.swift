/// Who is calling: the admin token or a machine client, and what it may do.
struct Principal: Sendable {
    enum Subject: Sendable, Hashable {
        case admin
        case client(id: String)
    }

    let subject: Subject
    let scopes: Scopes

    static let admin = Principal(subject: .admin, scopes: .all)

    /// How log lines name the caller: `admin`, or the machine client's id.
    var logName: String {
        switch subject {
        case .admin: return "admin"
        case .client(let id): return id
        }
    }
}
