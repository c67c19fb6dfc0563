#Requires -Version 7.4
# 3scale API Management backup and restore, driven as a user would: against the sandbox's 3scale scenario (one
# APIManager with external databases, its secrets and config maps, the system-storage claim) and the sandbox's own
# 3scale operator, which runs the backup and restore Jobs as the real operator does.
# Error ids are matched as FullyQualifiedErrorId ('<ErrorId>,<cmdlet class>'), hence the trailing ',*'.

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    Import-ClusterOpsTestModule
}

Describe 'Backup cmdlets without a cluster' {
    It 'Start-ApiManagerBackup offers a new volume or an existing one, never both' {
        $command = Get-Command Start-ApiManagerBackup
        $command.ParameterSets.Name | Sort-Object | Should -Be @('ExistingVolume', 'NewVolume')
        $command.DefaultParameterSet | Should -Be 'NewVolume'
        ($command.ParameterSets | Where-Object Name -eq 'ExistingVolume').Parameters.Name | Should -Not -Contain 'StorageClass'
        ($command.ParameterSets | Where-Object Name -eq 'NewVolume').Parameters.Name | Should -Not -Contain 'VolumeName'
        $command.Parameters['StorageSize'].ParameterSets.Values.IsMandatory | Should -Not -Contain $false
    }

    It 'Remove-ApiManagerBackup confirms by default and can be forced' {
        $command = Get-Command Remove-ApiManagerBackup
        $command.ImplementingType.GetCustomAttributes([System.Management.Automation.CmdletAttribute], $false)[0].ConfirmImpact |
            Should -Be ([System.Management.Automation.ConfirmImpact]::High)
        $command.Parameters.Keys | Should -Contain 'Force'
        $command.Parameters.Keys | Should -Contain 'IncludeVolume'
        $command.Parameters.Keys | Should -Contain 'WhatIf'
    }

    It 'Start-ApiManagerRestore takes a backup name or a claim name' {
        (Get-Command Start-ApiManagerRestore).ParameterSets.Name | Sort-Object | Should -Be @('Backup', 'Claim')
    }

    It 'completes backup names with a compiled completer' {
        foreach ($name in 'Get-ApiManagerBackup', 'Remove-ApiManagerBackup') {
            $attribute = (Get-Command $name).Parameters['Name'].Attributes |
                Where-Object { $_ -is [System.Management.Automation.ArgumentCompleterAttribute] }
            $attribute | Should -Not -BeNullOrEmpty
            $attribute.Type | Should -Not -BeNullOrEmpty
        }
    }

    It 'refuses a size that is not a Kubernetes quantity before contacting any cluster' {
        # A cluster nobody listens on: any request would fail with a connection error instead.
        $kubeconfig = Join-Path $TestDrive 'unreachable.kubeconfig'
        @'
apiVersion: v1
kind: Config
clusters:
- name: nowhere
  cluster:
    server: https://127.0.0.1:1
    insecure-skip-tls-verify: true
users:
- name: someone
  user:
    token: not-a-real-token
contexts:
- name: nowhere
  context:
    cluster: nowhere
    user: someone
    namespace: 3scale
current-context: nowhere
'@ | Set-Content -Path $kubeconfig
        { Start-ApiManagerBackup -Name nightly -StorageSize '10GB' -KubeConfig $kubeconfig -ErrorAction Stop } |
            Should -Throw -ErrorId 'BackupStorageSizeInvalid,*'
        # Quantity "10" is 10 bytes: a valid quantity, refused as below the 100Mi minimum, still without a request.
        $err = { Start-ApiManagerBackup -Name nightly -StorageSize '10' -KubeConfig $kubeconfig -ErrorAction Stop } |
            Should -Throw -ErrorId 'BackupStorageSizeTooSmall,*' -PassThru
        $err.Exception.Message | Should -Match '100Mi'
        # Not a Kubernetes name at all: refused at parameter binding.
        { Start-ApiManagerBackup -Name 'Not_A_Label' -StorageSize '10Gi' -KubeConfig $kubeconfig -ErrorAction Stop } |
            Should -Throw -ErrorId 'ParameterArgumentValidationError,*'
        # A valid object name, but the backup's claim and Job volume need a DNS-1123 label: refused by the preflight.
        { Start-ApiManagerBackup -Name 'nightly.v2' -StorageSize '10Gi' -KubeConfig $kubeconfig -ErrorAction Stop } |
            Should -Throw -ErrorId 'ApiManagerBackupNameInvalid,*'
    }
}

