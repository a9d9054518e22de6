/// The three flexible-identifier attributes of `options.attributes`, in the order RULES.md
/// sorts violations by (`email`, `phone_number`, `username`).
enum AttributeName: String, Sendable {
    case email
    case phoneNumber = "phone_number"
    case username

    /// Judging order. A stored array: `CaseIterable.allCases` would build a new one per call.
    static let judgingOrder: [AttributeName] = [.email, .phoneNumber, .username]

    /// The one-time-password method that signs this attribute's users in without a
    /// password, if any (usernames have none).
    var otpMethod: AuthenticationMethod? {
        switch self {
        case .email: return .emailOTP
        case .phoneNumber: return .phoneOTP
        case .username: return nil
        }
    }
}
