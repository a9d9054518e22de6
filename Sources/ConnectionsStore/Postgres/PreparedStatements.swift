import CPostgres

/// Which statement texts a PostgreSQL connection has prepared, and which to prepare next: the
/// bookkeeping behind `PostgresConnection.send` and `prepareWanted()`, kept apart from libpq so
/// that it can be tested without a server.
///
/// A text sent whole is noted (`wanted`); once its pipeline is over the connection prepares it
/// (`prepared(_:types:)` names it) and later sends run it by that name. A text runs by name only
/// with parameters typed as it was prepared; otherwise it is sent whole, and it is not prepared
/// again: a text keeps its one name for the life of the session.
struct PreparedStatements {
    /// The most texts one connection prepares; later ones are always sent whole.
    static let limit = 32
    /// Texts with nothing to plan.
    static let unprepared: Set<String> = ["BEGIN", "COMMIT", "ROLLBACK"]

    /// Texts prepared on the session, with their names and parameter types.
    private var names: [String: (name: String, types: [Oid])] = [:]
    /// Texts sent whole since the last `takeWanted()`, to prepare, with their parameter types.
    private(set) var wanted: [(sql: String, types: [Oid])] = []

    /// The name to run `sql` by with parameters of `types`, or `nil` to send it whole (then it
    /// is noted in `wanted` if it was never prepared and there is room).
    mutating func name(for sql: String, types: [Oid]) -> String? {
        if let statement = names[sql] {
            return Self.fits(types, statement.types) ? statement.name : nil
        }
        let room = names.count + wanted.count < Self.limit
        if room, !Self.unprepared.contains(sql), !wanted.contains(where: { $0.sql == sql }) { wanted.append((sql, types)) }
        return nil
    }

    /// The texts to prepare now; `wanted` is empty after.
    mutating func takeWanted() -> [(sql: String, types: [Oid])] {
        defer { wanted = [] }
        return wanted
    }

    /// The name to prepare `sql` under: unused on this session, since names are only added.
    var nextName: String { "s\(names.count + 1)" }

    /// Records that `sql` was prepared as `name` with parameters of `types`.
    mutating func prepared(_ sql: String, as name: String, types: [Oid]) {
        names[sql] = (name, types)
    }

    /// Forgets everything (the session ended).
    mutating func reset() { self = PreparedStatements() }

    /// Whether parameters of these types (0: a text or a NULL, the server infers the type) can
    /// run a statement prepared with `prepared`: the same count, and each typed one typed alike
    /// (a binary value bound where the statement inferred text would be misread).
    static func fits(_ types: [Oid], _ prepared: [Oid]) -> Bool {
        types.count == prepared.count && zip(types, prepared).allSatisfy { $0 == 0 || $0 == $1 }
    }
}
