/// `options.attributes` of strategy `auth0`: flexible identifiers (OAS `ConnectionAttributes`).
enum AttributeSchemas {
    static let names = ["email", "phone_number", "username"]

    static let attributes = Schema.object(
        "Attribute configuration",
        [
            SchemaProperty("email", email),
            SchemaProperty("phone_number", phoneNumber),
            SchemaProperty("username", username),
        ],
        minProperties: 1)

    private static let email = Schema.object(
        "Configuration for the email attribute for users.",
        [
            SchemaProperty("identifier", identifier(methods: ["password", "email_otp"], of: "email")),
            SchemaProperty("unique", .boolean("Determines if the attribute is unique in a given connection")),
            SchemaProperty("profile_required", profileRequired),
            SchemaProperty(
                "verification_method",
                .string("How the email address is verified: link or otp", oneOf: ["link", "otp"])),
            SchemaProperty("signup", signup(verification: true)),
        ])

    private static let phoneNumber = Schema.object(
        "Configuration for the phone number attribute for users.",
        [
            SchemaProperty("identifier", identifier(methods: ["password", "phone_otp"], of: "phone_number")),
            SchemaProperty("profile_required", profileRequired),
            SchemaProperty("signup", signup(verification: true)),
        ])

    private static let username = Schema.object(
        "Configuration for the username attribute for users.",
        [
            SchemaProperty("identifier", identifier(methods: ["password"], of: "username")),
            SchemaProperty("profile_required", profileRequired),
            SchemaProperty("signup", signup(verification: false)),
            SchemaProperty("validation", usernameValidation),
        ])

    private static let profileRequired = Schema.boolean("Determines if property should be required for users")

    private static func identifier(methods: [String], of attribute: String) -> Schema {
        .object(
            "Whether and how the \(attribute) attribute identifies users",
            [
                SchemaProperty("active", .boolean("Determines if the attribute is used for identification")),
                SchemaProperty(
                    "default_method",
                    .string("Default authentication method for \(attribute) identifier", oneOf: methods)),
            ])
    }

    private static func signup(verification: Bool) -> Schema {
        var properties = [
            SchemaProperty(
                "status",
                .string(
                    "Whether sign-up asks for the attribute: required, optional or inactive", oneOf: ["required", "optional", "inactive"]))
        ]
        if verification {
            properties.append(
                SchemaProperty(
                    "verification",
                    .object(
                        "Whether the attribute is verified on sign-up",
                        [SchemaProperty("active", .boolean("Whether the attribute is verified on sign-up"))])))
        }
        return .object("Sign-up settings of the attribute", properties)
    }

    private static let usernameValidation = Schema.object(
        "Username validation rules",
        [
            SchemaProperty("min_length", .number("Minimum allowed length", minimum: 1, maximum: 128)),
            SchemaProperty("max_length", .number("Maximum allowed length", minimum: 1, maximum: 128)),
            SchemaProperty(
                "allowed_types",
                .object(
                    "Which other identifier formats a username may take",
                    [
                        SchemaProperty("email", .boolean("Whether a username may look like an email address")),
                        SchemaProperty("phone_number", .boolean("Whether a username may look like a phone number")),
                    ])),
        ])
}
