/// The password policy options of strategy `auth0`: the legacy `passwordPolicy` family and
/// the newer `password_options` (OAS `ConnectionPasswordOptions`).
enum PasswordPolicySchemas {
    static let properties: [SchemaProperty] = [
        SchemaProperty(
            "passwordPolicy",
            .string("Password strength level", oneOf: ["none", "low", "fair", "good", "excellent"], nullable: true)),
        SchemaProperty(
            "password_complexity_options",
            .object(
                "Password complexity options",
                [SchemaProperty("min_length", .integer("Minimum password length", minimum: 1, maximum: 128))],
                nullable: true)),
        SchemaProperty(
            "password_history",
            .object(
                "Options for password history policy",
                [
                    SchemaProperty("enable", .boolean("Whether password history is enforced")),
                    SchemaProperty("size", .integer("Number of previous passwords to remember", minimum: 0, maximum: 24)),
                ],
                required: ["enable"], nullable: true)),
        SchemaProperty(
            "password_no_personal_info",
            .object(
                "Options for personal info in passwords policy",
                [SchemaProperty("enable", .boolean("Whether personal info is blocked in passwords"))],
                required: ["enable"], nullable: true)),
        SchemaProperty(
            "password_dictionary",
            .object(
                "Options for password dictionary policy",
                [
                    SchemaProperty("enable", .boolean("Whether the password dictionary is enforced")),
                    SchemaProperty(
                        "dictionary",
                        .array(
                            "Custom Password Dictionary. An array of up to 200 entries.",
                            of: .string("Custom Password Dictionary entry. 50 characters max.", maxLength: 50),
                            maxItems: 200)),
                ],
                required: ["enable"], nullable: true)),
        SchemaProperty("password_options", passwordOptions),
    ]

    private static let passwordOptions = Schema.object(
        "Password policy options for flexible password policy configuration",
        [
            SchemaProperty("complexity", complexity),
            SchemaProperty(
                "dictionary",
                .object(
                    "Dictionary-based password restriction policy to prevent common passwords",
                    [
                        SchemaProperty(
                            "active",
                            .boolean(
                                "Enables dictionary checking to prevent use of common passwords and custom blocked words")),
                        SchemaProperty(
                            "custom",
                            .array(
                                "Array of custom words to block in passwords. Maximum 200 items, each up to 50 characters",
                                of: .string("A custom word to block in passwords", maxLength: 50), maxItems: 200)),
                        SchemaProperty(
                            "default",
                            .string(
                                "Default dictionary to use for password validation. Options: \"en_10k\" (10,000 common words) or \"en_100k\" (100,000 common words)",
                                oneOf: ["en_10k", "en_100k"])),
                    ])),
            SchemaProperty(
                "history",
                .object(
                    "Password history policy configuration to prevent password reuse",
                    [
                        SchemaProperty(
                            "active",
                            .boolean("Enables password history checking to prevent users from reusing recent passwords")),
                        SchemaProperty(
                            "size",
                            .integer(
                                "Number of previous passwords to remember and prevent reuse (1-24)", minimum: 1, maximum: 24)),
                    ])),
            SchemaProperty(
                "profile_data",
                .object(
                    "Personal information restriction policy to prevent use of profile data in passwords",
                    [
                        SchemaProperty(
                            "active",
                            .boolean("Prevents users from including profile data (like name, email) in their passwords")),
                        SchemaProperty(
                            "blocked_fields",
                            .array(
                                "Blocked profile fields. An array of up to 12 entries.",
                                of: .string("Blocked profile fields entry. 100 characters max.", maxLength: 100),
                                maxItems: 12)),
                    ])),
        ])

    private static let complexity = Schema.object(
        "Password complexity requirements configuration",
        [
            SchemaProperty(
                "min_length", .integer("Minimum password length required (1-72 characters)", minimum: 1, maximum: 72)),
            SchemaProperty(
                "character_types",
                .array(
                    "Required character types that must be present in passwords. Valid options: uppercase, lowercase, number, special",
                    of: .string(
                        "A character type: uppercase, lowercase, number or special",
                        oneOf: ["uppercase", "lowercase", "number", "special"]))),
            SchemaProperty(
                "character_type_rule",
                .string(
                    "When enabled, passwords must contain at least 3 out of 4 character types. Can only be enabled when all 4 character types are specified",
                    oneOf: ["all", "three_of_four"])),
            SchemaProperty(
                "identical_characters",
                .string(
                    "Controls whether identical consecutive characters are allowed in passwords", oneOf: ["allow", "block"])),
            SchemaProperty(
                "sequential_characters",
                .string("Controls whether sequential characters are allowed in passwords", oneOf: ["allow", "block"])),
            SchemaProperty(
                "max_length_exceeded",
                .string(
                    "Controls whether passwords that exceed the maximum length are truncated or rejected",
                    oneOf: ["truncate", "error"])),
        ])
}
