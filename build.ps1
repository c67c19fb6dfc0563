#Requires -Version 7.4
<#
.SYNOPSIS
Builds, tests, documents and demonstrates ClusterOps.

.DESCRIPTION
Build   (default) publishes the module folder to out/ClusterOps (manifest, format file, assemblies,
        ClusterOps.Core, ClusterOps.Kubernetes and YamlDotNet under dependencies/, en-US help when it has been built).
Test    runs the xunit suite, then the Pester suites in tests/Pester when Pester 5 is installed.
Docs    builds MAML help from docs/help into out/ClusterOps/en-US with Microsoft.PowerShell.PlatyPS 1.x.
Demo    builds, starts the sandbox API server, imports the module and runs a narrated tour.
Package builds, documents and copies the module folder to out/package/ClusterOps/<version>.

.EXAMPLE
./build.ps1 -Task Demo
#>
[CmdletBinding()]
param(
    [ValidateSet('Build', 'Test', 'Docs', 'Demo', 'Package')]
    [string] $Task = 'Build',
    [ValidateSet('Debug', 'Release')]
    [string] $Configuration = 'Release',
    # Test task: skip the xunit run (CI has just run it) and go straight to the Pester suites.
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
    $about = Join-Path $root 'docs/help/about_ClusterOps.help.md'
    if (Test-Path $about) {
        Copy-Item $about (Join-Path $moduleOut 'en-US/about_ClusterOps.help.txt')
    }
    Write-Host "Help: $(Join-Path $moduleOut 'en-US')"
    return $true
}

function Invoke-Test {
    if (-not $SkipUnitTests) {
        Invoke-Dotnet test (Join-Path $root 'tests/ClusterOps.Tests') -c $Configuration --nologo
    }
    Invoke-Build
    Invoke-Docs | Out-Null
    $pester = Get-Module -ListAvailable Pester | Where-Object { $_.Version.Major -ge 5 } | Sort-Object Version -Descending | Select-Object -First 1
    if (-not $pester) {
        Write-Warning 'Pester 5 is not installed: the Pester suites in tests/Pester were NOT run. Install it with: Install-PSResource Pester'
        return
    }
    Import-Module $pester -Force
    $env:CLUSTEROPS_MODULE = Join-Path $moduleOut 'ClusterOps.psd1'
    $config = New-PesterConfiguration
    $config.Run.Path = Join-Path $root 'tests/Pester'
    $config.Run.Exit = $false
    $config.Run.PassThru = $true
    $config.Output.Verbosity = 'Detailed'
    $result = Invoke-Pester -Configuration $config
    if ($result.FailedCount -gt 0 -or $result.Result -ne 'Passed') {
        throw "Pester: $($result.FailedCount) test(s) failed"
    }
}

function Invoke-Demo {
    Invoke-Build
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
