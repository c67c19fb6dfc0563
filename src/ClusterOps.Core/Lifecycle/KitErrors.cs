namespace ClusterOps.Core.Lifecycle;

/// <summary>Stable error ids of a start from a vendor kit directory (-DefinitionPath). Runbooks match on them.</summary>
public static class KitErrors
{
    /// <summary>-DefinitionPath names nothing.</summary>
    public const string DirectoryNotFound = "KitDirectoryNotFound";
    /// <summary>-DefinitionPath names a file, not the kit directory.</summary>
    public const string NotADirectory = "KitPathNotDirectory";
    /// <summary>A file or directory the kit's start script applies is absent.</summary>
    public const string FileMissing = "KitFileMissing";
    /// <summary>A kit file cannot be read (permissions, I/O).</summary>
    public const string FileUnreadable = "KitFileUnreadable";
    /// <summary>A kit file breaks an input bound (size, depth, node count, alias cycle, not a regular file).</summary>
    public const string InputRefused = "KitInputRefused";
    /// <summary>A kit manifest is not valid YAML.</summary>
    public const string YamlInvalid = "KitYamlInvalid";
    /// <summary>A kit manifest does not hold exactly the object the start script creates from it.</summary>
    public const string ObjectMismatch = "KitObjectMismatch";
    /// <summary>A StatefulSet's claim templates differ from the profile's, so its existing claims would not be reused.</summary>
    public const string ClaimTemplateMismatch = "KitClaimTemplateMismatch";
    /// <summary>A property file (*.json) is not valid JSON.</summary>
    public const string PropertyFileInvalid = "KitPropertyFileInvalid";
    /// <summary>A file name cannot be a Secret key.</summary>
    public const string SecretKeyInvalid = "KitSecretKeyInvalid";
    /// <summary>The files of one Secret exceed the API server's 1 MiB Secret limit.</summary>
    public const string SecretTooLarge = "KitSecretTooLarge";
    /// <summary>The kit was generated for more zones than -Zones.</summary>
    public const string ZoneCountMismatch = "KitZoneCountMismatch";
    /// <summary>The profile has no kit layout.</summary>
    public const string NotSupported = "KitNotSupported";
}
