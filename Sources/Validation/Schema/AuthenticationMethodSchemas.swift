/// `options.authentication_methods` and `options.passkey_options` of strategy `auth0`.
enum AuthenticationMethodSchemas {
    static let methodNames = ["password", "passkey", "email_otp", "phone_otp"]

    static let methods = Schema.object(
        "Options for enabling authentication methods.",
        [
            SchemaProperty(
                "password",
                .object(
                    "Password authentication enablement",
                    [
                        SchemaProperty("enabled", .boolean("Determines whether passwords are enabled")),
                        SchemaProperty(
                            "api_behavior",
                            .string(
                                "Specifies the API behavior for password authentication", oneOf: ["required", "optional"])),
                        SchemaProperty(
                            "signup_behavior",
                            .string("Specifies the signup behavior for password authentication", oneOf: ["allow", "block"])),
                    ])),
            SchemaProperty("passkey", enablement("Passkey authentication enablement", "Determines whether passkeys are enabled")),
            SchemaProperty(
                "email_otp", enablement("Email OTP authentication enablement", "Determines whether email OTP is enabled")),
            SchemaProperty(
                "phone_otp", enablement("Phone OTP authentication enablement", "Determines whether phone OTP is enabled")),
        ],
        nullable: true)

    static let passkeyOptions = Schema.object(
        "Options for the passkey authentication method",
        [
            SchemaProperty(
                "challenge_ui",
                .string(
                    "Controls the UI used to challenge the user for their passkey.", oneOf: ["both", "autofill", "button"])),
            SchemaProperty(
                "progressive_enrollment_enabled",
                .boolean("Enables or disables progressive enrollment of passkeys for the connection.")),
            SchemaProperty(
                "local_enrollment_enabled",
                .boolean(
                    "Enables or disables enrollment prompt for local passkey when user authenticates using a cross-device passkey for the connection."
                )),
        ],
        nullable: true)

    private static func enablement(_ description: String, _ enabled: String) -> Schema {
        .object(description, [SchemaProperty("enabled", .boolean(enabled))])
    }
}
