using System.Security;
using ClusterOps.Core.Common;

namespace ClusterOps.Core.PersistentState;

/// <summary>Named directory lists for well-known images.</summary>
public enum PersistentStatePreset
{
    /// <summary>ONAP DCAE cm-container (Cloudify Manager), the list of start-persistent.sh at its last revision.</summary>
    CloudifyManager,
}

public static class PersistentStatePresets
{
    /// <summary>The default volume mount point of the cm-container image.</summary>
    public const string CloudifyManagerVolume = "/cfy-persist";

    // From onap/dcaegen2-deployments cm-container/scripts/start-persistent.sh at a4e03d8 (DCAEGEN2-2580): the
    // whole of /var/lib rather than the 2018 list, because postgres, rabbitmq and the REST service all keep state there.
    private static readonly string[] CloudifyManager =
    [
        "/var/lib",
        "/etc/cloudify",
        "/opt/cfy",
        "/opt/cloudify",
        "/opt/cloudify-stage",
        "/opt/manager",
        "/opt/mgmtworker",
        "/opt/restservice",
    ];

    public static IReadOnlyList<string> DirectoriesOf(PersistentStatePreset preset) => preset switch
    {
        PersistentStatePreset.CloudifyManager => CloudifyManager,
        _ => throw new ArgumentOutOfRangeException(nameof(preset), preset, "Unknown preset."),
    };

    /// <summary>
    /// The admin password step of a run: the CloudifyManager preset always has it (start-persistent.sh sets the password
    /// on first population, from $CMPASS, the secret file, or "admin"); an explicit list has it only when a password,
    /// a password file or the config path is named. Null: no password step.
    /// </summary>
    public static CloudifyAdminPasswordRequest? AdminPasswordFor(PersistentStatePreset? preset, SecureString? password, string? passwordPath, string? configPath)
    {
        if (password is not null && passwordPath is not null)
            throw new OperationException(PersistentStateErrors.ParameterConflict, FailureKind.InvalidArgument,
                "-AdminPassword and -AdminPasswordPath name two passwords; pass one of them.", null);
        if (preset != PersistentStatePreset.CloudifyManager && password is null && passwordPath is null && configPath is null)
            return null;
        return new CloudifyAdminPasswordRequest(configPath ?? CloudifyAdminPassword.DefaultConfigPath, password, passwordPath);
    }
}
