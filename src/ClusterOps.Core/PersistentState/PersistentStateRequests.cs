using System.Security;

namespace ClusterOps.Core.PersistentState;

/// <param name="Path">Where the persistent volume is mounted (absolute).</param>
/// <param name="Directories">The image's state directories (absolute, not nested).</param>
/// <param name="PassThru">Write one <see cref="PersistentStateResult"/> per directory to the pipeline.</param>
/// <param name="ReplaceUnrecorded">Move a copy on the volume that no marker records to .clusterops-superseded and copy
/// the image's directory instead. Off by default: start-persistent.sh treats a non-empty volume as populated, so such a
/// copy is Cloudify's real state and is adopted as it is. Each replacement is confirmed at high impact.</param>
/// <param name="AllowMissingDirectory">Warn about a listed directory that neither the image nor the volume has, and go
/// on. Off by default: start-persistent.sh stops there (set -e), and so do we, before any change.</param>
/// <param name="AdminPassword">The first-population admin password step of start-persistent.sh; null: no such step.</param>
public sealed record InitializePersistentStateRequest(
    string Path,
    IReadOnlyList<string> Directories,
    bool PassThru = false,
    bool ReplaceUnrecorded = false,
    bool AllowMissingDirectory = false,
    CloudifyAdminPasswordRequest? AdminPassword = null);

/// <summary>
/// Where Cloudify's admin_password comes from and where it goes. start-persistent.sh takes $CMPASS, else the file
/// /opt/onap/cm-secrets/password, else "admin"; an explicit <see cref="Password"/> or <see cref="PasswordPath"/> wins.
/// </summary>
/// <param name="ConfigPath">The file whose admin_password line is set (the script's target, /etc/cloudify/config.yaml).</param>
/// <param name="Password">An explicit password; never copied into a string.</param>
/// <param name="PasswordPath">A file holding the password (a mounted secret); trailing newlines are dropped, as $(cat) does.</param>
/// <param name="UseDefaults">Fall back to $CMPASS, <see cref="DefaultSecretPath"/>, then "admin" (the preset's chain).</param>
/// <param name="DefaultSecretPath">The script's secret file; a parameter only so tests need not write to /opt.</param>
public sealed record CloudifyAdminPasswordRequest(
    string ConfigPath = CloudifyAdminPassword.DefaultConfigPath,
    SecureString? Password = null,
    string? PasswordPath = null,
    bool UseDefaults = true,
    string DefaultSecretPath = CloudifyAdminPassword.DefaultSecretPath);

public sealed record TestPersistentStateRequest(string Path, IReadOnlyList<string> Directories);

public sealed record RepairServiceAccountMountRequest(
    string Path = ServiceAccountMountRepairer.DefaultPath,
    string Source = ServiceAccountMountRepairer.DefaultSource);
