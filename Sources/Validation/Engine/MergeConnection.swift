import JSON

/// Builds the connection that a create or an update would store, with the top-level keys
/// in the canonical order API.md shows (`id` first when there is one).
enum MergeConnection {
    /// A create: the sent keys with the top-level defaults, `options` already filled.
    static func created(from body: JSONObject, options: JSONObject) -> JSONObject {
        var connection = MergeConnectionSlots(body)
        connection[.options] = .object(options)
        connection[.enabledClients] = .array(sortedClients(connection[.enabledClients]?.arrayValue ?? []))
        connection.setDefault(.isDomainConnection, .bool(false))
        connection[.realms] = realms(connection[.realms], name: connection[.name])
        connection.setDefault(.authentication, .object(["active": .bool(true)]))
        connection.setDefault(.connectedAccounts, .object(["active": .bool(false)]))
        return connection.object
    }

    /// An update: keys not sent keep their stored value, keys sent replace it; `options`
    /// is the already merged replacement, or `nil` when the body left options alone.
    static func updated(_ stored: JSONObject, with body: JSONObject, options: JSONObject?) -> JSONObject {
        var connection = MergeConnectionSlots(stored)
        for member in body.members {
            guard let key = MergeConnectionKey.named(member.key) else { continue }
            switch key {
            case .options:
                continue
            case .enabledClients:
                // OAS allows `null` here; it names no client list, so the stored one stays.
                if let clients = member.value.arrayValue { connection[key] = .array(sortedClients(clients)) }
            case .realms:
                connection[key] = realms(member.value, name: connection[.name])
            default:
                // Only `cross_app_access_resource_app` may be null here: null removes it.
                connection[key] = member.value.isNull ? nil : member.value
            }
        }
        if let options { connection[.options] = .object(options) }
        return connection.object
    }

    /// The connection with its keys in canonical order.
    static func canonical(_ connection: JSONObject) -> JSONObject {
        MergeConnectionSlots(connection).object
    }

    /// `realms` empty or absent → `[name]` (OAS `realms` description).
    private static func realms(_ sent: JSONValue?, name: JSONValue?) -> JSONValue {
        if let sent, let realms = sent.arrayValue, !realms.isEmpty { return sent }
        return .array(name.map { [$0] } ?? [])
    }

    /// Client ids sorted by their bytes and without repeats: the list mirrors the set kept
    /// by `/connections/{id}/clients`.
    static func sortedClients(_ clients: [JSONValue]) -> [JSONValue] {
        if clients.isEmpty { return clients }
        var ids = clients.compactMap(\.stringValue)
        ids.sort { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        var unique: [JSONValue] = []
        unique.reserveCapacity(ids.count)
        var previous: String?
        for id in ids where id != previous {
            unique.append(.string(id))
            previous = id
        }
        return unique
    }
}
