#Requires -Version 7.4
# Issue 13 §4: ClusterOps.Core, ClusterOps.Kubernetes and YamlDotNet load in the module's own AssemblyLoadContext,
# so a YamlDotNet that another module loaded first (same version from another path, or another version) is never
# bound to ours. Each case needs a fresh process: the other copy must be loaded before ClusterOps is imported.

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    $script:ManifestPath = Import-ClusterOpsTestModule
    $script:Dependencies = Join-Path (Split-Path $script:ManifestPath) 'dependencies'

    $script:Policy = Join-Path $TestDrive 'policy.yaml'
    Set-Content -LiteralPath $script:Policy -Value @'
apiVersion: stork.libopenstorage.org/v1alpha1
kind: SchedulePolicy
metadata:
  name: nightly
policy:
  daily:
    time: "10:14PM"
'@
    $script:KubeConfig = Join-Path $TestDrive 'kubeconfig'
    Set-Content -LiteralPath $script:KubeConfig -Value @'
current-context: dev
clusters: [{name: dev, cluster: {server: "https://127.0.0.1:1"}}]
users: [{name: dev, user: {token: t}}]
contexts: [{name: dev, context: {cluster: dev, user: dev}}]
'@
    $script:Bomb = Join-Path $TestDrive 'cycle.yaml'
    Set-Content -LiteralPath $script:Bomb -Value 'x: &r {y: *r}'

    function Invoke-FreshImport([string]$Preload) {
        $script = @"
`$ErrorActionPreference = 'Stop'
if ('$Preload') { `$null = [Reflection.Assembly]::LoadFrom('$Preload') }
Import-Module '$($script:ManifestPath)'
`$valid = Test-SchedulePolicy -Path '$($script:Policy)' -Quiet
`$bomb = `$null
Test-SchedulePolicy -Path '$($script:Bomb)' -ErrorAction SilentlyContinue -ErrorVariable bomb
[pscustomobject]@{
    Valid      = `$valid
    BombError  = `$bomb[0].FullyQualifiedErrorId
    # Engine types live in a context PowerShell does not search; the module registers their names.
    NamedType  = [ClusterOps.Core.Scheduling.SchedulePolicyYaml].Assembly.Location
    IsNamed    = (Get-KubeContext -KubeConfig '$($script:KubeConfig)') -is [ClusterOps.Core.Connection.KubeContextInfo]
    Assemblies = @([AppDomain]::CurrentDomain.GetAssemblies() |
        Where-Object { `$_.GetName().Name -in 'YamlDotNet', 'ClusterOps.Core', 'ClusterOps.Kubernetes', 'ClusterOps.Cmdlets' } |
        ForEach-Object { [pscustomobject]@{
            Name = `$_.GetName().Name; Version = "`$(`$_.GetName().Version)"; Location = `$_.Location
            Context = [Runtime.Loader.AssemblyLoadContext]::GetLoadContext(`$_).Name } })
} | ConvertTo-Json -Depth 4 -Compress
"@
        $encoded = [Convert]::ToBase64String([Text.Encoding]::Unicode.GetBytes($script))
        # pwsh as installed, or the NuGet tool's pwsh.dll run by dotnet (no native launcher on Unix).
        $native = Join-Path $PSHOME ($IsWindows ? 'pwsh.exe' : 'pwsh')
        $output = if (Test-Path $native -PathType Leaf) {
            & $native -NoProfile -NonInteractive -EncodedCommand $encoded
        } else {
            & dotnet (Join-Path $PSHOME 'pwsh.dll') -NoProfile -NonInteractive -EncodedCommand $encoded
        }
        $LASTEXITCODE | Should -Be 0 -Because "the child pwsh printed: $output"
        return ($output | Select-Object -Last 1 | ConvertFrom-Json)
    }
}

Describe 'Dependency isolation' {
    It 'loads the engine and YamlDotNet from dependencies/ in the module context when no other copy is loaded' {
        $r = Invoke-FreshImport ''
        $r.Valid | Should -BeTrue
        $r.BombError | Should -BeLike 'SchedulePolicyInputRefused,*'
        foreach ($name in 'ClusterOps.Core', 'ClusterOps.Kubernetes', 'YamlDotNet') {
            $a = @($r.Assemblies | Where-Object Name -eq $name)
            $a.Count | Should -Be 1 -Because "$name is loaded once"
            $a[0].Context | Should -Be 'ClusterOps.Dependencies'
            $a[0].Location | Should -Be (Join-Path $script:Dependencies "$name.dll")
        }
        ($r.Assemblies | Where-Object Name -eq 'ClusterOps.Cmdlets').Context | Should -Be 'Default'
    }

    It 'still lets scripts name the engine types ([ClusterOps.Core...], -is) although they load in the module context' {
        $r = Invoke-FreshImport ''
        $r.NamedType | Should -Be (Join-Path $script:Dependencies 'ClusterOps.Core.dll')
        $r.IsNamed | Should -BeTrue
    }

    It 'keeps its own YamlDotNet when <Case> was loaded first' -ForEach @(
        @{ Case = 'the same version from another path'; Source = 'copy' }
        @{ Case = 'YamlDotNet 18.1.0'; Source = 'yamldotnet/18.1.0/lib/net8.0/YamlDotNet.dll' }
    ) {
        if ($Source -eq 'copy') {
            $preload = Join-Path $TestDrive 'other-module/YamlDotNet.dll'
            New-Item -ItemType Directory -Force (Split-Path $preload) | Out-Null
            Copy-Item (Join-Path $script:Dependencies 'YamlDotNet.dll') $preload
        } else {
            $cache = $env:NUGET_PACKAGES ? $env:NUGET_PACKAGES : (Join-Path ([Environment]::GetFolderPath('UserProfile')) '.nuget/packages')
            $preload = Join-Path $cache $Source
            $preload | Should -Exist -Because 'tests/ClusterOps.Tests downloads it (PackageDownload) on restore'
        }

        $r = Invoke-FreshImport $preload

        $r.Valid | Should -BeTrue
        $r.BombError | Should -BeLike 'SchedulePolicyInputRefused,*'
        $yaml = @($r.Assemblies | Where-Object Name -eq 'YamlDotNet')
        $yaml.Count | Should -Be 2 -Because 'the other copy and ours live side by side'
        ($yaml | Where-Object Context -eq 'Default').Location | Should -Be $preload
        ($yaml | Where-Object Context -eq 'ClusterOps.Dependencies').Location | Should -Be (Join-Path $script:Dependencies 'YamlDotNet.dll')
        foreach ($name in 'ClusterOps.Core', 'ClusterOps.Kubernetes') {
            ($r.Assemblies | Where-Object Name -eq $name).Context | Should -Be 'ClusterOps.Dependencies'
        }
    }
}
