import Synchronization

/// The API identifier tokens are issued for (API.md, `/oauth/token`): `serve --audience URL`,
/// or the server's own `http://<host>:<port>/api/v2/`, known only once the port is bound.
final class TokenAudience: Sendable {
    private let identifier: Mutex<String?>

    /// `nil` until `useDefault(_:)`: the server's own URL is not known before it listens.
    init(configured: String?) {
        identifier = Mutex(configured)
    }

    /// Takes the server's own URL, unless an audience was configured.
    func useDefault(_ url: String) {
        identifier.withLock { identifier in
            if identifier == nil { identifier = url }
        }
    }

    /// Whether `requested` names this API; a trailing slash is optional on either side.
    func matches(_ requested: String) -> Bool {
        guard let identifier = identifier.withLock({ $0 }) else { return false }
        return Self.trimmed(identifier) == Self.trimmed(requested)
    }

    private static func trimmed(_ url: String) -> Substring {
        url.hasSuffix("/") ? url.dropLast() : url[...]
    }
}
