# Shared by every Pester suite: import the module under test and start/stop a private sandbox API server.
# Dot-source it in BeforeAll:  . (Join-Path $PSScriptRoot 'TestHelpers.ps1')

# No Set-StrictMode here: dot-sourced into a suite, it would change how that suite's own code behaves.

$script:RepoRoot = (Resolve-Path (Join-Path $PSScriptRoot '../..')).Path

function Get-ClusterOpsRepoRoot { $script:RepoRoot }

function Import-ClusterOpsTestModule {
    <#
    .SYNOPSIS
    Imports ClusterOps from $env:CLUSTEROPS_MODULE when set, else from out/ClusterOps (publishing it first when absent).
    #>
    [CmdletBinding()]
    param()
    $manifest = $env:CLUSTEROPS_MODULE
    if (-not $manifest) {
        $manifest = Join-Path $script:RepoRoot 'out/ClusterOps/ClusterOps.psd1'
        if (-not (Test-Path $manifest)) {
            $project = Join-Path $script:RepoRoot 'src/ClusterOps.Cmdlets'
            $out = Join-Path $script:RepoRoot 'out/ClusterOps'
            & dotnet publish $project -c Release -o $out --nologo | Out-Host
            if ($LASTEXITCODE -ne 0) { throw "dotnet publish of $project failed with exit code $LASTEXITCODE" }
        }
    }
    Import-Module $manifest -Force -ErrorAction Stop -Global
    return $manifest
}

function New-PwshStartInfo {
    <#
    .SYNOPSIS
    A ProcessStartInfo that starts the same PowerShell as the one running the tests, for tests that need a fresh
    process. Under the .NET tool (dotnet pwsh) the process is dotnet itself, so pwsh.dll is its first argument.
    #>
    [CmdletBinding()]
    param([string[]] $ArgumentList)
    $exe = [Environment]::ProcessPath
    $psi = [Diagnostics.ProcessStartInfo]::new($exe)
    if ([IO.Path]::GetFileNameWithoutExtension($exe) -eq 'dotnet') { $psi.ArgumentList.Add((Join-Path $PSHOME 'pwsh.dll')) }
    foreach ($a in $ArgumentList) { $psi.ArgumentList.Add($a) }
    $psi.UseShellExecute = $false
    return $psi
}

function Get-ClusterOpsSandboxAssembly {
    # Built once per repository into out/sandbox; CLUSTEROPS_SANDBOX may name a prebuilt ClusterOps.Sandbox.dll.
    if ($env:CLUSTEROPS_SANDBOX) { return $env:CLUSTEROPS_SANDBOX }
    $dll = Join-Path $script:RepoRoot 'out/sandbox/ClusterOps.Sandbox.dll'
    if (-not (Test-Path $dll)) {
        $project = Join-Path $script:RepoRoot 'src/ClusterOps.Sandbox'
        & dotnet build $project -c Release -o (Split-Path $dll) --nologo | Out-Host
        if ($LASTEXITCODE -ne 0) { throw "dotnet build of $project failed with exit code $LASTEXITCODE" }
    }
    return $dll
}

function Start-ClusterOpsSandbox {
    <#
    .SYNOPSIS
    Starts a private sandbox API server and returns an object with KubeConfig, Namespace, Process and Stop().
    The sandbox serves until its standard input closes, so it can never outlive the test run.
    #>
    [CmdletBinding()]
    param(
        [ValidateSet('empty', 'tml', 'stork', '3scale', 'all')]
        [string] $Scenario = 'empty',
        [ValidateSet('token', 'cert')]
        [string] $Auth = 'token',
        [string] $ReadyDelay = '200ms',
        [int] $StartTimeoutSec = 60,
        # More sandbox options, e.g. '--pvcs', '1200'.
        [string[]] $ExtraArguments = @(),
        # Serve a fleet: N independent clusters, contexts sandbox-1 ... sandbox-N in one kubeconfig.
        [int] $Clusters = 0
    )
    $dll = Get-ClusterOpsSandboxAssembly
    $kubeconfig = Join-Path ([IO.Path]::GetTempPath()) ("clusterops-pester-{0}.kubeconfig" -f [guid]::NewGuid().ToString('n'))
    $psi = [Diagnostics.ProcessStartInfo]::new('dotnet')
    $adminTokenFile = "$kubeconfig.admin-token"
    foreach ($arg in @($dll, '--port', '0', '--kubeconfig', $kubeconfig, '--scenario', $Scenario, '--auth', $Auth, '--ready-delay', $ReadyDelay,
            '--admin-token-file', $adminTokenFile) + @(if ($Clusters -gt 0) { '--clusters', "$Clusters" }) + $ExtraArguments) {
        $psi.ArgumentList.Add($arg)
    }
    $psi.RedirectStandardInput = $true
    $psi.RedirectStandardOutput = $true
    $psi.RedirectStandardError = $true
    $psi.UseShellExecute = $false
    $process = [Diagnostics.Process]::Start($psi)
    # Drain stderr from the start, so a chatty sandbox can never block on a full pipe.
    $stderr = $process.StandardError.ReadToEndAsync()

    $deadline = [DateTime]::UtcNow.AddSeconds($StartTimeoutSec)
    $path = $null
    while (-not $path) {
        $pending = $process.StandardOutput.ReadLineAsync()
        $remaining = [int][Math]::Max(0, ($deadline - [DateTime]::UtcNow).TotalMilliseconds)
        if (-not $pending.Wait($remaining)) {
            $process.Kill($true)
            throw "The sandbox did not print 'kubeconfig: <path>' within $StartTimeoutSec s"
        }
        $line = $pending.Result
        if ($null -eq $line) {
            $null = $process.WaitForExit(5000)
            throw "The sandbox exited before it was ready: $(if ($stderr.IsCompleted) { $stderr.Result })"
        }
        if ($line -match '^kubeconfig: (.+)$') { $path = $Matches[1] }
    }

    $namespace = switch ($Scenario) { 'tml' { 'tml' } 'stork' { 'mysql' } '3scale' { '3scale' } default { 'default' } }
    # In kubeconfig order: one per cluster of a fleet (contexts sandbox-1 ... sandbox-N).
    $servers = @(((Get-Content $path) -match '^\s*server:\s*') -replace '^\s*server:\s*', '')
    $sandbox = [pscustomobject]@{
        PSTypeName = 'ClusterOps.Tests.Sandbox'
        KubeConfig = $path
        AdminTokenFile = $adminTokenFile
        Server     = $servers[0]
        Servers    = $servers
        Contexts   = @(if ($Clusters -gt 0) { 1..$Clusters | ForEach-Object { "sandbox-$_" } } else { 'sandbox' })
        Namespace  = $namespace
        Scenario   = $Scenario
        Process    = $process
    }
    $sandbox | Add-Member -MemberType ScriptMethod -Name Stop -Value { Stop-ClusterOpsSandbox -Sandbox $this }
    return $sandbox
}

