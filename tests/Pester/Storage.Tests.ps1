#Requires -Version 7.4
# Get-PersistentVolumeClaim, Get-PersistentVolume and Wait-PersistentVolumeClaim against the sandbox `tml` scenario,
# as a user would drive them.

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    Import-ClusterOpsTestModule | Out-Null
    $script:Sandbox = Start-ClusterOpsSandbox -Scenario tml
    $script:Common = @{ KubeConfig = $script:Sandbox.KubeConfig }
    $script:TmlClaims = @('cachevol-cache-set-0-0', 'logvol-log-set-0-0', 'nosqlvol-cass-set-0-0', 'sqlvol-mysql-set-0-0')
    # The sandbox's StatefulSet controller creates the claims from the templates just after start (the test may
    # poll for that); then the cmdlet under test waits for them to bind.
    $c = $script:Common
    Wait-ClusterOpsCondition { @(Get-PersistentVolumeClaim -Namespace tml @c).Count -ge 4 } 'the four claims of the tml scenario'
    Wait-PersistentVolumeClaim -Name $script:TmlClaims -Namespace tml -TimeoutSec 60 @c | Out-Null
}

AfterAll {
    if ($script:Sandbox) { $script:Sandbox.Stop() }
}

Describe 'Get-PersistentVolumeClaim' {
    It 'lists the TML claims with the cells kubectl shows' {
        $claims = @(Get-PersistentVolumeClaim -Namespace tml @Common)
        $claims.Name | Sort-Object | Should -Be $script:TmlClaims
        foreach ($claim in $claims) {
            $claim | Should -BeOfType ClusterOps.Core.Storage.PersistentVolumeClaimInfo
            $claim.Status | Should -Be 'Bound'
            $claim.AccessModes | Should -Be 'RWO'
            $claim.Capacity | Should -Be 2GB # bytes: 2Gi
            $claim.Namespace | Should -Be 'tml'
            $claim.Created | Should -BeOfType System.DateTimeOffset
        }
        ($claims | Where-Object Name -eq 'nosqlvol-cass-set-0-0').Volume | Should -Be 'cass-1-local-pv-node-1'
        ($claims | Where-Object Name -eq 'sqlvol-mysql-set-0-0').StorageClass | Should -Be 'sql-storage-class'
    }

    It 'filters by wildcard name, label selector and status' {
        (Get-PersistentVolumeClaim -Name '*sql*' -Namespace tml @Common).Name | Sort-Object |
            Should -Be @('nosqlvol-cass-set-0-0', 'sqlvol-mysql-set-0-0')
        # Names are case-sensitive, wildcards included (kubectl's rule).
        Get-PersistentVolumeClaim -Name '*SQL*' -Namespace tml @Common | Should -BeNullOrEmpty
        (Get-PersistentVolumeClaim -Namespace tml -Selector 'app in (log-svc,cache-svc)' @Common).Name | Sort-Object |
            Should -Be @('cachevol-cache-set-0-0', 'logvol-log-set-0-0')
        @(Get-PersistentVolumeClaim -Namespace tml -Status Pending @Common).Count | Should -Be 0
    }

    It 'prints the kubectl columns by default and NAMESPACE first with -AllNamespaces' {
        $table = Get-PersistentVolumeClaim -Namespace tml @Common | Format-Table | Out-String
        $table | Should -Match 'NAME\s+STATUS\s+CAPACITY\s+ACCESS MODES\s+STORAGECLASS\s+AGE\s+VOLUME'
        $table | Should -Match '\s2Gi\s'
        $table | Should -Not -Match 'NAMESPACE'
        $all = Get-PersistentVolumeClaim -AllNamespaces @Common | Format-Table | Out-String
        $all | Should -Match 'NAMESPACE\s+NAME\s+STATUS\s+CAPACITY\s+STORAGECLASS\s+AGE\s+VOLUME'
        $all | Should -Match 'tml\s+cachevol-cache-set-0-0\s+Bound'
    }

    It 'reports a missing name as a non-terminating error and goes on' {
        $found = Get-PersistentVolumeClaim -Name 'nope', 'logvol-log-set-0-0' -Namespace tml @Common -ErrorAction SilentlyContinue -ErrorVariable missing
        $found.Name | Should -Be 'logvol-log-set-0-0'
        $missing.Count | Should -Be 1
        $missing[0].FullyQualifiedErrorId | Should -BeLike 'PersistentVolumeClaimNotFound*'
        $missing[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
    }

    It 'rejects a malformed selector before asking the server' {
        { Get-PersistentVolumeClaim -Namespace tml -Selector 'app in (x' @Common -ErrorAction Stop } |
            Should -Throw -ErrorId 'InvalidLabelSelector*'
    }

    It 'exports flat columns to CSV' {
        $csv = Join-Path ([IO.Path]::GetTempPath()) ("claims-{0}.csv" -f [guid]::NewGuid().ToString('n'))
        try {
            Get-PersistentVolumeClaim -Namespace tml @Common | Export-Csv -Path $csv
            $rows = @(Import-Csv -Path $csv)
            $rows.Count | Should -Be 4
            foreach ($column in 'Name', 'Namespace', 'Status', 'Volume', 'Capacity', 'AccessModes', 'StorageClass', 'VolumeMode', 'Created', 'Age') {
                $rows[0].PSObject.Properties.Name | Should -Contain $column
            }
            ($rows | Where-Object Name -eq 'nosqlvol-cass-set-0-0').AccessModes | Should -Be 'RWO'
        }
        finally {
            Remove-Item -Path $csv -ErrorAction SilentlyContinue
        }
    }
}

Describe 'Get-PersistentVolume' {
    It 'lists the TML volumes with claim and reclaim policy' {
        $pv = Get-PersistentVolume -Name 'cass-1-local-pv-node-1' @Common
        $pv | Should -BeOfType ClusterOps.Core.Storage.PersistentVolumeInfo
        $pv.Status | Should -Be 'Bound'
        $pv.Claim | Should -Be 'tml/nosqlvol-cass-set-0-0'
        $pv.ReclaimPolicy | Should -Be 'Retain'
        (Get-PersistentVolume -Name '*-local-pv-*' @Common).Count | Should -Be 4
    }

    It 'prints the kubectl PV columns' {
        Get-PersistentVolume @Common | Format-Table | Out-String |
            Should -Match 'NAME\s+CAPACITY\s+ACCESS MODES\s+RECLAIM POLICY\s+STATUS\s+CLAIM'
    }

    It 'follows claims through the pipeline by volume name' {
        $volumes = Get-PersistentVolumeClaim -Namespace tml @Common | ForEach-Object { Get-PersistentVolume -Name $_.Volume @Common }
        @($volumes).Count | Should -Be 4
    }
}

Describe 'Wait-PersistentVolumeClaim' {
    It 'passes bound claims through from the pipeline' {
        $claims = Get-PersistentVolumeClaim -Namespace tml @Common | Wait-PersistentVolumeClaim -TimeoutSec 30 @Common
        $claims.Name | Sort-Object | Should -Be $script:TmlClaims
    }

    It 'returns every bound claim and one non-terminating error per claim that misses -TimeoutSec, waiting on namespaces at the same time' {
        # Two claims no provisioner will bind (an unknown storage class), each in its own namespace that sorts before tml.
        $manifest = foreach ($ns in 'a-wait-1', 'a-wait-2') {
            "apiVersion: v1`nkind: Namespace`nmetadata:`n  name: $ns`n---"
            "apiVersion: v1`nkind: PersistentVolumeClaim`nmetadata:`n  name: stuck`n  namespace: $ns`nspec:`n  accessModes: [ReadWriteOnce]`n  storageClassName: no-such-class`n  resources:`n    requests:`n      storage: 1Gi`n---"
        }
        ($manifest -join "`n") | & kubectl --kubeconfig $script:Sandbox.KubeConfig create -f - | Out-Null
        $LASTEXITCODE | Should -Be 0
        try {
            $watch = [Diagnostics.Stopwatch]::StartNew()
            $claims = @(Get-PersistentVolumeClaim -AllNamespaces @Common |
                Wait-PersistentVolumeClaim -TimeoutSec 4 -ErrorAction SilentlyContinue -ErrorVariable late @Common)
            $watch.Stop()
            $claims.Name | Sort-Object | Should -Be $script:TmlClaims
            $late.Count | Should -Be 2
            $late | ForEach-Object {
                $_.FullyQualifiedErrorId | Should -BeLike 'ClaimWaitTimeout,*'
                $_.CategoryInfo.Category | Should -Be 'OperationTimeout'
                $_.TargetObject | Should -Be 'stuck'
                $_.Exception.Message | Should -Match '-TimeoutSec \(4 s\)'
            }
            # One after the other, the two namespaces would take two timeouts (8 s and more).
            $watch.Elapsed.TotalSeconds | Should -BeLessThan 7
        }
        finally {
            & kubectl --kubeconfig $script:Sandbox.KubeConfig delete namespace a-wait-1 a-wait-2 --wait=false 2>&1 | Out-Null
        }
    }

    It 'reports a claim that does not exist' {
        $null = Wait-PersistentVolumeClaim -Name 'nope' -Namespace tml -TimeoutSec 5 @Common -ErrorAction SilentlyContinue -ErrorVariable missing
        $missing[0].FullyQualifiedErrorId | Should -BeLike 'PersistentVolumeClaimNotFound*'
    }
}

Describe 'A list that fails part-way' {
    BeforeAll {
        # 1,200 claims: three pages of 500. The second page fails for good after the first was written.
        $script:Big = Start-ClusterOpsSandbox -Scenario empty -ExtraArguments '--pvcs', '1200'
    }
    AfterAll {
        if ($script:Big) { $script:Big.Stop() }
    }

    It 'says how many objects were already written, so an export knows it is incomplete' {
        Invoke-ClusterOpsSandboxAdmin -Sandbox $script:Big -Operation faults -Method POST -Body @{
            method = 'GET'; path = '*/persistentvolumeclaims'; status = 500; count = 50; skip = 1
        } | Out-Null
        $written = [System.Collections.Generic.List[object]]::new()
        $failure = $null
        try { Get-PersistentVolumeClaim -AllNamespaces -KubeConfig $script:Big.KubeConfig -ErrorAction Stop | ForEach-Object { $written.Add($_) } }
        catch { $failure = $_ }
        $failure | Should -Not -BeNullOrEmpty
        $written.Count | Should -Be 500
        $failure.ErrorDetails.Message | Should -BeLike '*500 object(s) had already been written to the pipeline before this error: the output is incomplete.'
    }
}
