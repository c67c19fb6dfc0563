#Requires -Version 7.4
# The TML stop -> check -> start tour through the cmdlets against the sandbox `tml` scenario, in both stop modes,
# with -WhatIf, -Confirm:$false, -Force, Format-Table and Export-Csv. The Its run in order and share one cluster.

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    Import-ClusterOpsTestModule | Out-Null
    $script:Sandbox = Start-ClusterOpsSandbox -Scenario tml
    $script:Common = @{ KubeConfig = $script:Sandbox.KubeConfig; Namespace = 'tml' }
    $script:ClaimNames = @('cachevol-cache-set-0-0', 'logvol-log-set-0-0', 'nosqlvol-cass-set-0-0', 'sqlvol-mysql-set-0-0')

    function Get-ClusterState { $c = $script:Common; (Get-TmlCluster @c | Select-Object -First 1).ClusterState.ToString() }
    function Get-ClaimFingerprint {
        $c = $script:Common
        (Get-PersistentVolumeClaim @c | Sort-Object Name | ForEach-Object { '{0}={1}/{2}' -f $_.Name, $_.Status, $_.Volume }) -join ';'
    }

    # The sandbox's controllers create and bind the claims just after start (the test may poll for that); the pods
    # become Ready shortly after, and Start-TmlCluster on a running cluster only waits for them.
    $c = $script:Common
    Initialize-ClusterOpsTmlCluster $c
    $script:Claims = Get-ClaimFingerprint
}

AfterAll {
    if ($script:Sandbox) { $script:Sandbox.Stop() }
}