Describe 'Backup and restore against the 3scale sandbox' {
    BeforeAll {
        $script:Sandbox = Start-ClusterOpsSandbox -Scenario 3scale
        $script:Common = @{ KubeConfig = $script:Sandbox.KubeConfig; Namespace = $script:Sandbox.Namespace }
        function script:Invoke-Kubectl {
            $output = & kubectl --kubeconfig $script:Sandbox.KubeConfig --namespace $script:Sandbox.Namespace @args 2>&1
            if ($LASTEXITCODE -ne 0) { throw "kubectl $args failed: $output" }
            $output
        }
        # kubectl get -o json, minus the fields the server owns, so the object can be created again.
        function script:Save-Object([string] $Kind, [string] $Name) {
            $object = (Invoke-Kubectl get $Kind $Name -o json) -join "`n" | ConvertFrom-Json -AsHashtable
            foreach ($field in 'resourceVersion', 'uid', 'creationTimestamp', 'managedFields') { $object.metadata.Remove($field) }
            $object | ConvertTo-Json -Depth 20
        }
        function script:Restore-Object([string] $Json) {
            $Json | & kubectl --kubeconfig $script:Sandbox.KubeConfig --namespace $script:Sandbox.Namespace create -f - | Out-Null
            if ($LASTEXITCODE -ne 0) { throw "kubectl create failed while restoring the test fixture" }
        }
        function script:Test-Claim([string] $Name) {
            $found = & kubectl --kubeconfig $script:Sandbox.KubeConfig --namespace $script:Sandbox.Namespace get pvc $Name --ignore-not-found -o name 2>$null
            [bool]$found
        }
    }

    AfterAll {
        if ($script:Sandbox) { $script:Sandbox.Stop() }
    }

    It '-WhatIf runs the preflight and creates nothing' {
        Start-ApiManagerBackup -Name whatif-check -StorageSize 1Gi -WhatIf @Common
        Get-ApiManagerBackup @Common | Should -BeNullOrEmpty
    }

    # The PV controller's binding rules (ProvisioningFailed "storageclass ... not found"; DefaultStorageClass admission;
    # "volume ... already bound to a different claim"): a claim that can never bind is refused, -WhatIf included.
    It 'refuses a -StorageClass the cluster does not have, under -WhatIf too' {
        $err = { Start-ApiManagerBackup -Name nightly -StorageSize 1Gi -StorageClass nosuch -WhatIf @Common } |
            Should -Throw -ErrorId 'BackupStorageClassNotFound,*' -PassThru
        $err.Exception.Items | Should -Contain 'standard'
        Get-ApiManagerBackup @Common | Should -BeNullOrEmpty
    }

    It 'refuses no -StorageClass when no StorageClass is the default' {
        Invoke-Kubectl annotate storageclass standard 'storageclass.kubernetes.io/is-default-class-' | Out-Null
        try {
            { Start-ApiManagerBackup -Name nightly -StorageSize 1Gi -WhatIf @Common } | Should -Throw -ErrorId 'BackupDefaultStorageClassMissing,*'
            # Naming a class that exists is the way out.
            { Start-ApiManagerBackup -Name nightly -StorageSize 1Gi -StorageClass standard -WhatIf @Common } | Should -Not -Throw
        }
        finally { Invoke-Kubectl annotate storageclass standard 'storageclass.kubernetes.io/is-default-class=true' | Out-Null }
    }

    It 'refuses a -VolumeName that does not exist or is bound to another claim' {
        { Start-ApiManagerBackup -Name nightly -VolumeName nosuch -StorageSize 1Gi -WhatIf @Common } |
            Should -Throw -ErrorId 'BackupVolumeNotFound,*'
        $taken = (Invoke-Kubectl get pvc system-storage -o 'jsonpath={.spec.volumeName}') -join ''
        $taken | Should -Not -BeNullOrEmpty
        $err = { Start-ApiManagerBackup -Name nightly -VolumeName $taken -StorageSize 1Gi -WhatIf @Common } |
            Should -Throw -ErrorId 'BackupVolumeBoundToOtherClaim,*' -PassThru
        $err.Exception.Message | Should -Match "system-storage"
        Get-ApiManagerBackup @Common | Should -BeNullOrEmpty
    }

    # checkVolumeSatisfyClaim: the operator's claim names no class, so admission gives it the default ('standard');
    # a pre-provisioned volume without a class, the classic static-volume gotcha, would never bind.
    It 'refuses a -VolumeName whose class is not the one the backup claim gets, and accepts it once it is' {
        'apiVersion: v1
kind: PersistentVolume
metadata: {name: pv-static-backup}
spec:
  capacity: {storage: 5Gi}
  accessModes: [ReadWriteOnce]
  hostPath: {path: /data/pv-static-backup}' | & kubectl --kubeconfig $script:Sandbox.KubeConfig apply -f - | Out-Null
        $err = { Start-ApiManagerBackup -Name nightly -VolumeName pv-static-backup -StorageSize 1Gi -WhatIf @Common } |
            Should -Throw -ErrorId 'BackupVolumeClassMismatch,*' -PassThru
        $err.Exception.Message | Should -Match "default StorageClass 'standard'"
        Invoke-Kubectl patch pv pv-static-backup --type merge -p '{"spec":{"storageClassName":"standard"}}' | Out-Null
        { Start-ApiManagerBackup -Name nightly -VolumeName pv-static-backup -StorageSize 1Gi -WhatIf @Common } | Should -Not -Throw
        Get-ApiManagerBackup @Common | Should -BeNullOrEmpty
    }

    # The operator's backup (pkg/backup) backs up any APIManager; ours refuses internal databases unless -Force.
    It 'backs up internal databases only with -Force, warning that their data is not copied' {
        Invoke-Kubectl patch apimanager example-apimanager --type merge -p '{"spec":{"externalComponents":{"backend":{"redis":false}}}}' | Out-Null
        try {
            { Start-ApiManagerBackup -Name internal -StorageSize 1Gi -WhatIf @Common } | Should -Throw -ErrorId 'ApiManagerComponentsNotExternal,*'
            $warnings = $null
            Start-ApiManagerBackup -Name internal -StorageSize 1Gi -Force -WhatIf -WarningVariable warnings -WarningAction SilentlyContinue @Common
            ($warnings -join "`n") | Should -Match 'does not copy the data of backend\.redis'
        }
        finally {
            Invoke-Kubectl patch apimanager example-apimanager --type merge -p '{"spec":{"externalComponents":{"backend":{"redis":true}}}}' | Out-Null
        }
        Get-ApiManagerBackup @Common | Should -BeNullOrEmpty
    }

    # The operator marks the backup completed when its Jobs succeed (apimanagerbackup_logic_reconciler.go), never
    # looking at the claim: a class without a provisioner leaves it Pending.
    It 'reports a completed backup whose claim is not Bound as an error carrying the claim events' {
        'apiVersion: storage.k8s.io/v1
kind: StorageClass
metadata:
  name: manual
provisioner: kubernetes.io/no-provisioner' | & kubectl --kubeconfig $script:Sandbox.KubeConfig apply -f - | Out-Null
        $err = $null
        $backup = Start-ApiManagerBackup -Name unbound -StorageSize 1Gi -StorageClass manual -Wait -TimeoutSec 180 -PassThru `
            -ErrorVariable err -ErrorAction SilentlyContinue @Common
        $succeeded = $?
        try {
            $succeeded | Should -BeFalse
            $err.Count | Should -Be 1
            $err[0].FullyQualifiedErrorId | Should -BeLike 'BackupClaimNotBound,*'
            $err[0].Exception.Phase | Should -Be 'Pending'
            $err[0].Exception.Events.Reason | Should -Contain 'FailedBinding'
            $err[0].Exception.Message | Should -Match 'FailedBinding'
            $backup.Completed | Should -BeTrue
            $backup.ClaimStatus | Should -Be 'Pending'
        }
        finally { Remove-ApiManagerBackup -Name unbound -IncludeVolume -Force @Common }
    }

    It 'refuses an -ApiManagerName that is not the APIManager of the namespace, creating nothing' {
        { Start-ApiManagerBackup -Name nightly -StorageSize 1Gi -ApiManagerName 'no-such-apimanager' -ErrorAction Stop @Common } |
            Should -Throw -ErrorId 'ApiManagerNameMismatch,*'
        Get-ApiManagerBackup @Common | Should -BeNullOrEmpty
    }

    It 'refuses when a secret the backup Job reads is missing, and names it' {
        $saved = Save-Object secret zync
        Invoke-Kubectl delete secret zync | Out-Null
        try {
            $err = { Start-ApiManagerBackup -Name nightly -StorageSize 1Gi @Common } | Should -Throw -ErrorId 'BackupSourceObjectsMissing,*' -PassThru
            $err.Exception.Items | Should -Be @('secret/zync')
            $err.CategoryInfo.Category | Should -Be 'ObjectNotFound'
            Get-ApiManagerBackup @Common | Should -BeNullOrEmpty
        }
        finally { Restore-Object $saved }
    }

    It 'backs up with -Wait and reports the completed backup with its claim' {
        $backup = Start-ApiManagerBackup -Name nightly -StorageSize 1Gi -Wait -TimeoutSec 180 -PassThru @Common
        $backup.PSObject.TypeNames[0] | Should -Be 'ClusterOps.Core.Backup.ApiManagerBackupInfo'
        $backup.Name | Should -Be 'nightly'
        $backup.Completed | Should -BeTrue
        $backup.ApiManager | Should -Not -BeNullOrEmpty
        $backup.ClaimName | Should -Be 'nightly'
        $backup.ClaimStatus | Should -Be 'Bound'
        $backup.CompletionTime | Should -BeGreaterOrEqual $backup.StartTime
        $backup.Object.status.completed | Should -BeTrue # the API object, as PowerShell data
    }

    It 'refuses a second backup of the same name' {
        { Start-ApiManagerBackup -Name nightly -StorageSize 1Gi -ErrorAction Stop @Common } | Should -Throw -ErrorId 'ApiManagerBackupExists,*'
    }

    It 'Get-ApiManagerBackup | Export-Csv writes one readable row per backup' {
        $csv = Join-Path $TestDrive 'backups.csv'
        Get-ApiManagerBackup @Common | Export-Csv -Path $csv -NoTypeInformation
        $rows = @(Import-Csv $csv)
        $rows.Count | Should -Be 1
        $rows[0].Name | Should -Be 'nightly'
        $rows[0].Namespace | Should -Be $script:Sandbox.Namespace
        $rows[0].Completed | Should -Be 'True'
        $rows[0].ClaimName | Should -Be 'nightly'
        $rows[0].ClaimStatus | Should -Be 'Bound'
        $rows[0].Size | Should -Not -BeNullOrEmpty
        # Export-Csv wrote the timestamp with the current culture; it reads back to the same instant.
        [datetimeoffset]::Parse($rows[0].StartTime) | Should -Be (Get-ApiManagerBackup -Name nightly @Common).StartTime
    }

    It 'Get-ApiManagerBackup filters with wildcards and reports an unknown name as a non-terminating error' {
        @(Get-ApiManagerBackup -Name 'night*' @Common).Name | Should -Be @('nightly')
        $err = $null
        Get-ApiManagerBackup -Name 'no-such-backup' -ErrorAction SilentlyContinue -ErrorVariable err @Common | Should -BeNullOrEmpty
        $err[0].FullyQualifiedErrorId | Should -BeLike 'ApiManagerBackupNotFound*'
        $err[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
    }

    It 'stops waiting when a backup Job fails and names the Job and its pod' {
        # The sandbox operator's test hook: Jobs whose name starts with this prefix fail. It sits on the APIManager
        # because the cmdlet creates the backup resource itself.
        Invoke-Kubectl annotate apimanager example-apimanager 'sandbox.clusterops.io/fail-job=backup-apimanager-cr' | Out-Null
        try {
            $err = { Start-ApiManagerBackup -Name failing -StorageSize 1Gi -Wait -TimeoutSec 180 @Common } |
                Should -Throw -ErrorId 'ApiManagerBackupJobFailed,*' -PassThru
        }
        finally { Invoke-Kubectl annotate apimanager example-apimanager 'sandbox.clusterops.io/fail-job-' | Out-Null }
        try {
            $err.Exception.Failure.JobName | Should -BeLike 'backup-apimanager-cr-*'
            $err.Exception.Failure.PodName | Should -BeLike "$($err.Exception.Failure.JobName)-*"
            $err.Exception.Failure.JobReason | Should -Be 'BackoffLimitExceeded'
            $err.Exception.Message | Should -Match 'exit code 1'
        }
        finally {
            # Removed even when an assertion above fails: later tests count the namespace's backups.
            Remove-ApiManagerBackup -Name failing -IncludeVolume -Force @Common
        }
        Get-ApiManagerBackup -Name failing -ErrorAction SilentlyContinue @Common | Should -BeNullOrEmpty
    }

    It 'refuses a restore while the secrets the operator never restores are missing' {
        $saved = Save-Object secret backend-redis
        Invoke-Kubectl delete secret backend-redis | Out-Null
        try {
            $err = { Start-ApiManagerRestore -Name restore-check -ClaimName nightly @Common } | Should -Throw -ErrorId 'RestoreSecretsMissing,*' -PassThru
            $err.Exception.Items | Should -Be @('backend-redis')
            Get-ApiManagerRestore @Common | Should -BeNullOrEmpty
        }
        finally { Restore-Object $saved }
    }

    # The operator's restore (pkg/restore) mounts any claim by name; ours wants the backup annotations unless -Force.
    It 'restores from a claim without the backup annotations only with -Force, saying what the operator does' {
        'apiVersion: v1
kind: PersistentVolumeClaim
metadata:
  name: nightly-clone
spec:
  accessModes: [ReadWriteOnce]
  resources:
    requests:
      storage: 1Gi' | & kubectl --kubeconfig $script:Sandbox.KubeConfig --namespace $script:Sandbox.Namespace apply -f - | Out-Null
        try {
            Wait-PersistentVolumeClaim -Name nightly-clone -TimeoutSec 60 @Common | Out-Null
            { Start-ApiManagerRestore -Name from-clone -ClaimName nightly-clone -WhatIf -WarningAction SilentlyContinue @Common } |
                Should -Throw -ErrorId 'RestoreClaimNotABackup,*'
            $warnings = $null
            Start-ApiManagerRestore -Name from-clone -ClaimName nightly-clone -Force -WhatIf -WarningVariable warnings -WarningAction SilentlyContinue @Common
            $text = $warnings -join "`n"
            $text | Should -Match '-Force: claim ''nightly-clone'' lacks the annotations'
            $text | Should -Match 'apimanager-backup\.json'
            $text | Should -Match 'waits forever'
            Get-ApiManagerRestore @Common | Should -BeNullOrEmpty
        }
        finally { Invoke-Kubectl delete pvc nightly-clone --wait=false | Out-Null }
    }

    It 'warns that the existing APIManager is not overwritten when a restore is previewed' {
        $warnings = $null
        Start-ApiManagerRestore -Name restore-preview -BackupName nightly -WhatIf -WarningVariable warnings -WarningAction SilentlyContinue @Common
        ($warnings -join "`n") | Should -Match 'does not overwrite'
        Get-ApiManagerRestore @Common | Should -BeNullOrEmpty
    }

    It 'Remove-ApiManagerBackup keeps the data claim unless -IncludeVolume' {
        # Name, Namespace and Context bind by property name; the kubeconfig is this test's own file.
        Get-ApiManagerBackup -Name nightly @Common | Remove-ApiManagerBackup -Force -KubeConfig $script:Sandbox.KubeConfig
        Get-ApiManagerBackup @Common | Should -BeNullOrEmpty
        Test-Claim 'nightly' | Should -BeTrue
    }

    It 'Remove-ApiManagerBackup -IncludeVolume deletes the claim too' {
        Start-ApiManagerBackup -Name weekly -StorageSize 1Gi -Wait -TimeoutSec 180 @Common | Out-Null
        Test-Claim 'weekly' | Should -BeTrue
        Remove-ApiManagerBackup -Name weekly -IncludeVolume -Force @Common
        Get-ApiManagerBackup -Name weekly -ErrorAction SilentlyContinue @Common | Should -BeNullOrEmpty
        Test-Claim 'weekly' | Should -BeFalse
    }

    It 'restores from a kept claim with -Wait' {
        $restore = Start-ApiManagerRestore -Name restore-1 -ClaimName nightly -Wait -TimeoutSec 300 -PassThru -WarningAction SilentlyContinue @Common
        $restore.PSObject.TypeNames[0] | Should -Be 'ClusterOps.Core.Backup.ApiManagerRestoreInfo'
        $restore.Completed | Should -BeTrue
        $restore.ClaimName | Should -Be 'nightly'
        $restore.BackupName | Should -Be 'nightly'
        (Get-ApiManagerRestore -Name restore-1 @Common).Completed | Should -BeTrue
    }
}

Describe 'Backup cmdlets on a cluster without the 3scale operator' {
    BeforeAll { $script:Empty = Start-ClusterOpsSandbox -Scenario empty }
    AfterAll { if ($script:Empty) { $script:Empty.Stop() } }

    It 'says that the 3scale CRDs are not installed' {
        { Get-ApiManagerBackup -KubeConfig $script:Empty.KubeConfig -ErrorAction Stop } | Should -Throw -ErrorId 'ThreescaleCrdsNotInstalled,*'
    }
}
