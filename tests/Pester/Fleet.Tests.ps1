#Requires -Version 7.4
# Fleet operations (one command, several contexts, concurrently) against a sandbox fleet: five independent `tml`
# clusters in one kubeconfig (contexts sandbox-1 ... sandbox-5). Faults (unreachable, slow, failing) are set per
# cluster through its admin API and cleared after each test.

BeforeDiscovery {
    # The per-cmdlet cases are enumerated from the module itself, so a new cluster cmdlet is covered without an edit.
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    Import-ClusterOpsTestModule | Out-Null
    $script:PipedCases = @(Get-Command -Module ClusterOps | Where-Object { $_.Parameters.ContainsKey('PipelineInput') } | ForEach-Object { @{ Name = $_.Name } })
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    $script:Manifest = Import-ClusterOpsTestModule
    $script:Fleet = Start-ClusterOpsSandbox -Scenario tml -Clusters 5
    $script:Kc = $script:Fleet.KubeConfig
    $script:Common = @{ KubeConfig = $script:Kc; Namespace = 'tml' }

    function Set-ClusterFault([int] $Cluster, [string] $Operation, [hashtable] $Body) {
        Invoke-ClusterOpsSandboxAdmin -Sandbox $script:Fleet -Cluster $Cluster -Operation $Operation -Method POST -Body $Body | Out-Null
    }
    function Clear-ClusterFaults {
        foreach ($i in 1..5) { Invoke-ClusterOpsSandboxAdmin -Sandbox $script:Fleet -Cluster $i -Operation faults -Method DELETE | Out-Null }
    }
    # Per context: the cluster state and every component's replicas, to prove that nothing changed.
    function Get-FleetState([string[]] $Context = '*') {
        $c = $script:Common
        (Get-TmlCluster @c -Context $Context | Sort-Object Context, Component |
            ForEach-Object { '{0}:{1}={2}/{3}' -f $_.Context, $_.Component, $_.State, $_.Replicas }) -join ';'
    }
    function Get-ClaimFingerprint([string[]] $Context) {
        $c = $script:Common
        (Get-PersistentVolumeClaim @c -Context $Context | Sort-Object Context, Name |
            ForEach-Object { '{0}:{1}={2}/{3}' -f $_.Context, $_.Name, $_.Status, $_.Volume }) -join ';'
    }

    # Each cluster's controllers bind its four claims just after start; then make sure every pod is up.
    Initialize-ClusterOpsTmlCluster (@{ Context = '*' } + $script:Common) -Claims 20 -Seconds 90
}

AfterAll {
    if ($script:Fleet) { $script:Fleet.Stop() }
}