Describe 'TML cluster lifecycle' {
    It 'Get-TmlCluster shows six running components in start order' {
        $rows = @(Get-TmlCluster @Common)
        $rows.Component | Should -Be @('NoSQL', 'CM', 'Log', 'DB', 'Cache', 'TM')
        $rows | ForEach-Object { $_.State.ToString() | Should -Be 'Running' }
        $rows[0].Workload | Should -Be 'statefulset/cass-set-0'
        $rows[0].Replicas | Should -Be '1/1'
        $rows[0].ClaimsBound | Should -Be '1/1'
        Get-TmlCluster @Common | Format-Table | Out-String | Should -Match 'COMPONENT\s+ZONE\s+WORKLOAD\s+REPLICAS'
    }

    It 'Stop-TmlCluster -WhatIf changes nothing' {
        $out = @(Stop-TmlCluster @Common -Mode Undeploy -WhatIf -InformationVariable info)
        $out | Should -BeNullOrEmpty
        $steps = @($info.MessageData)
        $steps | Where-Object Result -eq 'NotConfirmed' | Should -Not -BeNullOrEmpty
        $steps | Where-Object Result -eq 'Done' | Where-Object Action -ne 'CheckClaims' | Should -BeNullOrEmpty
        Get-ClusterState | Should -Be 'Running'
    }

    It 'Stop-TmlCluster -Confirm:$false scales to zero in stop order and checks the claims' {
        # Silent without -PassThru (issue 12 §3): the steps are typed records on the information stream.
        $out = @(Stop-TmlCluster @Common -Confirm:$false -InformationVariable info)
        $out | Should -BeNullOrEmpty
        $steps = @($info.MessageData)
        ($steps | Where-Object Action -eq 'ScaleToZero').Component | Should -Be @('CM', 'TM', 'Cache', 'DB', 'Log', 'NoSQL')
        $steps | ForEach-Object { $_.Result.ToString() | Should -Be 'Done' }
        $steps[-1].Action | Should -Be 'CheckClaims'
        Get-ClusterState | Should -Be 'Stopped'
        Get-ClaimFingerprint | Should -Be $script:Claims
    }

    It 'stopping again through the pipeline changes nothing, once, and says so' {
        # Six rows bind Namespace by property name; the cluster is handled once per invocation.
        $steps = @(Get-TmlCluster @Common | Stop-TmlCluster -KubeConfig $Sandbox.KubeConfig -Confirm:$false -Verbose -InformationVariable info 4>&1)
        $records = @($info.MessageData | Where-Object { $_ -is [ClusterOps.Core.Lifecycle.LifecycleStepRecord] })
        $records.Count | Should -Be 7
        $records | Where-Object { $_.Result -eq 'Done' -and $_.Action -ne 'CheckClaims' } | Should -BeNullOrEmpty
        ($steps | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }).Message -join "`n" | Should -Match 'already stopped'
    }

    It 'Start-TmlCluster brings it back in start order' {
        $null = Start-TmlCluster @Common -TimeoutSec 60 -InformationVariable info
        $steps = @($info.MessageData)
        ($steps | Where-Object Action -eq 'ScaleUp').Component | Should -Be @('NoSQL', 'CM', 'Log', 'DB', 'Cache', 'TM')
        Get-ClusterState | Should -Be 'Running'
        Get-ClaimFingerprint | Should -Be $script:Claims
    }

    It 'Stop-TmlCluster -Mode Undeploy -Force -PassThru saves a record, deletes, and reports Stopped' {
        $rows = @(Stop-TmlCluster @Common -Mode Undeploy -Force -PassThru -InformationVariable info)
        $steps = @($info.MessageData)
        # One object type per invocation: -PassThru writes only the cluster acted on.
        $rows | ForEach-Object { $_ | Should -BeOfType ([ClusterOps.Core.Lifecycle.ClusterComponentInfo]) }
        $steps[0].Action | Should -Be 'SaveRestoreRecord'
        $steps | Where-Object Action -eq 'DeleteService' | Should -Not -BeNullOrEmpty
        $rows.Count | Should -Be 6
        $rows | ForEach-Object { $_.State.ToString() | Should -Be 'Stopped' }
        Get-ClaimFingerprint | Should -Be $script:Claims
    }

    It 'Start-TmlCluster recreates the cluster from the record and the steps export to CSV' {
        $csv = Join-Path ([IO.Path]::GetTempPath()) ("tml-start-{0}.csv" -f [guid]::NewGuid().ToString('n'))
        try {
            $null = Start-TmlCluster @Common -TimeoutSec 60 -InformationVariable info
            $info.MessageData | Export-Csv -Path $csv
            $rows = @(Import-Csv -Path $csv)
            foreach ($column in 'Namespace', 'Component', 'Action', 'Object', 'Result', 'Duration', 'Message') {
                $rows[0].PSObject.Properties.Name | Should -Contain $column
            }
            ($rows | Where-Object Action -eq 'CreateWorkload').Object | Should -Contain 'statefulset/cass-set-0'
            $rows[-1].Action | Should -Be 'DeleteRestoreRecord'
        }
        finally {
            Remove-Item -Path $csv -ErrorAction SilentlyContinue
        }
        Get-ClusterState | Should -Be 'Running'
        Get-ClaimFingerprint | Should -Be $script:Claims
    }

    It 'Get-TmlCluster exports flat columns to CSV' {
        $csv = Join-Path ([IO.Path]::GetTempPath()) ("tml-state-{0}.csv" -f [guid]::NewGuid().ToString('n'))
        try {
            Get-TmlCluster @Common | Export-Csv -Path $csv
            $rows = @(Import-Csv -Path $csv)
            $rows.Count | Should -Be 6
            foreach ($column in 'Component', 'Workload', 'Replicas', 'Pods', 'Claims', 'ClaimsBound', 'SecretsPresent', 'State', 'ClusterState') {
                $rows[0].PSObject.Properties.Name | Should -Contain $column
            }
        }
        finally {
            Remove-Item -Path $csv -ErrorAction SilentlyContinue
        }
    }

    It 'reports bad input clearly' {
        { Get-TmlCluster -KubeConfig $Sandbox.KubeConfig -Namespace default -ErrorAction Stop } | Should -Throw -ErrorId 'ClusterNotFound*'
        { Get-TmlCluster -KubeConfig $Sandbox.KubeConfig -Namespace no-such-namespace -ErrorAction Stop } | Should -Throw -ErrorId 'NamespaceNotFound*'
        { Get-TmlCluster @Common -Zones 0 -ErrorAction Stop } | Should -Throw -ErrorId 'ParameterArgumentValidationError*'
        try { Get-TmlCluster -KubeConfig $Sandbox.KubeConfig -Namespace default -ErrorAction Stop } catch { $_.Exception.Message | Should -Match 'No Mashery Local cluster found in namespace .default.' }
    }

    It 'Remove-TmlCluster -WhatIf deletes nothing' {
        $null = Remove-TmlCluster @Common -WhatIf
        Get-ClusterState | Should -Be 'Running'
        @(Get-PersistentVolumeClaim @Common).Count | Should -Be 4
    }

    It 'Remove-TmlCluster -Force deletes the cluster and its claims but says which volumes stay' {
        $null = Remove-TmlCluster @Common -Force -WarningVariable warnings -WarningAction SilentlyContinue -InformationVariable info
        $steps = @($info.MessageData)
        ($steps | Where-Object Action -eq 'DeleteClaim').Object | Sort-Object |
            Should -Be ($script:ClaimNames | ForEach-Object { "persistentvolumeclaim/$_" })
        ($warnings -join "`n") | Should -Match 'retained'
        @(Get-PersistentVolumeClaim @Common).Count | Should -Be 0
        { Get-TmlCluster @Common -ErrorAction Stop } | Should -Throw -ErrorId 'ClusterNotFound*'
    }
}

