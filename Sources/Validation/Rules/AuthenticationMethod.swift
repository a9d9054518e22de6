/// The keys of `options.authentication_methods`.
enum AuthenticationMethod: String, Sendable {
    case password
    case passkey
    case emailOTP = "email_otp"
    case phoneOTP = "phone_otp"

    /// The OTP methods in attribute order (`email_otp` for `email`, then `phone_otp`).
    static let otpMethods: [AuthenticationMethod] = [.emailOTP, .phoneOTP]

    /// The attribute whose users this OTP method signs in; `nil` for password and passkey.
    var attribute: AttributeName? {
        switch self {
        case .emailOTP: return .email
        case .phoneOTP: return .phoneNumber
        case .password, .passkey: return nil
        }
    }
}
