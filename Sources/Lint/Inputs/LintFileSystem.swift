/// The files `lint` may read beyond the ones named: a deploy CLI directory's. The command
/// gives the real file system; tests give files in memory. The Lint target does no I/O.
public protocol LintFileSystem {
    /// The whole contents of a regular file.
    func read(_ path: String) throws(LintInputError) -> [UInt8]
    /// True when `path` names a directory.
    func isDirectory(_ path: String) -> Bool
    /// The names of the entries of a directory (not `.` and `..`), sorted by their bytes.
    func entries(of directory: String) throws(LintInputError) -> [String]
}
