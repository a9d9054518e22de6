import JSON

/// A read-only view of one attribute of `options.attributes` (`email`, `phone_number` or
/// `username`) with the judging-only defaults of RULES.md: an absent `identifier.active`,
/// `profile_required` or `signup.verification.active` counts as `false`, an absent
/// `signup.status` as `required`. Built in one pass over the attribute's members.
///
/// Only enums and booleans: rules copy it freely, and a trivially copyable value costs no
/// reference counting (`attributes.username.validation` lives on `EffectiveOptions`).
struct EffectiveAttribute: Sendable {
    let name: AttributeName
    let identifierActive: Bool
    /// `identifier.default_method` is present and not `null`.
    let hasDefaultMethod: Bool
    /// The method `identifier.default_method` names; `nil` when unset or not a method name.
    let defaultMethod: AuthenticationMethod?
    let profileRequired: Bool
    let signupStatus: SignupStatus
    let signupVerificationActive: Bool
    /// `unique` as sent, `nil` when absent (see `unique`).
    let uniqueValue: Bool?
    /// `verification_method` is `otp` as sent (not by default).
    let verificationMethodIsOTP: Bool

    init(name: AttributeName, object: JSONObject) {
        self.name = name
        var identifierActive = false
        var hasDefaultMethod = false
        var defaultMethod: AuthenticationMethod?
        var profileRequired = false
        var signupStatus = SignupStatus.required
        var verificationActive = false
        var unique: Bool?
        var isOTP = false
        for member in object {
            let key = member.key
            let value = member.value
            if key.isKey("identifier") {
                identifierActive = value["active"]?.boolValue == true
                if let method = value["default_method"], !method.isNull {
                    hasDefaultMethod = true
                    defaultMethod = method.stringValue.flatMap(AuthenticationMethod.init(rawValue:))
                }
            } else if key.isKey("profile_required") {
                profileRequired = value.boolValue == true
            } else if key.isKey("signup") {
                signupStatus = SignupStatus(value["status"])
                verificationActive = value["verification"]?["active"]?.boolValue == true
            } else if key.isKey("unique") {
                unique = value.boolValue
            } else if key.isKey("verification_method") {
                isOTP = value.stringValue == "otp"
            }
        }
        self.identifierActive = identifierActive
        self.hasDefaultMethod = hasDefaultMethod
        self.defaultMethod = defaultMethod
        self.profileRequired = profileRequired
        self.signupStatus = signupStatus
        self.signupVerificationActive = verificationActive
        self.uniqueValue = unique
        self.verificationMethodIsOTP = isOTP
    }

    /// `email.unique`, absent counting as `true` (the stored default, RULES.md "Typed options").
    var unique: Bool {
        uniqueValue ?? true
    }

    /// The effective `email.verification_method` is `link`: absent counts as `link`, the stored
    /// default.
    var verificationMethodIsLink: Bool {
        !verificationMethodIsOTP
    }
}
