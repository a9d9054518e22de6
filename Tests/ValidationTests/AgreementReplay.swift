import JSON

@testable import Validation

/// Replays one recorded scenario through the judge, keeping the connection state the
/// history leaves: ours for connections the scenario created, the last recorded read for
/// connections that existed before it.
struct AgreementReplay {
    struct Outcome {
        /// What was checked, e.g. `auth0 PATCH 200`; `nil` when the case is only history.
        var kind: String?
        /// Why it does not agree; `nil` when it does.
        var problem: String?
    }

    let tenant: TenantSettings
    private var states: [String: JSONObject] = [:]

    init(tenant: TenantSettings) {
        self.tenant = tenant
    }

    mutating func apply(_ recorded: RecordedCase) -> Outcome {
        switch recorded.method {
        case "GET":
            remember(recorded.responseBody)
            return Outcome()
        case "DELETE":
            if let id = recorded.connectionID { states[id] = nil }
            return Outcome()
        case "POST":
            return create(recorded)
        case "PATCH" where recorded.isClientsRoute:
            applyClients(recorded)
            return Outcome()
        case "PATCH":
            return update(recorded)
        default:
            return Outcome()
        }
    }

    private mutating func create(_ recorded: RecordedCase) -> Outcome {
        guard let body = recorded.requestBody else { return Outcome() }
        let isDatabase = recorded.strategy == "auth0"
        let kind = "\(isDatabase ? "auth0" : "other") POST \(recorded.status)"
        let judgement = ConnectionJudge.judgeCreate(body, tenant: tenant)
        if recorded.status != 201 {
            return Outcome(kind: kind, problem: rejectionProblem(judgement, recorded))
        }
        guard let connection = judgement.connection, judgement.isValid else {
            return Outcome(kind: kind, problem: "rejected: \(judgement.firstError?.message ?? "no connection")")
        }
        guard let response = recorded.responseBody?.objectValue else { return Outcome(kind: kind) }
        if let id = response["id"]?.stringValue {
            var stored = connection
            stored["id"] = .string(id)
            states[id] = MergeConnection.canonical(stored)
        }
        let problem =
            isDatabase
            ? AgreementComparison.difference(ours: connection, recorded: response)
            : otherStrategyProblem(ours: connection, sent: body.objectValue ?? [:], recorded: response)
        return Outcome(kind: kind, problem: problem)
    }

    private mutating func update(_ recorded: RecordedCase) -> Outcome {
        guard let body = recorded.requestBody, let id = recorded.connectionID else { return Outcome() }
        let isDatabase = recorded.strategy == "auth0"
        let kind = "\(isDatabase ? "auth0" : "other") PATCH \(recorded.status)"
        guard let stored = states[id] else {
            return recorded.status == 404 ? Outcome() : Outcome(kind: kind, problem: "no stored state for \(id)")
        }
        let judgement = ConnectionJudge.judgeUpdate(body, stored: stored, tenant: tenant)
        if recorded.status != 200 {
            return Outcome(kind: kind, problem: rejectionProblem(judgement, recorded))
        }
        guard let connection = judgement.connection, judgement.isValid else {
            return Outcome(kind: kind, problem: "rejected: \(judgement.firstError?.message ?? "no connection")")
        }
        states[id] = connection
        guard let response = recorded.responseBody?.objectValue else { return Outcome(kind: kind) }
        let problem =
            isDatabase
            ? AgreementComparison.difference(ours: connection, recorded: response)
            : otherStrategyProblem(ours: connection, sent: body.objectValue ?? [:], recorded: response)
        return Outcome(kind: kind, problem: problem)
    }

    private func rejectionProblem(_ judgement: Judgement, _ recorded: RecordedCase) -> String? {
        let expected = recorded.responseBody?["message"]?.stringValue
        let expectedCode = recorded.responseBody?["errorCode"]?.stringValue
        guard let error = judgement.firstError else { return "accepted, Auth0 answered \(expected ?? "?")" }
        if error.message != expected { return "first error \(error.message), Auth0 answered \(expected ?? "?")" }
        if error.errorCode != expectedCode { return "errorCode \(error.errorCode), Auth0 answered \(expectedCode ?? "?")" }
        return nil
    }

    /// Other strategies: every key sent comes back as sent; `name`, `strategy`,
    /// `is_domain_connection`, `realms` and `enabled_clients` as recorded (README).
    private func otherStrategyProblem(ours: JSONObject, sent: JSONObject, recorded: JSONObject) -> String? {
        for member in sent.members where member.key != "enabled_clients" && member.key != "realms" {
            // A PATCH with null removes the key, as the recorded response shows.
            if member.value.isNull {
                if ours[member.key] != nil, member.key != "options" { return "\(member.key) kept after null" }
                continue
            }
            guard let value = ours[member.key], JSONValue.sameValue(value, member.value) || member.key == "options" else {
                return "\(member.key) not echoed as sent"
            }
        }
        if let options = sent["options"]?.objectValue, let stored = ours["options"]?.objectValue {
            for member in options.members where stored[member.key].map({ !JSONValue.sameValue($0, member.value) }) ?? true {
                return "options.\(member.key) not echoed as sent"
            }
        }
        for key in ["name", "strategy", "is_domain_connection", "realms"] {
            if let theirs = recorded[key], let mine = ours[key], !JSONValue.sameValue(theirs, mine) {
                return "\(key): ours \(JSONWriter.string(mine)), recorded \(JSONWriter.string(theirs))"
            }
        }
        if let theirs = recorded["enabled_clients"]?.arrayValue, let mine = ours["enabled_clients"]?.arrayValue,
            MergeConnection.sortedClients(theirs) != mine
        {
            return "enabled_clients differ"
        }
        return nil
    }

    /// Remembers connections a read returned, for connections the scenario did not create.
    private mutating func remember(_ body: JSONValue?) {
        guard let body else { return }
        let connections: [JSONValue]
        if let list = body.arrayValue {
            connections = list
        } else if let list = body["connections"]?.arrayValue {
            connections = list
        } else {
            connections = [body]
        }
        for connection in connections {
            guard let object = connection.objectValue, let id = object["id"]?.stringValue,
                object["strategy"] != nil, object["options"] != nil
            else { continue }
            states[id] = object
        }
    }

    /// `PATCH /connections/{id}/clients`: `[{client_id, status}]` enables or disables clients.
    private mutating func applyClients(_ recorded: RecordedCase) {
        guard let id = recorded.connectionID, var state = states[id], let changes = recorded.requestBody?.arrayValue
        else { return }
        var clients = state["enabled_clients"]?.arrayValue ?? []
        for change in changes {
            guard let client = change["client_id"], let enabled = change["status"]?.boolValue else { continue }
            clients.removeAll { $0 == client }
            if enabled { clients.append(client) }
        }
        state["enabled_clients"] = .array(MergeConnection.sortedClients(clients))
        states[id] = state
    }
}
