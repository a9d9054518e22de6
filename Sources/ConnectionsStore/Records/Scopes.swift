/// Scopes are stored space-separated, the OAuth 2.0 `scope` format (RFC 6749 section 3.3).
enum Scopes {
    static func encode(_ scopes: [String]) -> String {
        scopes.joined(separator: " ")
    }

    static func decode(_ text: String) -> [String] {
        text.split(separator: " ").map(String.init)
    }
}