Describe 'The lifecycle lease: one Stop/Start/Remove-TmlCluster per cluster at a time' {
    BeforeAll {
        # Its own cluster: the tour above ends by removing its cluster.
        $script:LeaseSandbox = Start-ClusterOpsSandbox -Scenario tml
        $script:LeaseCommon = @{ KubeConfig = $script:LeaseSandbox.KubeConfig; Namespace = 'tml' }
        $lc = $script:LeaseCommon
        Initialize-ClusterOpsTmlCluster $lc
        function Get-LeaseClusterState { $lc = $script:LeaseCommon; (Get-TmlCluster @lc | Select-Object -First 1).ClusterState.ToString() }

        # Another machine's run holds the cluster: a Lease as kubectl (or that run) wrote it.
        function New-HeldLease([int] $DurationSeconds) {
            $now = [DateTime]::UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'")
            @"
apiVersion: coordination.k8s.io/v1
kind: Lease
metadata:
  name: clusterops-lifecycle-tml
  namespace: tml
  labels: { clusterops.io/lifecycle-lease: clusterops-lifecycle-tml }
  annotations: { clusterops.io/holder: 'Stop-TmlCluster -Mode Undeploy by ops on runner-7 (pid 4242)' }
spec: { holderIdentity: ops@runner-7/4242/deadbeef, leaseDurationSeconds: $DurationSeconds, acquireTime: '$now', renewTime: '$now' }
"@ | kubectl --kubeconfig $script:LeaseSandbox.KubeConfig create -f - | Out-Null
            if ($LASTEXITCODE -ne 0) { throw 'kubectl could not create the lease' }
        }
    }

    AfterAll {
        if ($script:LeaseSandbox) { $script:LeaseSandbox.Stop() }
    }

    It 'a second command fails at once with ClusterBusy naming the holder, and changes nothing' {
        $c = $script:LeaseCommon
        New-HeldLease -DurationSeconds 60
        try {
            $before = Get-LeaseClusterState
            $err = @()
            try { Stop-TmlCluster @c -Confirm:$false -ErrorAction Stop | Out-Null } catch { $err = @($_) }
            $err.Count | Should -Be 1
            $err[0].FullyQualifiedErrorId | Should -BeLike 'ClusterBusy,*'
            $err[0].CategoryInfo.Category | Should -Be 'ResourceBusy'
            $err[0].Exception.Message | Should -BeLike '*Stop-TmlCluster -Mode Undeploy by ops on runner-7 (pid 4242) holds its lifecycle lease*'
            $err[0].ErrorDetails.RecommendedAction | Should -BeLike '*-Wait*'
            Get-LeaseClusterState | Should -Be $before
        }
        finally {
            kubectl --kubeconfig $script:LeaseSandbox.KubeConfig delete lease -n tml clusterops-lifecycle-tml --ignore-not-found | Out-Null
        }
    }

    It '-Wait outlasts a lease that its holder stopped renewing, then takes it over and runs' {
        $c = $script:LeaseCommon
        New-HeldLease -DurationSeconds 2
        $warnings = @()
        Start-TmlCluster @c -Wait -TimeoutSec 60 -WarningVariable warnings -WarningAction SilentlyContinue | Out-Null
        ($warnings -join "`n") | Should -BeLike '*Took over the lifecycle lease*ops on runner-7 (pid 4242)*'
        Get-LeaseClusterState | Should -Be 'Running'
        kubectl --kubeconfig $script:LeaseSandbox.KubeConfig get lease -n tml -o name | Should -BeNullOrEmpty -Because 'the run released its lease'
    }
}

