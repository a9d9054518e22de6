import JSON

/// Rule 32: Cross App Access (requesting side) is not available on database connections.
enum CrossAppAccessRules {
    /// Rule 32. Auth0's message and errorCode.
    static let crossAppAccessUnsupported = Rule(
        id: "cross-app-access-unsupported",
        severity: .error,
        summary: "cross_app_access_requesting_app is not supported on strategy auth0",
        errorCode: "operation_not_supported",
        path: [.key("cross_app_access_requesting_app")],
        message: "Cross App Access Requesting App is not supported for this connection."
    ) { options in
        // This rule set judges auth0 connections; a connection without a strategy (a `lint`
        // file holding only part of one) is judged as one.
        (options.strategy ?? "auth0") == "auth0" && options.hasCrossAppAccessRequestingApp
    }
}
