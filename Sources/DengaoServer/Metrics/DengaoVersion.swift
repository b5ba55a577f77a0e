/// The version this build of Dengao reports (`dengao_build_info`); raised with each release.
public enum DengaoVersion {
    public static let current = "0.1.0-dev"
}