Describe 'Start-TmlCluster -DefinitionPath: a cluster stopped by the kit''s stop-tml-cluster.sh starts from the kit' {
    BeforeAll {
        $script:KitSandbox = Start-ClusterOpsSandbox -Scenario tml
        $script:KitCommon = @{ KubeConfig = $script:KitSandbox.KubeConfig; Namespace = 'tml' }
        $kc = $script:KitCommon
        Initialize-ClusterOpsTmlCluster $kc

        function Invoke-KitKubectl { & kubectl --kubeconfig $script:KitSandbox.KubeConfig -n tml @args 2>&1; if ($LASTEXITCODE -ne 0) { throw "kubectl $args failed" } }
        # Each claim with its phase, volume and uid: the same claim objects on the same volumes, so the same data.
        function Get-ClaimIdentity {
            (Invoke-KitKubectl get pvc -o 'jsonpath={range .items[*]}{.metadata.name}={.status.phase}/{.spec.volumeName}/{.metadata.uid};{end}') -join ''
        }
        function Get-KitObjectNames {
            (Invoke-KitKubectl get 'services,secrets,statefulsets,deployments,leases' -o name | Sort-Object) -join ','
        }

        # What stop-tml-cluster.sh does: per component (cm, tm, cache, sql, log, nosql) its secrets, then
        # `kubectl delete -f <x>-pod-0.yaml`; then the services. Claims, storage classes and cluster secrets stay.
        $script:ClaimsBefore = Get-ClaimIdentity
        Invoke-KitKubectl delete secret cm-property cm-jks cm-crt cm-key cm-resource | Out-Null
        Invoke-KitKubectl delete deployment cm-deploy-0 | Out-Null
        Invoke-KitKubectl delete secret tm-property tm-jks tm-trust-jks tm-resource | Out-Null
        Invoke-KitKubectl delete deployment tm-deploy-0 | Out-Null
        Invoke-KitKubectl delete secret cache-property cache-resource | Out-Null
        Invoke-KitKubectl delete statefulset cache-set-0 | Out-Null
        Invoke-KitKubectl delete secret sql-property sql-resource | Out-Null
        Invoke-KitKubectl delete statefulset mysql-set-0 | Out-Null
        Invoke-KitKubectl delete secret log-property log-resource | Out-Null
        Invoke-KitKubectl delete statefulset log-set-0 | Out-Null
        Invoke-KitKubectl delete secret nosql-property nosql-resource nosql-p12 nosql-trust-p12 | Out-Null
        Invoke-KitKubectl delete statefulset cass-set-0 | Out-Null
        Invoke-KitKubectl delete service cm-svc-0 tm-svc cache-svc-0 mysql-svc-0 log-svc-0 cass-svc-0 | Out-Null
        Invoke-KitKubectl wait --for=delete pods --all --timeout=60s | Out-Null

        # A private copy of the example kit under a parent directory, to start from a relative path.
        $script:KitParent = Join-Path $TestDrive 'kits'
        New-Item -ItemType Directory -Path $script:KitParent | Out-Null
        Copy-Item -Recurse -LiteralPath (Join-Path $PSScriptRoot '../../docs/examples/manifest-single-zone') -Destination $script:KitParent
        $script:Kit = Join-Path $script:KitParent 'manifest-single-zone'
    }

    AfterAll {
        if ($script:KitSandbox) { $script:KitSandbox.Stop() }
    }

    It 'without a source the error names the restore record and the kit directory it looked for' {
        $kc = $script:KitCommon
        $before = Get-KitObjectNames
        $err = $null
        try { Start-TmlCluster @kc -TimeoutSec 60 -ErrorAction Stop } catch { $err = $_ }
        $err | Should -Not -BeNullOrEmpty
        $err.FullyQualifiedErrorId | Should -BeLike 'ClusterDefinitionsMissing,*'
        $err.CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $err.Exception.Message | Should -BeLike "*restore record secret/clusterops-tml-restore in namespace 'tml' (not found)*"
        $err.Exception.Message | Should -BeLike '*a kit directory (none given: -DefinitionPath names the directory holding start-tml-cluster.sh)*'
        $err.ErrorDetails.RecommendedAction | Should -BeLike '*-DefinitionPath*'
        Get-KitObjectNames | Should -Be $before
    }

    It 'a kit directory with one invalid file starts nothing' {
        $kc = $script:KitCommon
        $broken = Join-Path $TestDrive 'broken'
        Copy-Item -Recurse -LiteralPath $script:Kit -Destination $broken
        Set-Content -LiteralPath (Join-Path $broken 'cache-pod-0.yaml') -Value "apiVersion: apps/v1`nkind: StatefulSet`nmetadata: {name: cache-set-0`n"
        $before = Get-KitObjectNames
        $err = $null
        try { Start-TmlCluster @kc -DefinitionPath $broken -TimeoutSec 60 -ErrorAction Stop } catch { $err = $_ }
        $err.FullyQualifiedErrorId | Should -BeLike 'KitYamlInvalid,*'
        $err.CategoryInfo.Category | Should -Be 'InvalidData'
        $err.Exception.Message | Should -BeLike '*nothing was started*cache-pod-0.yaml is not valid YAML at line*'
        Get-KitObjectNames | Should -Be $before -Because 'no service, secret, workload or lease may be created'
    }

    It 'a missing kit directory is refused naming the path' {
        $kc = $script:KitCommon
        { Start-TmlCluster @kc -DefinitionPath (Join-Path $TestDrive 'no-such-kit') -ErrorAction Stop } | Should -Throw -ErrorId 'KitDirectoryNotFound*'
    }

    It 'starts from a relative kit path in the kit''s order and keeps every claim Bound on its volume' {
        $kc = $script:KitCommon
        Push-Location -LiteralPath $script:KitParent
        try {
            $rows = @(Start-TmlCluster @kc -DefinitionPath ./manifest-single-zone -TimeoutSec 60 -PassThru -InformationVariable info)
        }
        finally {
            Pop-Location
        }
        $steps = @($info.MessageData)
        ($steps | Where-Object Action -eq 'CreateWorkload').Component | Should -Be @('NoSQL', 'CM', 'Log', 'DB', 'Cache', 'TM')
        ($steps | Where-Object Object -eq 'statefulset/cass-set-0' | Where-Object Action -eq 'CreateWorkload').Message | Should -Be 'created from nosql-pod-0.yaml'
        $rows.Count | Should -Be 6
        $rows | ForEach-Object { $_.State.ToString() | Should -Be 'Running'; $_.SecretsPresent | Should -Match '^(\d+)/\1$' }
        Get-ClaimIdentity | Should -Be $script:ClaimsBefore
        @(Get-PersistentVolumeClaim @kc -Status Bound).Count | Should -Be 4
        $property = Invoke-KitKubectl get secret tm-property -o 'jsonpath={.data.tml_tm_properties\.json}'
        [Text.Encoding]::UTF8.GetString([Convert]::FromBase64String(($property -join ''))) |
            Should -Be (Get-Content -Raw -LiteralPath (Join-Path $script:Kit 'tml_tm_properties.json'))
    }
}
