namespace ClusterOps.Kubernetes.Config;

/// <summary>
/// What configuration loading reads from the process: environment variables, the home directory and the
/// in-cluster service-account folder. Injectable so tests never depend on the machine they run on.
/// </summary>
public sealed class KubeEnvironment
{
    public const string DefaultServiceAccountRoot = "/var/run/secrets/kubernetes.io/serviceaccount";

    public KubeEnvironment(
        Func<string, string?>? getVariable = null,
        string? homeDirectory = null,
        string? serviceAccountRoot = null)
    {
        GetVariable = getVariable ?? Environment.GetEnvironmentVariable;
        HomeDirectory = homeDirectory ?? DefaultHome(GetVariable);
        ServiceAccountRoot = serviceAccountRoot ?? DefaultServiceAccountRoot;
    }

    /// <summary>The real process environment.</summary>
    public static KubeEnvironment Process { get; } = new();

    public Func<string, string?> GetVariable { get; }
    public string? HomeDirectory { get; }
    public string ServiceAccountRoot { get; }

    /// <summary>$HOME/.kube/config (USERPROFILE on Windows when HOME is unset), as kubectl.</summary>
    public string? DefaultKubeConfigPath =>
        string.IsNullOrEmpty(HomeDirectory) ? null : Path.Combine(HomeDirectory, ".kube", "config");

    private static string? DefaultHome(Func<string, string?> env)
    {
        var home = env("HOME");
        if (!string.IsNullOrEmpty(home))
            return home;
        var profile = env("USERPROFILE");
        if (!string.IsNullOrEmpty(profile))
            return profile;
        var folder = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        return string.IsNullOrEmpty(folder) ? null : folder;
    }
}
