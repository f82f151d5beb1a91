/// The release version of x402-secure core.
///
/// The one place it is set is the repository's `VERSION` file; `scripts/version.py --set`
/// writes this copy (and those of the Python and Node packages), and `make test` runs
/// `scripts/version.py --verify`, which also checks `x402s_version_string()` and
/// `x402secure --version` of the built artifacts.
public enum X402SecureVersion {
    /// For example "0.1.0" (semantic versioning). NUL-terminated, static storage.
    public static let string: StaticString = "0.1.0"
}
