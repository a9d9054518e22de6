/// Builds the connection that a create or an update would store, with the top-level keys
/// in the canonical order API.md shows (`id` first when there is one).
enum MergeConnection {
    /// The canonical top-level order; keys outside it (none today) follow in their order.
    static let canonicalOrder = [
        "id", "name", "display_name", "strategy", "options", "enabled_clients", "is_domain_connection",
        "show_as_button", "realms", "metadata", "authentication", "connected_accounts",
        "cross_app_access_requesting_app", "cross_app_access_resource_app",
    ]

    /// A create: the sent keys with the top-level defaults, `options` already filled.
    static func created(from body: JSONObject, options: JSONObject) -> JSONObject {
        var connection = body
        connection["options"] = .object(options)
        connection["enabled_clients"] = .array(sortedClients(body["enabled_clients"]?.arrayValue ?? []))
        connection.setDefault("is_domain_connection", .bool(false))
        connection["realms"] = realms(body["realms"], name: body["name"])
        connection.setDefault("authentication", .object(["active": .bool(true)]))
        connection.setDefault("connected_accounts", .object(["active": .bool(false)]))
        return canonical(connection)
    }

    /// An update: keys not sent keep their stored value, keys sent replace it; `options`
    /// is the already merged replacement, or `nil` when the body left options alone.
    static func updated(_ stored: JSONObject, with body: JSONObject, options: JSONObject?) -> JSONObject {
        var connection = stored
        for member in body.members {
            switch member.key {
            case "options":
                continue
            case "enabled_clients":
                // OAS allows `null` here; it names no client list, so the stored one stays.
                if let clients = member.value.arrayValue { connection["enabled_clients"] = .array(sortedClients(clients)) }
            case "realms":
                connection["realms"] = realms(member.value, name: stored["name"])
            default:
                // Only `cross_app_access_resource_app` may be null here: null removes it.
                connection[member.key] = member.value.isNull ? nil : member.value
            }
        }
        if let options { connection["options"] = .object(options) }
        return canonical(connection)
    }

    /// `realms` empty or absent → `[name]` (OAS `realms` description).
    private static func realms(_ sent: JSONValue?, name: JSONValue?) -> JSONValue {
        if let sent, let realms = sent.arrayValue, !realms.isEmpty { return sent }
        return .array(name.map { [$0] } ?? [])
    }

    /// Client ids sorted by their bytes and without repeats: the list mirrors the set kept
    /// by `/connections/{id}/clients`.
    static func sortedClients(_ clients: [JSONValue]) -> [JSONValue] {
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

    static func canonical(_ connection: JSONObject) -> JSONObject {
        var members: [JSONObject.Member] = []
        members.reserveCapacity(connection.count)
        for key in canonicalOrder {
            if let value = connection[key] { members.append(JSONObject.Member(key: key, value: value)) }
        }
        if members.count < connection.count {
            for member in connection.members where !canonicalOrder.contains(member.key) { members.append(member) }
        }
        return JSONObject(members: members)
    }
}
