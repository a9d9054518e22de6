// PLACEHOLDER (being replaced by the validation engine work): signatures are final.

/// Judges connection bodies: schema, default filling, then the rules.
public enum ConnectionJudge {
    /// Judges a `POST /connections` body.
    public static func judgeCreate(_ body: JSONValue, tenant: TenantSettings) -> Judgement {
        Judgement(violations: [], connection: body.objectValue)
    }

    /// Judges a `PATCH /connections/{id}` body against the stored connection (which has `id`).
    public static func judgeUpdate(_ body: JSONValue, stored: JSONObject, tenant: TenantSettings) -> Judgement {
        var merged = stored
        for member in body.objectValue ?? JSONObject() { merged[member.key] = member.value }
        return Judgement(violations: [], connection: merged)
    }
}