Describe 'A cluster cmdlet across a fleet' {
    AfterEach { Clear-ClusterFaults }

    It 'Get-TmlCluster -Context * returns the healthy clusters and one error naming the unreachable context' {
        Set-ClusterFault -Cluster 5 -Operation unreachable -Body @{ enabled = $true }
        $rows = @(Get-TmlCluster @Common -Context * -ErrorAction SilentlyContinue -ErrorVariable failures)
        $rows.Count | Should -Be 24
        ($rows.Context | Sort-Object -Unique) | Should -Be @('sandbox-1', 'sandbox-2', 'sandbox-3', 'sandbox-4')
        $rows | Group-Object Context | ForEach-Object { $_.Group.Component | Should -Be @('NoSQL', 'CM', 'Log', 'DB', 'Cache', 'TM') }
        $failures.Count | Should -Be 1
        $failures[0].TargetObject | Should -Be 'sandbox-5'
        $failures[0].CategoryInfo.Category | Should -Be 'ConnectionError'
        $failures[0].ErrorDetails.Message | Should -Match "^Context 'sandbox-5': "
    }

    It 'every object carries its Context and Server, and the table shows CONTEXT first within 80 columns' {
        $rows = @(Get-TmlCluster @Common -Context 'sandbox-[12]')
        foreach ($row in $rows) {
            $index = [int]($row.Context -replace 'sandbox-', '')
            $row.Server | Should -Be $Fleet.Servers[$index - 1].TrimEnd('/')
            $row.PSObject.TypeNames[0] | Should -Be 'ClusterOps.Core.Lifecycle.ClusterComponentInfo#Fleet'
        }
        $lines = @($rows | Format-Table | Out-String -Width 80 -Stream | Where-Object { $_ })
        $lines[0] | Should -Match '^CONTEXT\s+COMPONENT\s+ZONE\s+WORKLOAD'
        $lines | ForEach-Object { $_.Length | Should -BeLessOrEqual 80 }
        $csv = $rows | ConvertTo-Csv | ConvertFrom-Csv
        ($csv.Context | Sort-Object -Unique) | Should -Be @('sandbox-1', 'sandbox-2')
        $claims = @(Get-PersistentVolumeClaim @Common -Context 'sandbox-[12]' -AllNamespaces)
        $claims[0].PSObject.TypeNames[0] | Should -Be 'ClusterOps.Core.Storage.PersistentVolumeClaimInfo#AllNamespaces#Fleet'
        ($claims | Format-Table | Out-String -Width 80 -Stream | Where-Object { $_ } | Select-Object -First 1) | Should -Match '^CONTEXT\s+NAMESPACE\s+NAME'
    }

    It 'one context behaves as before: no fleet view, and an unreachable cluster ends the call' {
        $rows = @(Get-TmlCluster @Common -Context sandbox-2)
        $rows.Count | Should -Be 6
        $rows[0].Context | Should -Be 'sandbox-2'
        $rows[0].PSObject.TypeNames[0] | Should -Be 'ClusterOps.Core.Lifecycle.ClusterComponentInfo'
        Set-ClusterFault -Cluster 2 -Operation unreachable -Body @{ enabled = $true }
        { Get-TmlCluster @Common -Context sandbox-2 -ErrorAction SilentlyContinue } | Should -Throw -ErrorId 'KubeConnectionFailed*'
    }

    It 'an unknown context among several is an ObjectNotFound error and a wildcard matching nothing a warning; the rest run' {
        $rows = @(Get-TmlCluster @Common -Context sandbox-1, nosuch, 'prod-*' -ErrorAction SilentlyContinue -ErrorVariable failures -WarningVariable warnings 3>$null)
        ($rows.Context | Sort-Object -Unique) | Should -Be 'sandbox-1'
        $failures.Count | Should -Be 1
        $failures[0].FullyQualifiedErrorId | Should -BeLike 'KubeContextNotFound,*'
        $failures[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $failures[0].TargetObject | Should -Be 'nosuch'
        @($warnings).Count | Should -Be 1
        "$($warnings[0])" | Should -Match "prod-\*"
    }

    It 'a failing context with -ErrorAction Stop stops the fleet and cancels the requests in flight' {
        Set-ClusterFault -Cluster 1 -Operation latency -Body @{ milliseconds = 3000 }
        Set-ClusterFault -Cluster 2 -Operation faults -Body @{ count = 1000; status = 403; path = '*' }
        $watch = [Diagnostics.Stopwatch]::StartNew()
        $caught = $null
        try { Get-TmlCluster @Common -Context sandbox-1, sandbox-2 -ErrorAction Stop | Out-Null } catch { $caught = $_ }
        $watch.Stop()
        $caught | Should -Not -BeNullOrEmpty
        $caught.CategoryInfo.Category | Should -Be 'PermissionDenied'
        # sandbox-1 alone needs about ten 3 s requests; the stop ends the call at its first one.
        $watch.Elapsed.TotalSeconds | Should -BeLessThan 6
    }

    It 'Ctrl+C (StopProcessing) cancels every context within a second' {
        foreach ($i in 1..5) { Set-ClusterFault -Cluster $i -Operation latency -Body @{ milliseconds = 5000 } }
        $ps = [powershell]::Create()
        try {
            $null = $ps.AddScript('param($m, $kc) Import-Module $m; Get-TmlCluster -Context * -KubeConfig $kc -Namespace tml').AddArgument($Manifest).AddArgument($Kc)
            $handle = $ps.BeginInvoke()
            Start-Sleep -Milliseconds 1500   # well inside the first 5 s requests of all five clusters
            $handle.IsCompleted | Should -BeFalse
            $watch = [Diagnostics.Stopwatch]::StartNew()
            $ps.Stop()
            $watch.Stop()
            $watch.Elapsed.TotalMilliseconds | Should -BeLessThan 1000
            $ps.InvocationStateInfo.State | Should -Be 'Stopped'
        }
        finally { $ps.Dispose() }
    }

    It 'objects carry their context into the next cluster cmdlet: claims of two clusters waited on in their own clusters' {
        $claims = @(Get-PersistentVolumeClaim @Common -Context 'sandbox-[12]' | Wait-PersistentVolumeClaim -KubeConfig $Kc -TimeoutSec 30)
        $claims.Count | Should -Be 8
        ($claims | Group-Object Context | ForEach-Object { '{0}={1}' -f $_.Name, $_.Count } | Sort-Object) | Should -Be @('sandbox-1=4', 'sandbox-2=4')
        $claims[0].PSObject.TypeNames[0] | Should -Be 'ClusterOps.Core.Storage.PersistentVolumeClaimInfo#Fleet'
    }

    It 'Test-KubeConnection -Context * is the fleet health check: one row per context, failures as data' {
        Set-ClusterFault -Cluster 3 -Operation unreachable -Body @{ enabled = $true }
        $rows = @(Test-KubeConnection -KubeConfig $Kc -Context * -ErrorVariable failures)
        $failures.Count | Should -Be 0
        ($rows.Context | Sort-Object) | Should -Be @('sandbox-1', 'sandbox-2', 'sandbox-3', 'sandbox-4', 'sandbox-5')
        ($rows | Where-Object { -not $_.Reachable }).Context | Should -Be 'sandbox-3'
        ($rows | Where-Object Reachable).User | Sort-Object | Should -Be @('sandbox-admin-1', 'sandbox-admin-2', 'sandbox-admin-4', 'sandbox-admin-5')
    }

    It 'is safe from ForEach-Object -Parallel: each runspace works in its own context' {
        $counts = 'sandbox-1', 'sandbox-2', 'sandbox-3', 'sandbox-4' | ForEach-Object -ThrottleLimit 4 -Parallel {
            Import-Module $using:Manifest
            $claims = @(Get-PersistentVolumeClaim -KubeConfig $using:Kc -Namespace tml -Context $_ -ErrorAction Stop)
            [pscustomobject]@{ Context = $_; Claims = $claims.Count; Contexts = ($claims.Context | Sort-Object -Unique) -join ',' }
        }
        $counts.Count | Should -Be 4
        foreach ($row in $counts) {
            $row.Claims | Should -Be 4
            $row.Contexts | Should -Be $row.Context
        }
    }

    It 'Use-KubeContext in one runspace of ForEach-Object -Parallel never moves another runspace' {
        $barrier = [Threading.Barrier]::new(3)
        try {
            $seen = 'sandbox-2', 'sandbox-3', 'sandbox-4' | ForEach-Object -ThrottleLimit 3 -Parallel {
                Import-Module $using:Manifest
                Use-KubeContext $_ -KubeConfig $using:Kc
                # Every runspace has chosen its default before any of them connects.
                ($using:barrier).SignalAndWait()
                [pscustomobject]@{ Chosen = $_; Used = (Test-KubeConnection -KubeConfig $using:Kc).Context }
            }
        }
        finally { $barrier.Dispose() }
        $seen.Count | Should -Be 3
        $seen | ForEach-Object { $_.Used | Should -Be $_.Chosen }
        # This runspace still uses the kubeconfig's current-context.
        (Test-KubeConnection -KubeConfig $Kc).Context | Should -Be 'sandbox-1'
    }
}

Describe 'The fleet table views' {
    It 'exist for every cluster output type, put CONTEXT first and print every header on one line at 80 columns' {
        $fleetViews = @((Get-FormatData -TypeName 'ClusterOps.*#Fleet').FormatViewDefinition | Where-Object { $_.Control -is [System.Management.Automation.TableControl] })
        $fleetViews.Count | Should -BeGreaterOrEqual 16
        $typeNames = (Get-FormatData -TypeName 'ClusterOps.*#Fleet').TypeNames
        $violations = foreach ($typeName in $typeNames) {
            $labels = ((Get-FormatData -TypeName $typeName).FormatViewDefinition | Where-Object { $_.Control -is [System.Management.Automation.TableControl] })[0].Control.Headers.Label
            if ($labels[0] -ne 'CONTEXT') { "${typeName}: first column $($labels[0])"; continue }
            $row = [pscustomobject]@{ PSTypeName = $typeName; Context = 'arn:aws:eks:eu-west-1:123456789012:cluster/prod' }
            if ($bad = Test-ClusterOpsTableHeader $row $labels) { "${typeName}: $bad" }
        }
        $violations | Should -BeNullOrEmpty
    }
}

Describe 'Changing a fleet' {
    AfterEach { Clear-ClusterFaults }

    It 'Stop-TmlCluster -Context * -WhatIf changes nothing anywhere' {
        $before = Get-FleetState
        $before | Should -Match 'sandbox-5:TM=Running'
        Stop-TmlCluster @Common -Context * -WhatIf
        Get-FleetState | Should -Be $before
    }

    It '-Confirm:$false across several contexts of a ConfirmImpact High cmdlet needs -Force, and changes nothing without it' {
        $before = Get-FleetState
        { Stop-TmlCluster @Common -Context * -Confirm:$false } | Should -Throw -ErrorId 'FleetChangeNeedsForce*'
        Get-FleetState | Should -Be $before
    }

    It 'stop and start across three clusters keep every claim on every cluster, with a progress bar per context under the fleet' {
        $three = 'sandbox-1', 'sandbox-2', 'sandbox-3'
        $claims = Get-ClaimFingerprint -Context $three
        ($claims -split ';').Count | Should -Be 12

        $ps = [powershell]::Create()
        try {
            $null = $ps.AddScript('param($m, $kc, $ctx) Import-Module $m; Stop-TmlCluster -Context $ctx -KubeConfig $kc -Namespace tml -Force').
                AddArgument($Manifest).AddArgument($Kc).AddArgument($three)
            $ps.Invoke()
            $ps.Streams.Error | Should -BeNullOrEmpty
            $fleetBar = 0x0F1E0000
            $parent = @($ps.Streams.Progress | Where-Object ActivityId -eq $fleetBar)
            $parent[-1].StatusDescription | Should -Be '3 of 3 contexts done'
            $children = @($ps.Streams.Progress | Where-Object ParentActivityId -eq $fleetBar)
            ($children.Activity | ForEach-Object { ($_ -split ' ')[0] } | Sort-Object -Unique) | Should -Be @('[sandbox-1]', '[sandbox-2]', '[sandbox-3]')
        }
        finally { $ps.Dispose() }

        (Get-TmlCluster @Common -Context $three | Select-Object -ExpandProperty ClusterState -Unique).ToString() | Should -Be 'Stopped'
        (Get-TmlCluster @Common -Context sandbox-4 | Select-Object -First 1).ClusterState.ToString() | Should -Be 'Running'
        Get-ClaimFingerprint -Context $three | Should -Be $claims

        Start-TmlCluster @Common -Context $three -TimeoutSec 60
        (Get-TmlCluster @Common -Context $three | Select-Object -ExpandProperty ClusterState -Unique).ToString() | Should -Be 'Running'
        Get-ClaimFingerprint -Context $three | Should -Be $claims
    }
}

Describe 'A context piped into a cluster cmdlet' {
    BeforeAll {
        # A cluster with every kind (Stork, 3scale, TML), so each cmdlet gets as far as its real work.
        $script:All = Start-ClusterOpsSandbox -Scenario all
        # Every cluster cmdlet, with what it needs besides what a pipeline could give; state changes only rehearsed.
        $script:Extra = @{
            'New-MigrationSchedule'  = @{ Name = 'piped-check'; ClusterPair = 'remote'; Namespaces = 'default' }
            'Start-ApiManagerBackup' = @{ StorageSize = '1Gi' }
            'Start-ApiManagerRestore' = @{ BackupName = 'piped-check' }
        }
        $contextProperties = (Get-KubeContext -KubeConfig $All.KubeConfig sandbox).PSObject.Properties.Name
        $script:ClusterCmdlets = Get-Command -Module ClusterOps | Where-Object { $_.Parameters.ContainsKey('PipelineInput') } | ForEach-Object {
            $set = $_.ParameterSets | Where-Object IsDefault | Select-Object -First 1
            if (-not $set) { $set = $_.ParameterSets[0] }
            # A required parameter that a piped object would fill: a piped context fills none of them.
            $fromPipeline = @($set.Parameters | Where-Object { $_.IsMandatory -and $_.Name -ne 'PipelineInput' -and
                    ($_.ValueFromPipeline -or ($_.ValueFromPipelineByPropertyName -and $_.Name -in $contextProperties)) })
            @{ Name = $_.Name; NeedsInput = $fromPipeline.Count -gt 0; Rehearse = $_.Parameters.ContainsKey('WhatIf') }
        }
        # Output and the distinct error ids of one call, terminating or not.
        function Invoke-Case([scriptblock] $Call) {
            $caught = @()
            $out = try { @(& $Call) } catch { $caught = @($_) }
            [pscustomobject]@{ Output = @($out); ErrorIds = @(@($script:CaseErrors) + $caught | ForEach-Object FullyQualifiedErrorId | Sort-Object -Unique) }
        }
    }

    AfterAll {
        if ($script:All) { $script:All.Stop() }
    }

    It 'covers every cluster cmdlet' {
        $ClusterCmdlets.Count | Should -BeGreaterOrEqual 28
    }

    It '<Name>: a piped context selects where to run and supplies no object name' -ForEach $PipedCases {
        $info = $ClusterCmdlets | Where-Object { $_.Name -eq $Name }
        $arguments = @{ KubeConfig = $All.KubeConfig } + $(if ($Extra[$Name]) { $Extra[$Name] } else { @{} })
        if ($info.Rehearse) { $arguments.WhatIf = $true }
        $piped = Invoke-Case { Get-KubeContext -KubeConfig $All.KubeConfig sandbox | & $Name @arguments -ErrorAction SilentlyContinue -ErrorVariable script:CaseErrors 3>$null 6>$null }
        if ($info.NeedsInput) {
            # Remove-SchedulePolicy would otherwise remove a policy named after the context.
            $piped.Output | Should -BeNullOrEmpty
            $piped.ErrorIds | Should -Be @("PipedContextGivesNoName,$((Get-Command $Name).ImplementingType.FullName)")
        }
        else {
            # Exactly what -Context sandbox does: the same objects, the same errors.
            $direct = Invoke-Case { & $Name @arguments -Context sandbox -ErrorAction SilentlyContinue -ErrorVariable script:CaseErrors 3>$null 6>$null }
            $piped.Output.Count | Should -Be $direct.Output.Count
            $piped.ErrorIds | Should -Be $direct.ErrorIds
            $piped.Output | ForEach-Object { $_.Context | Should -Be 'sandbox' }
        }
    }

    It 'a context name that is no valid object name (an EKS ARN) is not validated as one' {
        $arn = Join-Path ([IO.Path]::GetTempPath()) ("clusterops-arn-{0}.kubeconfig" -f [guid]::NewGuid().ToString('n'))
        try {
            (Get-Content -Raw $Kc) -replace 'sandbox-4', 'arn:aws:eks:eu-west-1:123456789012:cluster/prod' | Set-Content $arn
            $claims = @(Get-KubeContext -KubeConfig $arn 'arn:*' | Get-PersistentVolumeClaim -KubeConfig $arn -Namespace tml)
            $claims.Count | Should -Be 4
            $claims[0].Context | Should -Be 'arn:aws:eks:eu-west-1:123456789012:cluster/prod'
        }
        finally { Remove-Item $arn -ErrorAction SilentlyContinue }
    }

    It 'an object the cmdlet cannot bind is still refused, as PowerShell would' {
        'just-a-string' | Get-PersistentVolumeClaim -KubeConfig $Kc -Context sandbox-4 -ErrorAction SilentlyContinue -ErrorVariable failures | Should -BeNullOrEmpty
        $failures[0].FullyQualifiedErrorId | Should -BeLike 'InputObjectNotBound,*'
    }
}

Describe 'Get-ClusterPair and the local kubeconfig' {
    BeforeAll {
        $script:Stork = Start-ClusterOpsSandbox -Scenario stork
        # The seed's pairs point at https://remote.sandbox.local:6443; a second kubeconfig also knows that cluster.
        $script:WithRemote = Join-Path ([IO.Path]::GetTempPath()) ("clusterops-dr-{0}.kubeconfig" -f [guid]::NewGuid().ToString('n'))
        $text = (Get-Content -Raw $Stork.KubeConfig) -replace "(?m)^clusters:\n", "clusters:`n- name: dr`n  cluster:`n    server: https://REMOTE.sandbox.local:6443/`n" `
            -replace "(?m)^contexts:\n", "contexts:`n- name: dr-site`n  context:`n    cluster: dr`n    user: sandbox-admin`n"
        Set-Content -LiteralPath $WithRemote -Value $text
    }
    AfterAll {
        if ($script:Stork) { $script:Stork.Stop() }
        Remove-Item $script:WithRemote -ErrorAction SilentlyContinue
    }

    It 'names the local context that reaches each pair''s remote cluster, by server URL' {
        $pairs = @(Get-ClusterPair -KubeConfig $WithRemote -Context sandbox -Namespace mysql)
        $pairs.Count | Should -Be 2
        $pairs | ForEach-Object {
            $_.RemoteServer | Should -Be 'https://remote.sandbox.local:6443'
            $_.RemoteKubeContext | Should -Be 'dr-site'
        }
        # A kubeconfig without that cluster: the pair says so with an empty RemoteKubeContext.
        $plain = @(Get-ClusterPair -KubeConfig $Stork.KubeConfig -Namespace mysql)
        $plain.Count | Should -Be 2
        $plain | ForEach-Object { $_.RemoteKubeContext | Should -BeNullOrEmpty }
    }
}
