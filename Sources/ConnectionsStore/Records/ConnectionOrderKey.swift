/// A position in list order (`name_key, id`, API.md): where a range of connections starts
/// or ends when they are loaded in parts.
struct ConnectionOrderKey: Sendable, Equatable {
    let nameKey: String
    let id: String

    /// Before every connection: names are never empty, and no text sorts before "".
    static let first = ConnectionOrderKey(nameKey: "", id: "")
}
