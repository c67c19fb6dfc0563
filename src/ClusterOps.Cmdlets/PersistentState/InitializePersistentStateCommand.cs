using System.Management.Automation;
using System.Security;
using ClusterOps.Cmdlets.Infrastructure;
using ClusterOps.Core.Common;
using ClusterOps.Core.PersistentState;

namespace ClusterOps.Cmdlets.PersistentState;

/// <summary>
/// Initialize-PersistentState: keep a container's state directories on a mounted volume (copy once, crash-safe,
/// then link; adopt what start-persistent.sh left). Emits nothing unless -PassThru, so an entrypoint's log only shows
/// warnings and errors. ConfirmImpact stays Medium so that an entrypoint never prompts; the one destructive choice,
/// -ReplaceUnrecorded, is confirmed at High impact through <see cref="IHighImpactConfirmation"/>.
/// </summary>
[Cmdlet(VerbsData.Initialize, "PersistentState", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium,
    DefaultParameterSetName = PersistentStateParameterSets.Directory)]
[OutputType(typeof(PersistentStateResult))]
public sealed class InitializePersistentStateCommand : PersistentStateCommand, IHighImpactConfirmation
{
    private bool _yesToAll;
    private bool _noToAll;

    /// <summary>
    /// No-op, kept so that entrypoints written for the earlier release still bind: adopting a volume filled by
    /// start-persistent.sh is now the default.
    /// </summary>
    [Parameter(DontShow = true)]
    public SwitchParameter AdoptExisting { get; set; }

    /// <summary>Move unrecorded copies on the volume aside and copy the image's directories instead (the pre-issue-14 default).</summary>
    [Parameter]
    public SwitchParameter ReplaceUnrecorded { get; set; }

    /// <summary>Warn about listed directories that neither the image nor the volume has, instead of failing.</summary>
    [Parameter]
    public SwitchParameter AllowMissingDirectory { get; set; }

    /// <summary>Cloudify's admin password, set on first population.</summary>
    [Parameter]
    [ValidateNotNull]
    public SecureString? AdminPassword { get; set; }

    /// <summary>A file holding Cloudify's admin password (a mounted secret), read on first population.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? AdminPasswordPath { get; set; }

    /// <summary>The config.yaml whose admin_password is set (default /etc/cloudify/config.yaml).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? CloudifyConfigPath { get; set; }

    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override Task ProcessRecordAsync(CancellationToken cancellationToken)
    {
        if (AdoptExisting && ReplaceUnrecorded)
            ThrowParameterError(PersistentStateErrors.ParameterConflict, "-AdoptExisting and -ReplaceUnrecorded ask for opposite things; pass one of them.");
        if (AdoptExisting)
            Operation.WriteVerbose("-AdoptExisting is the default now and changes nothing; it can be dropped.");
        var preset = ParameterSetName == PersistentStateParameterSets.Preset ? Preset : (PersistentStatePreset?)null;
        var password = PersistentStatePresets.AdminPasswordFor(preset, AdminPassword,
            AdminPasswordPath is null ? null : ResolvePath(AdminPasswordPath), CloudifyConfigPath is null ? null : ResolvePath(CloudifyConfigPath));
        new PersistentStateInitializer().Initialize(
            new InitializePersistentStateRequest(ResolvePath(Path), Directories(), PassThru, ReplaceUnrecorded, AllowMissingDirectory, password), Operation);
        return Task.CompletedTask;
    }

    /// <summary>
    /// ShouldProcess (so -WhatIf lists it and -Confirm asks), then, unless the user already answered (-Confirm, -Confirm:$false)
    /// or turned prompts off ($ConfirmPreference None), the prompt a ConfirmImpact High cmdlet would show.
    /// </summary>
    bool IHighImpactConfirmation.ShouldProcessHighImpact(string target, string action) => InvokeOnPipelineThread(() =>
    {
        if (!ShouldProcess(target, action))
            return false;
        // ShouldProcess already asked when -Confirm was given or $ConfirmPreference is Medium or Low; -Confirm:$false and
        // $ConfirmPreference None mean "do not ask". Only the default (High) still needs the High-impact prompt.
        // A script's `$ConfirmPreference = 'None'` in a local scope holds a string, not the typed global value: convert.
        var preference = LanguagePrimitives.TryConvertTo(SessionState.PSVariable.GetValue("ConfirmPreference"), out ConfirmImpact p) ? p : ConfirmImpact.High;
        if (MyInvocation.BoundParameters.ContainsKey("Confirm") || preference != ConfirmImpact.High)
            return true;
        try
        {
            return ShouldContinue(action + "?", $"Replace the unrecorded state of '{target}' (ConfirmImpact High)", ref _yesToAll, ref _noToAll);
        }
        catch (Exception ex) when (ex is PSInvalidOperationException or System.Management.Automation.Host.HostException or NotImplementedException)
        {
            // A non-interactive host cannot ask: refuse, naming the way to answer in advance.
            throw new OperationException(PersistentStateErrors.ReplaceNotConfirmed, FailureKind.InvalidOperation,
                $"-ReplaceUnrecorded moves '{target}''s state on the volume aside and needs confirmation, which this non-interactive session cannot give; nothing was moved for it.",
                target, ex)
            {
                RecommendedAction = "Check the volume with Test-PersistentState, then run again with -ReplaceUnrecorded -Confirm:$false.",
            };
        }
    });
}
