/// Auth0's strategy names, from the OpenAPI document in `conformance/`.
public enum StrategyNames {
    /// `ConnectionIdentityProviderEnum`: what `POST /connections` accepts, in the document's order.
    public static let identityProviders: [String] = [
        "ad", "adfs", "amazon", "apple", "dropbox", "bitbucket", "auth0-oidc", "auth0", "baidu", "bitly",
        "box", "custom", "daccount", "dwolla", "email", "evernote-sandbox", "evernote", "exact", "facebook",
        "fitbit", "github", "google-apps", "google-oauth2", "instagram", "ip", "line", "linkedin", "oauth1",
        "oauth2", "office365", "oidc", "okta", "paypal", "paypal-sandbox", "pingfederate", "planningcenter",
        "salesforce-community", "salesforce-sandbox", "salesforce", "samlp", "sharepoint", "shopify", "shop",
        "sms", "soundcloud", "thirtysevensignals", "twitter", "untappd", "vkontakte", "waad", "weibo",
        "windowslive", "wordpress", "yahoo", "yandex",
    ]

    /// `ConnectionStrategyEnum`: what the `strategy` list filter accepts (adds `auth0-adldap`).
    public static let all: Set<String> = Set(identityProviders + ["auth0-adldap"])

    /// Fast membership for the create schema.
    public static let identityProviderSet: Set<String> = Set(identityProviders)
}
