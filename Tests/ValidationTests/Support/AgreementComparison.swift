import JSON

@testable import Validation

/// Compares a judged connection with a recorded Auth0 response the way
/// `conformance/README.md` allows: ids removed, `options.configuration` values masked,
/// `enabled_clients` as a set, either password-policy default form, and keys Auth0 added
/// over time accepted where an older recording lacks them. Objects compare as key sets.
enum AgreementComparison {
    /// `nil` when they agree, else a description of the first difference.
    static func difference(ours: JSONObject, recorded: JSONObject) -> String? {
        var (ours, recorded) = (normalized(ours), normalized(recorded))
        reconcileLaterKeys(&ours, &recorded)
        reconcilePasswordPolicy(&ours, &recorded)
        return firstDifference(.object(ours), .object(recorded), path: [])
    }

    private static func normalized(_ connection: JSONObject) -> JSONObject {
        var connection = connection
        connection["id"] = nil
        if let clients = connection["enabled_clients"]?.arrayValue {
            connection["enabled_clients"] = .array(MergeConnection.sortedClients(clients))
        }
        if var options = connection["options"]?.objectValue {
            if let configuration = options["configuration"]?.objectValue {
                options["configuration"] = .object(
                    JSONObject(members: configuration.members.map { .init(key: $0.key, value: .string("<masked>")) }))
            }
            connection["options"] = .object(options)
        }
        return connection
    }

    /// `authentication`, `connected_accounts`, `passkey_options`, `api_behavior` and
    /// `signup_behavior` came later to Auth0: drop ours where the recording lacks them.
    /// An authentication method that is `{"enabled": false}` on one side and absent on the
    /// other is the same configuration (an absent method is disabled, RULES.md), and Auth0
    /// itself lists `email_otp`/`phone_otp` that way on some tenants and not on others.
    private static func reconcileLaterKeys(_ ours: inout JSONObject, _ recorded: inout JSONObject) {
        for key in ["authentication", "connected_accounts"] where recorded[key] == nil {
            ours[key] = nil
        }
        guard var options = ours["options"]?.objectValue,
            var recordedOptions = recorded["options"]?.objectValue
        else { return }
        if recordedOptions["passkey_options"] == nil { options["passkey_options"] = nil }
        if var methods = options["authentication_methods"]?.objectValue,
            var recordedMethods = recordedOptions["authentication_methods"]?.objectValue
        {
            let disabled: JSONValue = .object(["enabled": .bool(false)])
            for name in AuthenticationMethodSchemas.methodNames {
                if methods[name] == disabled && recordedMethods[name] == nil { methods[name] = nil }
                if recordedMethods[name] == disabled && methods[name] == nil { recordedMethods[name] = nil }
            }
            if var password = methods["password"]?.objectValue,
                let recordedPassword = recordedMethods["password"]?.objectValue
            {
                for key in ["api_behavior", "signup_behavior"] where recordedPassword[key] == nil {
                    password[key] = nil
                }
                methods["password"] = .object(password)
            }
            options["authentication_methods"] = .object(methods)
            recordedOptions["authentication_methods"] = .object(recordedMethods)
        }
        ours["options"] = .object(options)
        recorded["options"] = .object(recordedOptions)
    }

    /// The 2026 default change: `passwordPolicy: "good"` on older tenants, a default-filled
    /// `password_options` on newer ones. Either side may show either form.
    private static func reconcilePasswordPolicy(_ ours: inout JSONObject, _ recorded: inout JSONObject) {
        guard var options = ours["options"]?.objectValue,
            var recordedOptions = recorded["options"]?.objectValue
        else { return }
        let defaultFilled = defaultPasswordOptions
        if options["password_options"] == nil,
            let theirs = recordedOptions["password_options"], JSONValue.sameValue(theirs, defaultFilled)
        {
            recordedOptions["password_options"] = nil
        }
        if options["passwordPolicy"] == .string("good"), recordedOptions["passwordPolicy"] == nil {
            options["passwordPolicy"] = nil
        }
        ours["options"] = .object(options)
        recorded["options"] = .object(recordedOptions)
    }

    static let defaultPasswordOptions: JSONValue = .object(DefaultsAuth0Options.filledPasswordOptions([:]))

    private static func firstDifference(_ a: JSONValue, _ b: JSONValue, path: [PathSegment]) -> String? {
        switch (a, b) {
        case (.object(let x), .object(let y)):
            for member in x.members {
                guard let other = y[member.key] else { return "\(path.appending(.key(member.key)).dottedPath): only ours has it" }
                if let found = firstDifference(member.value, other, path: path.appending(.key(member.key))) { return found }
            }
            for member in y.members where x[member.key] == nil {
                return "\(path.appending(.key(member.key)).dottedPath): only the recording has it"
            }
            return nil
        case (.array(let x), .array(let y)) where x.count == y.count:
            for index in x.indices {
                if let found = firstDifference(x[index], y[index], path: path.appending(.index(index))) { return found }
            }
            return nil
        default:
            if JSONValue.sameValue(a, b) { return nil }
            return "\(path.dottedPath): ours \(JSONWriter.string(a)), recorded \(JSONWriter.string(b))"
        }
    }
}

extension Array where Element == PathSegment {
    fileprivate func appending(_ segment: PathSegment) -> [PathSegment] {
        self + [segment]
    }
}
