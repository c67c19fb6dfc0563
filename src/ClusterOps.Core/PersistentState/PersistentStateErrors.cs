namespace ClusterOps.Core.PersistentState;

/// <summary>
/// Stable ErrorIds of the PersistentState capability. Entrypoint scripts match on these, so never rename one.
/// </summary>
public static class PersistentStateErrors
{
    public const string UnsupportedPlatform = "PersistentStateUnsupportedPlatform";
    public const string PathNotAbsolute = "PersistentStatePathNotAbsolute";
    public const string PathIsFile = "PersistentStatePathIsFile";
    public const string NoDirectory = "PersistentStateNoDirectory";
    public const string DirectoryNotAbsolute = "PersistentStateDirectoryNotAbsolute";
    public const string DirectoryIsRoot = "PersistentStateDirectoryIsRoot";
    public const string DirectoriesOverlap = "PersistentStateDirectoriesOverlap";
    public const string DirectoryInsideVolume = "PersistentStateDirectoryInsideVolume";
    public const string VolumeInsideDirectory = "PersistentStateVolumeInsideDirectory";
    public const string MarkerInvalid = "PersistentStateMarkerInvalid";
    public const string MarkerUnsupported = "PersistentStateMarkerUnsupported";
    public const string StepFailed = "PersistentStateStepFailed";
    public const string SourceMissing = "PersistentStateSourceMissing";
    public const string LinkConflict = "PersistentStateLinkConflict";
    public const string CopyMissing = "PersistentStateCopyMissing";
    public const string VolumeBusy = "PersistentStateVolumeBusy";
    public const string VolumePathBlocked = "PersistentStateVolumePathBlocked";
    public const string DirectoryMissing = "PersistentStateDirectoryMissing";
    public const string ParameterConflict = "PersistentStateParameterConflict";
    public const string ReplaceNotConfirmed = "PersistentStateReplaceNotConfirmed";
    public const string AdminPasswordSourceMissing = "PersistentStateAdminPasswordSourceMissing";
    public const string AdminPasswordInvalid = "PersistentStateAdminPasswordInvalid";
    public const string AdminPasswordConfigMissing = "PersistentStateAdminPasswordConfigMissing";

    public const string ServiceAccountPathNotAbsolute = "ServiceAccountMountPathNotAbsolute";
    public const string ServiceAccountPathIsFile = "ServiceAccountMountPathIsFile";
    public const string ServiceAccountPathBlocked = "ServiceAccountMountPathBlocked";
    public const string ServiceAccountSourceMissing = "ServiceAccountMountSourceMissing";
}