function Invoke-ClusterOpsSandboxAdmin {
    <#
    .SYNOPSIS
    Calls the sandbox's admin API (faults, clock, request count) with the token it wrote beside its kubeconfig.
    #>
    [CmdletBinding()]
    param(
        [Parameter(Mandatory)] $Sandbox,
        [Parameter(Mandatory)] [string] $Operation,
        [string] $Method = 'GET',
        [hashtable] $Body,
        # Which cluster of a fleet (1-based, as in the context name sandbox-N).
        [int] $Cluster = 1
    )
    $token = (Get-Content -Raw $Sandbox.AdminTokenFile).Trim()
    $request = @{
        Uri = "$($Sandbox.Servers[$Cluster - 1].TrimEnd('/'))/sandbox/admin/$Operation"
        Method = $Method
        Headers = @{ Authorization = "Bearer $token" }
        SkipCertificateCheck = $true
    }
    if ($Body) { $request.Body = $Body | ConvertTo-Json -Compress; $request.ContentType = 'application/json' }
    Invoke-RestMethod @request
}

function Get-ClusterOpsSandboxRequestCount {
    # How many API requests the sandbox has served (admin calls excluded).
    param([Parameter(Mandatory)] $Sandbox)
    [long] (Invoke-ClusterOpsSandboxAdmin -Sandbox $Sandbox -Operation requests).count
}

function Stop-ClusterOpsSandbox {
    [CmdletBinding()]
    param([Parameter(Mandatory)] $Sandbox)
    $process = $Sandbox.Process
    if ($process -and -not $process.HasExited) {
        $process.StandardInput.Close()
        if (-not $process.WaitForExit(10000)) { $process.Kill($true) }
    }
    if ($Sandbox.KubeConfig -and (Test-Path $Sandbox.KubeConfig)) { Remove-Item $Sandbox.KubeConfig -Force }
    if ($Sandbox.AdminTokenFile -and (Test-Path $Sandbox.AdminTokenFile)) { Remove-Item $Sandbox.AdminTokenFile -Force }
}

function Wait-ClusterOpsCondition {
    <#
    .SYNOPSIS
    Waits until $Condition is true, failing after $Seconds with "Timed out waiting for $What". The sandbox's
    controllers run in another process, so a test can only probe for what they have done.
    #>
    param([scriptblock] $Condition, [string] $What, [int] $Seconds = 60)
    $deadline = [DateTime]::UtcNow.AddSeconds($Seconds)
    while (-not (& $Condition)) {
        if ([DateTime]::UtcNow -gt $deadline) { throw "Timed out waiting for $What" }
        Start-Sleep -Milliseconds 100
    }
}

function Initialize-ClusterOpsTmlCluster {
    <#
    .SYNOPSIS
    Brings the tml scenario's cluster(s) to a known running state: the sandbox's StatefulSet controller creates and
    binds the four claims per cluster just after start, then Start-TmlCluster waits for every pod.
    $Common carries -KubeConfig and -Namespace (and -Context for a fleet); $Claims is the total over the contexts.
    #>
    param([hashtable] $Common, [int] $Claims = 4, [int] $Seconds = 60)
    Wait-ClusterOpsCondition { @(Get-PersistentVolumeClaim @Common -Status Bound).Count -ge $Claims } "$Claims Bound claims of the tml scenario" $Seconds
    Start-TmlCluster @Common -TimeoutSec 60 | Out-Null
}

function Test-ClusterOpsTableHeader {
    <#
    .SYNOPSIS
    Formats $InputObject with its default table view at 80 columns; returns nothing when the header is the view's
    labels on one line and no line is wider than 80, else the header line PowerShell printed.
    #>
    param([object[]] $InputObject, [string[]] $Labels)
    $lines = ($InputObject | Format-Table | Out-String -Width 80) -split "`r?`n"
    $dashes = [Array]::FindIndex($lines, [Predicate[string]] { param($l) $l -match '^\s*-+(\s+-+)*\s*$' })
    $header = if ($dashes -gt 0) { $lines[$dashes - 1] } else { '' }
    $expected = '^\s*' + (($Labels | ForEach-Object { [regex]::Escape($_) }) -join '\s+') + '\s*$'
    if ($header -notmatch $expected -or ($lines | Where-Object Length -gt 80)) { "'$header'" }
}
