/// The legacy password-policy options that `password_options` replaces (RULES.md rule 28).
enum LegacyPasswordField: String, Sendable {
    case passwordPolicy
    case passwordComplexityOptions = "password_complexity_options"
    case passwordHistory = "password_history"
    case passwordNoPersonalInfo = "password_no_personal_info"
    case passwordDictionary = "password_dictionary"

    /// RULES.md's order, which messages list them in whatever the document order.
    static let messageOrder: [LegacyPasswordField] = [
        .passwordPolicy, .passwordComplexityOptions, .passwordHistory, .passwordNoPersonalInfo, .passwordDictionary,
    ]

    /// The field named `key`, matched without `init(rawValue:)`'s general string comparisons
    /// (most option keys are not legacy fields).
    init?(key: String) {
        if key.isKey("passwordPolicy") {
            self = .passwordPolicy
        } else if key.isKey("password_complexity_options") {
            self = .passwordComplexityOptions
        } else if key.isKey("password_history") {
            self = .passwordHistory
        } else if key.isKey("password_no_personal_info") {
            self = .passwordNoPersonalInfo
        } else if key.isKey("password_dictionary") {
            self = .passwordDictionary
        } else {
            return nil
        }
    }

    /// This field's bit in `EffectiveOptions.legacyPasswordFieldMask`.
    var bit: UInt8 {
        switch self {
        case .passwordPolicy: return 1 << 0
        case .passwordComplexityOptions: return 1 << 1
        case .passwordHistory: return 1 << 2
        case .passwordNoPersonalInfo: return 1 << 3
        case .passwordDictionary: return 1 << 4
        }
    }
}
