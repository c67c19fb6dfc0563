#Requires -Version 7.4
<#
.SYNOPSIS
Builds, tests, documents and demonstrates ClusterOps.

.DESCRIPTION
Build   (default) publishes the module folder to out/ClusterOps (manifest, format file, assemblies,
        ClusterOps.Core, ClusterOps.Kubernetes and YamlDotNet under dependencies/, en-US help when it has been built).
Test    publishes the module, runs the xunit suite, then every Pester suite in tests/Pester (Pester 5: an installed
        module, else the version tools/TestTools pins, restored from NuGet), and ends with one line
        "N passed, N failed, N skipped" for both. Exits 1 when a test fails, or (with CI=true) when no Pester test ran.
Docs    builds MAML help from docs/help into out/ClusterOps/en-US with Microsoft.PowerShell.PlatyPS 1.x.
Demo    builds, starts the sandbox API server, imports the module and runs a narrated tour.
Package builds, documents and copies the module folder to out/package/ClusterOps/<version>.

.EXAMPLE
dotnet tool restore && dotnet pwsh ./build.ps1 -Task Demo

.EXAMPLE
dotnet tool restore && dotnet pwsh ./build.ps1 -Task Test
#>
[CmdletBinding()]
param(
    [ValidateSet('Build', 'Test', 'Docs', 'Demo', 'Package')]
    [string] $Task = 'Build',
    [ValidateSet('Debug', 'Release')]
    [string] $Configuration = 'Release',
    # Test task: skip the xunit run and go straight to the Pester suites (a quicker loop while working on them).
    [switch] $SkipUnitTests
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest
$root = $PSScriptRoot
$moduleOut = Join-Path $root 'out/ClusterOps'

function Invoke-Dotnet {
    & dotnet @args
    if ($LASTEXITCODE -ne 0) { throw "dotnet $($args -join ' ') failed with exit code $LASTEXITCODE" }
}

function Invoke-Build {
    Invoke-Dotnet publish (Join-Path $root 'src/ClusterOps.Cmdlets') -c $Configuration -o $moduleOut --nologo
    Write-Host "Module folder: $moduleOut"
}

function Invoke-SandboxBuild {
    # Built every run (incremental) and handed to TestHelpers.ps1 as the module is, so the Pester suites and the demo
    # never start a sandbox older than the source beside it.
    $out = Join-Path $root 'out/sandbox'
    Invoke-Dotnet build (Join-Path $root 'src/ClusterOps.Sandbox') -c $Configuration -o $out --nologo
    $env:CLUSTEROPS_SANDBOX = Join-Path $out 'ClusterOps.Sandbox.dll'
}

function Invoke-Docs {
    $platy = Get-Module -ListAvailable Microsoft.PowerShell.PlatyPS | Where-Object Version -ge '1.0.0' | Select-Object -First 1
    if (-not $platy) {
        Write-Warning 'Microsoft.PowerShell.PlatyPS 1.x is not installed, so no MAML help was built. Install it with: Install-PSResource Microsoft.PowerShell.PlatyPS'
        return $false
    }
    Import-Module $platy -Force
    $pages = Get-ChildItem (Join-Path $root 'docs/help') -Filter '*-*.md'
    $help = $pages | ForEach-Object { Import-MarkdownCommandHelp -Path $_.FullName }
    # PlatyPS nests its output under the module name; the module loads help from <module folder>/en-US.
    $staging = Join-Path $root 'out/help-staging'
    if (Test-Path $staging) { Remove-Item $staging -Recurse -Force }
    $help | Export-MamlCommandHelp -OutputFolder $staging -Force | Out-Null
    $enUs = New-Item -ItemType Directory -Force -Path (Join-Path $moduleOut 'en-US')
    Get-ChildItem $staging -Recurse -Filter '*-Help.xml' | Move-Item -Destination $enUs -Force
    Remove-Item $staging -Recurse -Force
    # about_ClusterOps is plain text and needs no PlatyPS: the publish step puts it in en-US/ (Cmdlets csproj).
    Write-Host "Help: $(Join-Path $moduleOut 'en-US')"
    return $true
}

function Get-NuGetPackagesFolder {
    if ($env:NUGET_PACKAGES) { return $env:NUGET_PACKAGES }
    # All of the output first: Select-Object -First 1 would stop dotnet early and make its exit code non-zero.
    $output = @(& dotnet nuget locals global-packages --list)
    $line = $output | Where-Object { $_ -match '^global-packages:\s*(.+?)\s*$' } | Select-Object -First 1
    if ($LASTEXITCODE -ne 0 -or -not $line) { throw "dotnet nuget locals global-packages --list failed: $($output -join ' ')" }
    $null = $line -match '^global-packages:\s*(.+?)\s*$'
    return $Matches[1]
}

function Find-Pester {
    <#
    Pester 5 as an installed module, else the version tools/TestTools pins, from the NuGet package cache (its tools/
    folder is the module), restoring it first when it is not there yet. Returns the manifest path, or $null.
    #>
    $installed = Get-Module -ListAvailable Pester | Where-Object { $_.Version.Major -eq 5 } | Sort-Object Version -Descending | Select-Object -First 1
    if ($installed) { return $installed.Path }
    $project = Join-Path $root 'tools/TestTools/TestTools.csproj'
    $pinned = ([xml](Get-Content -Raw $project)).Project.ItemGroup.PackageDownload |
        Where-Object Include -eq 'Pester' | ForEach-Object { $_.Version.Trim('[', ']') }
    $manifest = Join-Path (Get-NuGetPackagesFolder) "pester/$pinned/tools/Pester.psd1"
    if (-not (Test-Path $manifest)) {
        & dotnet restore $project --nologo | Out-Host
        if ($LASTEXITCODE -ne 0) { Write-Warning "dotnet restore $project failed with exit code $LASTEXITCODE" }
    }
    if (Test-Path $manifest) { return $manifest }
    return $null
}

function Read-XunitCounts([string] $Trx) {
    if (-not (Test-Path $Trx)) { return $null }
    $counters = ([xml](Get-Content -Raw $Trx)).TestRun.ResultSummary.Counters
    [pscustomobject]@{
        Passed   = [int]$counters.passed
        Failed   = [int]$counters.failed
        # The trx has no skipped counter: tests counted in total but not executed were skipped.
        Skipped  = [int]$counters.total - [int]$counters.executed
        Executed = [int]$counters.executed
    }
}

function Invoke-Test {
    # CI (CI=true, as CI services set it) must never pass without the Pester suites; a developer gets a warning.
    $inCi = $env:CI -in @('true', '1', 'True')
    Invoke-Build
    Invoke-SandboxBuild
    $results = Join-Path $root 'out/test-results'
    if (Test-Path $results) { Remove-Item $results -Recurse -Force }
    New-Item -ItemType Directory -Force -Path $results | Out-Null
    $problems = [Collections.Generic.List[string]]::new()
    $passed = 0; $failed = 0; $skipped = 0

    if (-not $SkipUnitTests) {
        & dotnet test (Join-Path $root 'tests/ClusterOps.Tests') -c $Configuration --nologo `
            --logger 'console;verbosity=normal' --logger 'trx;LogFileName=xunit.trx' --results-directory $results
        $xunitExit = $LASTEXITCODE
        $xunit = Read-XunitCounts (Join-Path $results 'xunit.trx')
        if (-not $xunit) {
            $problems.Add("xunit wrote no results (dotnet test exit code $xunitExit)")
        }
        else {
            Write-Host "xunit: $($xunit.Passed) passed, $($xunit.Failed) failed, $($xunit.Skipped) skipped"
            $passed += $xunit.Passed; $failed += $xunit.Failed; $skipped += $xunit.Skipped
            if ($xunit.Executed -eq 0) { $problems.Add('no xunit test was executed') }
            if ($xunitExit -ne 0 -and $xunit.Failed -eq 0) { $problems.Add("dotnet test failed with exit code $xunitExit") }
        }
    }

    Invoke-Docs | Out-Null
    $pester = Find-Pester
    if (-not $pester) {
        $message = 'Pester 5 was not found (installed module or NuGet package from tools/TestTools): the Pester suites in tests/Pester were NOT run.'
        if ($inCi) { $problems.Add($message) } else { Write-Warning $message }
    }
    else {
        Import-Module $pester -Force
        $env:CLUSTEROPS_MODULE = Join-Path $moduleOut 'ClusterOps.psd1'
        $config = New-PesterConfiguration
        $config.Run.Path = Join-Path $root 'tests/Pester'
        $config.Run.Exit = $false
        $config.Run.PassThru = $true
        $config.Output.Verbosity = 'Detailed'
        $config.TestResult.Enabled = $true
        $config.TestResult.OutputFormat = 'NUnitXml'
        $config.TestResult.OutputPath = Join-Path $results 'pester.xml'
        # The suites run as a user runs PowerShell, without this script's strict mode (which their scopes would inherit).
        Set-StrictMode -Off
        $run = Invoke-Pester -Configuration $config
        # A block or file that fails outside a test (BeforeAll, discovery) fails the run like a failed test.
        $broken = $run.FailedBlocksCount + $run.FailedContainersCount
        Write-Host "Pester $((Get-Module Pester).Version): $($run.PassedCount) passed, $($run.FailedCount) failed, $($run.SkippedCount) skipped$(if ($broken) { ", $broken failed block(s) or file(s)" })"
        $passed += $run.PassedCount; $failed += $run.FailedCount + $broken; $skipped += $run.SkippedCount
        if ($run.PassedCount + $run.FailedCount -eq 0) { $problems.Add('no Pester test ran') }
        elseif ($run.Result -ne 'Passed' -and $run.FailedCount + $broken -eq 0) { $problems.Add("Pester result: $($run.Result)") }
    }

    foreach ($problem in $problems) { Write-Host "error: $problem" -ForegroundColor Red }
    # The closing line, alone on its line, for the whole run (CI reads it).
    Write-Host "$passed passed, $failed failed, $skipped skipped"
    if ($failed -gt 0 -or $problems.Count -gt 0) { exit 1 }
}

function Invoke-Demo {
    Invoke-Build
    Invoke-SandboxBuild
    . (Join-Path $root 'tests/Pester/TestHelpers.ps1')
    $env:CLUSTEROPS_MODULE = Join-Path $moduleOut 'ClusterOps.psd1'
    Import-ClusterOpsTestModule | Out-Null

    function Step([string] $Narration, [string] $Command, [scriptblock] $Action) {
        Write-Host ''
        Write-Host "== $Narration" -ForegroundColor Cyan
        if (-not (Get-Command $Command -Module ClusterOps -ErrorAction SilentlyContinue)) {
            Write-Host "   ($Command is not in this build yet; step skipped)" -ForegroundColor DarkGray
            return
        }
        Write-Host "PS> $($Action.ToString().Trim())" -ForegroundColor Yellow
        & $Action | Out-Host
    }

    Write-Host 'Starting the sandbox API server with every scenario: Mashery Local (tml), Stork (mysql), 3scale...'
    $sandbox = Start-ClusterOpsSandbox -Scenario all -ReadyDelay 300ms
    try {
        $env:KUBECONFIG = $sandbox.KubeConfig
        Write-Host "Sandbox ready; kubectl works too: kubectl --kubeconfig $($sandbox.KubeConfig) get pods -n tml"
        Step 'Which contexts does this kubeconfig hold?' 'Get-KubeContext' { Get-KubeContext }
        Step 'Is the cluster reachable, and who am I?' 'Test-KubeConnection' { Test-KubeConnection }
        Step 'The claims that hold the Mashery Local data' 'Get-PersistentVolumeClaim' { Get-PersistentVolumeClaim -Namespace tml | Format-Table }
        Step 'The cluster, component by component' 'Get-TmlCluster' { Get-TmlCluster -Namespace tml | Format-Table }
        Step 'Stop it, keeping every volume (scale to zero)' 'Stop-TmlCluster' { Stop-TmlCluster -Namespace tml -Confirm:$false -PassThru | Format-Table }
        Step 'Every claim is still Bound' 'Get-PersistentVolumeClaim' { Get-PersistentVolumeClaim -Namespace tml | Format-Table Name, Status, Volume }
        Step 'Start it again, component by component' 'Start-TmlCluster' { Start-TmlCluster -Namespace tml -PassThru | Format-Table }
        Step 'Stork schedule policies, as storkctl prints them' 'Get-SchedulePolicy' { Get-SchedulePolicy | Format-Table }
        Step 'When would Stork migrate with the default daily policy?' 'Get-ScheduleTrigger' { Get-ScheduleTrigger -Policy default-daily-policy -Start (Get-Date).Date -End (Get-Date).Date.AddDays(2) | Format-Table }
        Step '3scale backups in the cluster' 'Get-ApiManagerBackup' { Get-ApiManagerBackup -Namespace 3scale | Format-Table }
    }
    finally {
        Remove-Item Env:KUBECONFIG -ErrorAction SilentlyContinue
        $sandbox.Stop()
        Write-Host 'Sandbox stopped.'
    }
}

function Invoke-Package {
    Invoke-Build
    Invoke-Docs | Out-Null
    $version = (Import-PowerShellDataFile (Join-Path $moduleOut 'ClusterOps.psd1')).ModuleVersion
    $target = Join-Path $root "out/package/ClusterOps/$version"
    if (Test-Path $target) { Remove-Item $target -Recurse -Force }
    New-Item -ItemType Directory -Force -Path $target | Out-Null
    Get-ChildItem $moduleOut -Exclude '*.pdb' | Copy-Item -Destination $target -Recurse
    Write-Host "Package: $target"
}

switch ($Task) {
    'Build' { Invoke-Build }
    'Test' { Invoke-Test }
    'Docs' { Invoke-Build; Invoke-Docs | Out-Null }
    'Demo' { Invoke-Demo }
    'Package' { Invoke-Package }
}
