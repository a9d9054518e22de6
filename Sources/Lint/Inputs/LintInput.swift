import Validation

/// What reading one configuration input (a file or a deploy CLI directory) gave: the
/// connections to judge, the findings about the input itself (syntax, keywords, values
/// unknown at plan time), and the tenant settings it carries.
public struct LintInput {
    public var subjects: [LintSubject] = []
    public var findings: [LintFinding] = []
    /// `identifier_first` from the input's own prompt settings, if it has any.
    public var tenant: TenantSettings?
    /// The files read (a directory counts each file it holds).
    public var files = 1

    public init() {}
}
