/// The version of this build of connections-api: what `--version` prints, what the SARIF
/// driver and `/metrics` report. It lives in the lowest target that all three can see.
public enum BuildVersion {
    /// Semantic version of the second edition while it is being built.
    public static let current = "2.0.0-dev"
}
