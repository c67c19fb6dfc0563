#Requires -Version 7.4
# Every cmdlet parameter that names a Kubernetes object or namespace refuses '.', '..' and every other value that is
# not a valid name at parameter binding: no request reaches the server, nothing changes, and -WhatIf refuses too.
# ('.' once became the collection URL: Remove-SchedulePolicy -Name '.' deleted every policy.)

BeforeDiscovery {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    Import-ClusterOpsTestModule | Out-Null
    # The parameters that carry an object name, a namespace or a reference to another object.
    $nameParameters = @('Name', 'Namespace', 'Namespaces', 'ClusterPair', 'SchedulePolicyName', 'ClaimName', 'ApiManagerName',
        'BackupName', 'VolumeName', 'StorageClass', 'Schedule', 'ScheduleName', 'AdminNamespace', 'PreExecRule', 'PostExecRule', 'Policy')
    # Names that are not Kubernetes objects: contexts (kubeconfig entries) and persistent-state presets.
    $notObjectNames = @('Get-KubeContext/Name', 'Use-KubeContext/Name', 'Test-KubeConnection/Name')
    $script:Cases = foreach ($command in Get-Command -Module ClusterOps -CommandType Cmdlet) {
        foreach ($parameter in $command.Parameters.Values) {
            if ($parameter.Name -notin $nameParameters -or "$($command.Name)/$($parameter.Name)" -in $notObjectNames) { continue }
            @{ Command = $command.Name; Parameter = $parameter.Name; ShouldProcess = $command.Parameters.ContainsKey('WhatIf') }
        }
    }
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    Import-ClusterOpsTestModule | Out-Null
    $script:Sandbox = Start-ClusterOpsSandbox -Scenario all
    $env:KUBECONFIG = $script:Sandbox.KubeConfig
    $script:Hostile = @('.', '..', 'a/b', '../..', '%2e', '%2F', ' ', "web`r`n0", ('a' * 300), 'ünïcödé')

    # What the scenario holds, read through the module; compared after every hostile call.
    function Get-Inventory {
        [pscustomobject]@{
            Policies  = @(Get-SchedulePolicy).Count
            Schedules = @(Get-MigrationSchedule -AllNamespaces).Count
            Backups   = @(Get-ApiManagerBackup -Namespace 3scale).Count
            Claims    = @(Get-PersistentVolumeClaim -AllNamespaces).Count
            Volumes   = @(Get-PersistentVolume).Count
        } | ConvertTo-Json -Compress
    }
    $script:Before = Get-Inventory
}

AfterAll {
    Remove-Item Env:KUBECONFIG -ErrorAction SilentlyContinue
    if ($script:Sandbox) { $script:Sandbox.Stop() }
}

Describe 'Names and namespaces are validated at parameter binding' {
    It 'the suite found the name parameters of every capability' -TestCases @{ Found = $script:Cases } {
        $Found.Count | Should -BeGreaterThan 40
        $Found.Command | Should -Contain 'Remove-SchedulePolicy'
        $Found.Command | Should -Contain 'Remove-ApiManagerBackup'
        $Found.Command | Should -Contain 'Remove-TmlCluster'
        $Found.Command | Should -Contain 'New-MigrationSchedule'
    }

    It '<Command> -<Parameter> carries the name rule' -ForEach $script:Cases {
        $attributes = (Get-Command $Command).Parameters[$Parameter].Attributes
        $attributes.TypeId.Name | Should -Contain 'ValidateKubeNameAttribute'
    }

    It '<Command> -<Parameter> refuses every hostile value before any request' -ForEach $script:Cases {
        $requests = Get-ClusterOpsSandboxRequestCount -Sandbox $script:Sandbox
        foreach ($value in $script:Hostile) {
            $arguments = @{ $Parameter = $value; ErrorAction = 'Stop' }
            if ($ShouldProcess) { $arguments.WhatIf = $true }
            $failure = $null
            try { & $Command @arguments | Out-Null } catch { $failure = $_ }
            $failure | Should -Not -BeNullOrEmpty -Because "$Command -$Parameter '$value' must be refused"
            $failure.FullyQualifiedErrorId | Should -BeLike "ParameterArgumentValidationError,*" -Because "'$value' is refused at binding"
            $failure.Exception.Message | Should -BeLike '*is not valid*'
        }
        Get-ClusterOpsSandboxRequestCount -Sandbox $script:Sandbox | Should -Be $requests -Because 'a refused name sends nothing'
    }

    It 'a valid name that does not exist does reach the server (the request counter counts)' {
        $requests = Get-ClusterOpsSandboxRequestCount -Sandbox $script:Sandbox
        Get-PersistentVolumeClaim -Name nosuch -Namespace tml -ErrorAction SilentlyContinue | Out-Null
        Get-ClusterOpsSandboxRequestCount -Sandbox $script:Sandbox | Should -BeGreaterThan $requests
    }

    It 'Remove-SchedulePolicy -Name . says which value, why and what is allowed' {
        { Remove-SchedulePolicy -Name '.' -Confirm:$false -ErrorAction Stop } |
            Should -Throw "*The name '.' is not valid: it may not be '.'. A name must consist of lower-case letters*"
    }

    It 'an object name with an upper-case letter is refused as kubectl''s server would (names are case-sensitive)' {
        { Get-PersistentVolumeClaim -Name 'Data' -Namespace tml -ErrorAction Stop } | Should -Throw "*it contains the upper-case letter 'D'*"
    }

    It 'Remove-TmlCluster -Namespace .. -Force is refused' {
        { Remove-TmlCluster -Namespace '..' -Force -Confirm:$false -ErrorAction Stop } | Should -Throw "*The namespace '..' is not valid*"
    }

    It 'wildcards stay allowed where the parameter supports them, and match locally' {
        @(Get-SchedulePolicy -Name 'default-*').Count | Should -BeGreaterThan 0
        @(Get-PersistentVolumeClaim -Namespace tml -Name '*').Count | Should -BeGreaterThan 0
    }

    It 'nothing in the cluster changed' {
        Get-Inventory | Should -Be $script:Before
    }
}
