# Plays the 3scale operator's backup and restore controllers with kubectl, for the Pester suite: the sandbox's 3scale
# scenario has the CRDs, the installation and a Job controller, but no operator. Follows seed-semantics §2.2/§2.3:
# status fields in the operator's order, the claim named like the backup with its four annotations and no owner,
# UID-named Jobs owned by the resource (run, or failed when asked, by the sandbox's Job controller), then cleanup.
# Run it with Start-Job -FilePath ... -ArgumentList KubeConfig, Namespace, Kind (backup|restore), Name, FailJobPrefix.
param(
    [Parameter(Mandatory)] [string] $KubeConfig,
    [Parameter(Mandatory)] [string] $Namespace,
    [Parameter(Mandatory)] [ValidateSet('backup', 'restore')] [string] $Kind,
    [Parameter(Mandatory)] [string] $Name,
    [string] $FailJobPrefix = '',
    [int] $TimeoutSec = 120
)
$ErrorActionPreference = 'Stop'
$deadline = [DateTime]::UtcNow.AddSeconds($TimeoutSec)
$resource = if ($Kind -eq 'backup') { 'apimanagerbackups.apps.3scale.net' } else { 'apimanagerrestores.apps.3scale.net' }
$ownerKind = if ($Kind -eq 'backup') { 'APIManagerBackup' } else { 'APIManagerRestore' }

function Invoke-K {
    $out = & kubectl --kubeconfig $KubeConfig --namespace $Namespace @args 2>&1
    if ($LASTEXITCODE -ne 0) { throw "kubectl $($args -join ' ') failed: $out" }
    $out
}
function Get-Json([string] $What, [string] $ObjectName) {
    $text = & kubectl --kubeconfig $KubeConfig --namespace $Namespace get $What $ObjectName --ignore-not-found -o json 2>$null
    if ($LASTEXITCODE -ne 0 -or -not $text) { return $null }
    ($text -join "`n") | ConvertFrom-Json -Depth 50
}
function Set-Status([hashtable] $Status) {
    $patch = @{ status = $Status } | ConvertTo-Json -Compress -Depth 10
    Invoke-K patch $resource $Name --subresource=status --type=merge -p $patch | Out-Null
    Start-Sleep -Milliseconds 150
}
function New-FromJson([hashtable] $Object) {
    $Object | ConvertTo-Json -Depth 20 | & kubectl --kubeconfig $KubeConfig --namespace $Namespace create -f - 2>&1 | Out-Null
    if ($LASTEXITCODE -ne 0) { throw "kubectl create of $($Object.kind) $($Object.metadata.name) failed" }
}
function Wait-Until([scriptblock] $Condition) {
    while (-not (& $Condition)) {
        if ([DateTime]::UtcNow -gt $deadline) { throw "the fake operator timed out" }
        Start-Sleep -Milliseconds 100
    }
}
function Invoke-OperatorJob([string] $Prefix, [string] $Uid) {
    $job = "$Prefix-$Uid"
    New-FromJson @{
        apiVersion = 'batch/v1'; kind = 'Job'
        metadata   = @{
            name            = $job
            annotations     = @{ 'sandbox.clusterops.io/fail' = $(if ($Prefix -eq $FailJobPrefix) { 'true' } else { 'false' }) }
            ownerReferences = @(@{ apiVersion = 'apps.3scale.net/v1alpha1'; kind = $ownerKind; name = $Name; uid = $Uid; controller = $true; blockOwnerDeletion = $true })
        }
        spec       = @{ completions = 1; template = @{ spec = @{ restartPolicy = 'Never'; containers = @(@{ name = 'job'; image = 'quay.io/openshift/origin-cli:4.7'; command = @('/bin/bash') }) } } }
    }
    $script:state = $null
    Wait-Until {
        $j = Get-Json 'job' $job
        $done = @($j.status.conditions | Where-Object { $_.status -eq 'True' -and $_.type -in 'Complete', 'Failed' })
        if ($done.Count -gt 0) { $script:state = $done[0].type; $true } else { $false }
    }
    $script:state -eq 'Complete'
}
function Complete-Run([string[]] $Prefixes, [string] $Uid) {
    Set-Status @{ mainStepsCompleted = $true }
    foreach ($p in $Prefixes) { & kubectl --kubeconfig $KubeConfig --namespace $Namespace delete job "$p-$Uid" --ignore-not-found --wait=false 2>&1 | Out-Null }
    Set-Status @{ completed = $true; completionTime = [DateTime]::UtcNow.AddSeconds(1).ToString('yyyy-MM-ddTHH:mm:ssZ') }
}

Wait-Until { $null -ne (Get-Json $resource $Name) }
$cr = Get-Json $resource $Name
$uid = $cr.metadata.uid
$now = [DateTime]::UtcNow.ToString('yyyy-MM-ddTHH:mm:ssZ')

if ($Kind -eq 'backup') {
    $apiManager = Get-Json 'apimanagers.apps.3scale.net' 'example-apimanager'
    Set-Status @{ apiManagerSourceName = $apiManager.metadata.name }
    Set-Status @{ startTime = $now }
    if (-not (Get-Json 'pvc' $Name)) {
        New-FromJson @{
            apiVersion = 'v1'; kind = 'PersistentVolumeClaim'
            metadata   = @{ name = $Name; annotations = @{ apiManagerName = $apiManager.metadata.name; apiManagerUID = $apiManager.metadata.uid; apiManagerBackupName = $Name; apiManagerBackupUID = $uid } }
            spec       = @{ accessModes = @('ReadWriteOnce'); resources = @{ requests = @{ storage = $cr.spec.backupDestination.persistentVolumeClaim.resources.requests } } }
        }
    }
    Set-Status @{ backupPersistentVolumeClaimName = $Name }
    $prefixes = 'backup-cfgmaps-secrets', 'backup-apimanager-cr', 'backup-system-fs-pvc'
    foreach ($p in $prefixes) {
        if (-not (Invoke-OperatorJob $p $uid)) { return } # like the real operator: wait forever, never report
    }
    Complete-Run $prefixes $uid
}
else {
    Set-Status @{ startTime = $now }
    if (-not (Invoke-OperatorJob 'restore-cfgmaps-secrets' $uid)) { return }
    if (-not (Invoke-OperatorJob 'restore-apm-tosecret' $uid)) { return }
    Set-Status @{ apiManagerToRestoreRef = @{ name = 'example-apimanager' } }
    if (-not (Invoke-OperatorJob 'restore-system-fs' $uid)) { return }
    if (-not (Get-Json 'apimanagers.apps.3scale.net' 'example-apimanager')) {
        New-FromJson @{ apiVersion = 'apps.3scale.net/v1alpha1'; kind = 'APIManager'; metadata = @{ name = 'example-apimanager' }; spec = @{ wildcardDomain = 'apps.sandbox.example.com' } }
    }
    if (-not (Invoke-OperatorJob 'resync-domains' $uid)) { return }
    Complete-Run @('restore-cfgmaps-secrets', 'restore-apm-tosecret', 'restore-system-fs', 'resync-domains') $uid
}
