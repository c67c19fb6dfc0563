#Requires -Version 7.4
# Issue 12 §3: the output objects of every cmdlet fit the PowerShell pipeline. One generic suite: it enumerates
# Get-Command -Module ClusterOps, drives every cmdlet that writes objects against the sandbox's `all` scenario (the
# Get- cmdlets as they are, the action cmdlets with -PassThru, or -WhatIf where a real run is not safe), and then
# checks every output type against every rule: one type per invocation and [OutputType] matching it, ConvertTo-Json
# size and time, the API object as PowerShell data, CSV cells, typed values, and table headers at 80 columns.
# A cmdlet that writes nothing here must be listed in $NoOutput with the reason, so a new cmdlet cannot slip past.

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    Import-ClusterOpsTestModule

    $script:Sandbox = Start-ClusterOpsSandbox -Scenario all
    $script:Common = @{ KubeConfig = $script:Sandbox.KubeConfig }
    $Common = $script:Common

    function Invoke-Kubectl { & kubectl --kubeconfig $script:Sandbox.KubeConfig @args 2>&1 }

    # Cmdlets that write nothing in this suite, and why. Every other exported cmdlet must be driven below.
    $script:NoOutput = @{}

    # One entry per invocation: the command, which call it was, and everything it wrote.
    $script:Invocations = [System.Collections.Generic.List[object]]::new()
    function Invoke-Driven([string] $Command, [string] $Call, [scriptblock] $Script) {
        $objects = @(& $Script)
        $script:Invocations.Add([pscustomobject]@{ Command = $Command; Call = $Call; Objects = $objects })
    }

    # --- Connection
    Invoke-Driven Get-KubeContext 'Get-KubeContext' { Get-KubeContext @Common }
    Invoke-Driven Test-KubeConnection 'Test-KubeConnection' { Test-KubeConnection @Common }
    # The sandbox kubeconfig's own context and namespace: the session default this sets is the one every call here uses.
    Invoke-Driven Use-KubeContext 'Use-KubeContext -PassThru' { Use-KubeContext sandbox default -PassThru @Common }

    # --- Storage: three claims of sizes that sort differently as text and as values.
    $null = Invoke-Kubectl create namespace sizes
    foreach ($size in '10Gi', '100Mi', '1Gi', '2Gi') {
        $claim = "apiVersion: v1`nkind: PersistentVolumeClaim`nmetadata: { name: size-$($size.ToLower()), namespace: sizes }`n" +
            "spec: { storageClassName: standard, accessModes: [ReadWriteOnce], resources: { requests: { storage: $size } } }"
        $null = $claim | & kubectl --kubeconfig $script:Sandbox.KubeConfig apply -f - 2>&1
    }
    Wait-ClusterOpsCondition { @(Get-PersistentVolumeClaim -Namespace sizes @Common | Where-Object Status -eq Bound).Count -eq 4 } 'the sized claims to bind'
    Invoke-Driven Get-PersistentVolumeClaim 'Get-PersistentVolumeClaim -AllNamespaces' { Get-PersistentVolumeClaim -AllNamespaces @Common }
    Invoke-Driven Get-PersistentVolumeClaim 'Get-PersistentVolumeClaim -Namespace tml' { Get-PersistentVolumeClaim -Namespace tml @Common }
    Invoke-Driven Get-PersistentVolume 'Get-PersistentVolume' { Get-PersistentVolume @Common }
    Invoke-Driven Wait-PersistentVolumeClaim 'Wait-PersistentVolumeClaim' { Get-PersistentVolumeClaim -Namespace sizes @Common | Wait-PersistentVolumeClaim -TimeoutSec 30 @Common }

    # --- Lifecycle: the README runbook for real (stop, then start again), removal only as -WhatIf.
    Invoke-Driven Get-TmlCluster 'Get-TmlCluster' { Get-TmlCluster -Namespace tml @Common }
    # The step records travel on the information stream; users format and export them too ($steps.MessageData).
    Invoke-Driven Stop-TmlCluster 'Stop-TmlCluster -PassThru' {
        Stop-TmlCluster -Namespace tml -Confirm:$false -PassThru -InformationVariable stopSteps @Common
        $script:StepRecords = @($stopSteps.MessageData)
    }
    Invoke-Driven Start-TmlCluster 'Start-TmlCluster -PassThru' { Start-TmlCluster -Namespace tml -TimeoutSec 120 -PassThru @Common }
    Invoke-Driven Remove-TmlCluster 'Remove-TmlCluster -WhatIf -PassThru' { Remove-TmlCluster -Namespace tml -WhatIf -PassThru -WarningAction SilentlyContinue @Common }

    # --- Scheduling (Stork in namespace mysql)
    Invoke-Driven New-SchedulePolicy 'New-SchedulePolicy -PassThru' { New-SchedulePolicy -Name outputs-policy -DailyTime 10:14PM -PassThru @Common }
    Invoke-Driven Set-SchedulePolicy 'Set-SchedulePolicy -PassThru' { Set-SchedulePolicy outputs-policy -WeeklyDay Thursday -WeeklyTime 10:13PM -PassThru @Common }
    Invoke-Driven Get-SchedulePolicy 'Get-SchedulePolicy' { Get-SchedulePolicy @Common }
    $badPolicy = Join-Path $TestDrive 'bad-policy.yaml'
    Set-Content -LiteralPath $badPolicy -Value @'
apiVersion: stork.libopenstorage.org/v1alpha1
kind: SchedulePolicy
metadata:
  name: bad-policy
policy:
  interval:
    intervalMinutes: 0
  weekly:
    day: SUN
    time: 25:00PM
'@
    Invoke-Driven Test-SchedulePolicy 'Test-SchedulePolicy -Path' { Test-SchedulePolicy -Path $badPolicy -ErrorAction SilentlyContinue }
    Invoke-Driven Test-SchedulePolicy 'Test-SchedulePolicy -Quiet' { Test-SchedulePolicy -Path $badPolicy -Quiet -ErrorAction SilentlyContinue }
    Invoke-Driven Get-ScheduleTrigger 'Get-ScheduleTrigger' {
        Get-ScheduleTrigger -Policy default-daily-policy -Start ([datetime]'2030-01-01') -End ([datetime]'2030-01-03') @Common
    }
    Invoke-Driven New-MigrationSchedule 'New-MigrationSchedule -PassThru' {
        New-MigrationSchedule -Name outputs -ClusterPair remotecluster -Namespace mysql -Namespaces mysql -IntervalMinutes 30 -PassThru @Common
    }
    Wait-ClusterOpsCondition { Get-Migration -Namespace mysql -Schedule outputs @Common } 'the first migration'
    Invoke-Driven Wait-Migration 'Wait-Migration' {
        Get-Migration -Namespace mysql -Schedule outputs @Common | Wait-Migration -For Successful -TimeoutSec 60 @Common
    }
    Wait-ClusterOpsCondition { (Get-MigrationSchedule outputs -Namespace mysql @Common).LastSuccessTime } 'the recorded success'
    Invoke-Driven Get-Migration 'Get-Migration -AllNamespaces' { Get-Migration -AllNamespaces @Common }
    Invoke-Driven Get-Migration 'Get-Migration -Namespace' { Get-Migration -Namespace mysql @Common }
    Invoke-Driven Get-MigrationSchedule 'Get-MigrationSchedule -AllNamespaces' { Get-MigrationSchedule -AllNamespaces @Common }
    Invoke-Driven Get-MigrationSchedule 'Get-MigrationSchedule -History' { Get-MigrationSchedule outputs -Namespace mysql -History @Common }
    Invoke-Driven Suspend-MigrationSchedule 'Suspend-MigrationSchedule -PassThru' { Suspend-MigrationSchedule outputs -Namespace mysql -PassThru @Common }
    Invoke-Driven Resume-MigrationSchedule 'Resume-MigrationSchedule -PassThru' { Resume-MigrationSchedule outputs -Namespace mysql -PassThru @Common }
    Invoke-Driven Get-KubeEvent 'Get-KubeEvent' { Get-MigrationSchedule outputs -Namespace mysql @Common | Get-KubeEvent @Common }
    Invoke-Driven Get-ClusterPair 'Get-ClusterPair -AllNamespaces' { Get-ClusterPair -AllNamespaces @Common }
    # The state Stork leaves on a destination cluster: replicas 0 and the source count in its annotation.
    $null = Invoke-Kubectl -n mysql annotate deployment mysql 'stork.libopenstorage.org/migrationReplicas=1' --overwrite
    $null = Invoke-Kubectl -n mysql scale deployment mysql --replicas=0
    # Issue 12 §4 decides whether these write by default or with -PassThru; either way they must write one record per change.
    $passThru = if ((Get-Command Enable-MigratedApplication).Parameters.ContainsKey('PassThru')) { @{ PassThru = $true } } else { @{} }
    Invoke-Driven Enable-MigratedApplication 'Enable-MigratedApplication' { Enable-MigratedApplication -Namespace mysql -Force @passThru @Common }
    Invoke-Driven Disable-MigratedApplication 'Disable-MigratedApplication' { Disable-MigratedApplication -Namespace mysql -Force @passThru @Common }
    Invoke-Driven Remove-MigrationSchedule 'Remove-MigrationSchedule -PassThru' { Remove-MigrationSchedule outputs -Namespace mysql -Force -PassThru @Common }
    Invoke-Driven Remove-SchedulePolicy 'Remove-SchedulePolicy -PassThru' { Remove-SchedulePolicy outputs-policy -Force -PassThru @Common }

    # --- Backup (3scale)
    Invoke-Driven Start-ApiManagerBackup 'Start-ApiManagerBackup -Wait -PassThru' {
        Start-ApiManagerBackup -Name outputs -Namespace 3scale -StorageSize 1Gi -StorageClass standard -Wait -TimeoutSec 180 -PassThru @Common
    }
    Invoke-Driven Get-ApiManagerBackup 'Get-ApiManagerBackup' { Get-ApiManagerBackup -Namespace 3scale @Common }
    # The backup's claim outlives the backup resource, so the restore reads the claim after the removal.
    Invoke-Driven Remove-ApiManagerBackup 'Remove-ApiManagerBackup -PassThru' { Remove-ApiManagerBackup outputs -Namespace 3scale -Force -PassThru @Common }
    Invoke-Driven Start-ApiManagerRestore 'Start-ApiManagerRestore -PassThru' {
        Start-ApiManagerRestore -Name outputs-restore -Namespace 3scale -ClaimName outputs -PassThru -Wait -TimeoutSec 180 -WarningAction SilentlyContinue @Common
    }
    Invoke-Driven Get-ApiManagerRestore 'Get-ApiManagerRestore' { Get-ApiManagerRestore -Namespace 3scale @Common }

    # --- PersistentState: a fake image and volume under $TestDrive (Linux only: the cmdlets refuse elsewhere).
    if ($IsLinux) {
        $root = Join-Path $TestDrive 'image'
        $volume = Join-Path $root 'persist'
        $lib = Join-Path $root 'var/lib'
        New-Item -ItemType Directory -Force -Path (Join-Path $lib 'data'), (Join-Path $volume 'lost+found') | Out-Null
        Set-Content -LiteralPath (Join-Path $lib 'data/VERSION') -Value '9.5'
        Invoke-Driven Initialize-PersistentState 'Initialize-PersistentState -PassThru' {
            Initialize-PersistentState -Path $volume -Directory $lib -PassThru -WarningAction SilentlyContinue
        }
        Invoke-Driven Test-PersistentState 'Test-PersistentState' { Test-PersistentState -Path $volume -Directory $lib }
        $source = Join-Path $root 'secret'
        New-Item -ItemType Directory -Force -Path $source | Out-Null
        Invoke-Driven Repair-ServiceAccountMount 'Repair-ServiceAccountMount' {
            Repair-ServiceAccountMount -Path (Join-Path $root 'var/run/secrets/serviceaccount') -Source $source
        }
    }
    else {
        foreach ($name in 'Initialize-PersistentState', 'Test-PersistentState', 'Repair-ServiceAccountMount') {
            $script:NoOutput[$name] = 'runs only on Linux (inside containers); this run is not on Linux'
        }
    }

    # --- The same action cmdlets without -PassThru: an action cmdlet is silent by default (issue 12 §3). Real runs,
    # not -WhatIf, because -WhatIf skips the work whose result a cmdlet might write.
    $script:SilentInvocations = [System.Collections.Generic.List[object]]::new()
    function Invoke-Silent([string] $Command, [scriptblock] $Script) {
        $objects = @(& $Script)
        $script:SilentInvocations.Add([pscustomobject]@{ Command = $Command; Objects = $objects })
    }
    Invoke-Silent Use-KubeContext { Use-KubeContext sandbox default @Common }
    Invoke-Silent Stop-TmlCluster { Stop-TmlCluster -Namespace tml -Confirm:$false @Common }
    Invoke-Silent Start-TmlCluster { Start-TmlCluster -Namespace tml -TimeoutSec 120 @Common }
    Invoke-Silent New-SchedulePolicy { New-SchedulePolicy -Name outputs-silent -DailyTime 1:00AM @Common }
    Invoke-Silent Set-SchedulePolicy { Set-SchedulePolicy outputs-silent -DailyTime 2:00AM @Common }
    Invoke-Silent New-MigrationSchedule {
        New-MigrationSchedule -Name outputs-silent -ClusterPair remotecluster -Namespace mysql -Namespaces mysql -SchedulePolicyName outputs-silent -Suspend @Common
    }
    Invoke-Silent Resume-MigrationSchedule { Resume-MigrationSchedule outputs-silent -Namespace mysql @Common }
    Invoke-Silent Suspend-MigrationSchedule { Suspend-MigrationSchedule outputs-silent -Namespace mysql @Common }
    Invoke-Silent Remove-MigrationSchedule { Remove-MigrationSchedule outputs-silent -Namespace mysql -Force @Common }
    Invoke-Silent Remove-SchedulePolicy { Remove-SchedulePolicy outputs-silent -Force @Common }
    if ($passThru.Count) {
        Invoke-Silent Enable-MigratedApplication { Enable-MigratedApplication -Namespace mysql -Force @Common }
        Invoke-Silent Disable-MigratedApplication { Disable-MigratedApplication -Namespace mysql -Force @Common }
    }
    Invoke-Silent Start-ApiManagerBackup {
        Start-ApiManagerBackup -Name outputs-silent -Namespace 3scale -StorageSize 1Gi -StorageClass standard -Wait -TimeoutSec 180 @Common
    }
    Invoke-Silent Remove-ApiManagerBackup { Remove-ApiManagerBackup outputs-silent -Namespace 3scale -Force @Common }
    Invoke-Silent Start-ApiManagerRestore {
        Start-ApiManagerRestore -Name outputs-silent -Namespace 3scale -ClaimName outputs-silent -WarningAction SilentlyContinue @Common
    }
    if ($IsLinux) {
        Invoke-Silent Initialize-PersistentState { Initialize-PersistentState -Path $volume -Directory $lib -WarningAction SilentlyContinue }
    }
    # Last, as it deletes the TML cluster the checks above read.
    Invoke-Silent Remove-TmlCluster { Remove-TmlCluster -Namespace tml -Force -WarningAction SilentlyContinue @Common }

    # Every output object once, with the invocation that wrote it.
    $script:Objects = foreach ($i in $script:Invocations) {
        foreach ($o in $i.Objects) { [pscustomobject]@{ Call = $i.Call; Object = $o; Type = $o.PSObject.TypeNames[0] } }
    }
    # What users see in tables and CSV: the output objects and the lifecycle step records.
    $script:Displayed = @($script:Objects) + @($script:StepRecords | ForEach-Object {
            [pscustomobject]@{ Call = 'Stop-TmlCluster -InformationVariable'; Object = $_; Type = $_.PSObject.TypeNames[0] } })
}

AfterAll {
    if ($script:Sandbox) { $script:Sandbox.Stop() }
}

Describe 'Output objects fit the PowerShell pipeline' {
    It 'drives every exported cmdlet, or lists why it writes nothing' {
        $exported = (Get-Command -Module ClusterOps -CommandType Cmdlet).Name | Sort-Object
        $covered = @($script:Invocations.Command) + @($script:NoOutput.Keys) | Sort-Object -Unique
        $covered | Should -Be $exported
    }

    It 'is silent without -PassThru: every cmdlet with a -PassThru switch writes nothing by default' {
        $withPassThru = (Get-Command -Module ClusterOps -CommandType Cmdlet | Where-Object { $_.Parameters.ContainsKey('PassThru') }).Name
        $withPassThru.Count | Should -BeGreaterThan 10
        $unchecked = $withPassThru | Where-Object { $_ -notin $script:SilentInvocations.Command -and -not $script:NoOutput.ContainsKey($_) }
        $unchecked | Should -BeNullOrEmpty -Because 'every such cmdlet is run once without -PassThru'
        $written = $script:SilentInvocations | Where-Object { $_.Objects.Count -gt 0 } |
            ForEach-Object { "$($_.Command): $($_.Objects[0].GetType().FullName)" }
        $written | Should -BeNullOrEmpty
    }

    It 'gets objects from every invocation it drives (a rule over nothing proves nothing)' {
        $empty = $script:Invocations | Where-Object { $_.Objects.Count -eq 0 } | ForEach-Object Call
        $empty | Should -BeNullOrEmpty
    }

    It 'writes one object type per invocation, and [OutputType] lists exactly the types written' {
        $violations = foreach ($i in $script:Invocations) {
            $written = @($i.Objects | ForEach-Object { $_.PSObject.BaseObject.GetType().FullName } | Sort-Object -Unique)
            if ($written.Count -gt 1) { "$($i.Call): writes $($written -join ', ')" }
            $declared = @((Get-Command $i.Command).OutputType.Name)
            foreach ($type in $written) {
                if ($type -notin $declared) { "$($i.Call): writes $type, [OutputType] says $($declared -join ', ')" }
            }
        }
        foreach ($command in $script:Invocations.Command | Sort-Object -Unique) {
            $written = @($script:Invocations | Where-Object Command -eq $command | ForEach-Object Objects |
                    ForEach-Object { $_.PSObject.BaseObject.GetType().FullName } | Sort-Object -Unique)
            foreach ($type in (Get-Command $command).OutputType.Name) {
                if ($type -notin $written) { "${command}: [OutputType] declares $type, never written" }
            }
        }
        $violations | Should -BeNullOrEmpty
    }

    It 'converts every output object with ConvertTo-Json -Depth 10 in under 64 KB and 1 s' {
        $largest = $null
        $violations = foreach ($entry in $script:Objects) {
            $watch = [Diagnostics.Stopwatch]::StartNew()
            $json = ConvertTo-Json -InputObject $entry.Object -Depth 10 -WarningAction SilentlyContinue
            $watch.Stop()
            if (-not $largest -or $json.Length -gt $largest.Length) {
                $largest = [pscustomobject]@{ Type = $entry.Type; Length = $json.Length; Ms = $watch.Elapsed.TotalMilliseconds }
            }
            if ($json.Length -ge 64KB -or $watch.Elapsed.TotalSeconds -ge 1) {
                "$($entry.Call) $($entry.Type): $($json.Length) characters in $($watch.ElapsedMilliseconds) ms"
            }
        }
        # The figure issue 12 asks for, in the test log.
        Write-Host ("    largest ConvertTo-Json -Depth 10: {0} ({1:N0} characters, {2:N1} ms)" -f $largest.Type, $largest.Length, $largest.Ms)
        $violations | Should -BeNullOrEmpty
    }

    It 'carries no System.Text.Json value in any property' {
        $violations = foreach ($entry in $script:Objects) {
            foreach ($p in $entry.Object.PSObject.Properties) {
                $value = $p.Value
                if ($null -ne $value -and $value.GetType().Namespace -like 'System.Text.Json*') { "$($entry.Type).$($p.Name): $($value.GetType())" }
            }
        }
        $violations | Should -BeNullOrEmpty
    }

    It 'gives the full API object as PowerShell data that round-trips through ConvertTo-Json' {
        $withObject = @($script:Objects | Where-Object { $_.Object.PSObject.Properties['Object'] })
        # Every record built from a Kubernetes object carries it: these types at least.
        foreach ($type in 'PersistentVolumeClaimInfo', 'PersistentVolumeInfo', 'MigrationInfo', 'MigrationScheduleInfo', 'ClusterPairInfo',
            'KubeEventInfo', 'SchedulePolicyInfo', 'ApiManagerBackupInfo', 'ApiManagerRestoreInfo') {
            @($withObject | Where-Object { $_.Object.PSObject.BaseObject.GetType().Name -eq $type }).Count | Should -BeGreaterThan 0 -Because "$type carries its API object"
        }
        $violations = foreach ($entry in $withObject) {
            $api = $entry.Object.Object
            if ($api -isnot [pscustomobject]) { "$($entry.Type): Object is $($api.GetType())"; continue }
            if (-not $api.metadata.name -or -not $api.kind) { "$($entry.Type): Object has no kind or metadata.name" }
            $json = ConvertTo-Json -InputObject $api -Depth 64 -Compress
            $again = $json | ConvertFrom-Json -DateKind String | ConvertTo-Json -Depth 64 -Compress
            if ($again -ne $json) { "$($entry.Type) $($api.metadata.name): does not round-trip" }
        }
        $violations | Should -BeNullOrEmpty
    }

    It 'reaches nested fields the PowerShell way ($pair.Object.spec.options) and keeps credentials out' {
        $pair = $script:Objects | Where-Object { $_.Object.Name -eq 'remotecluster' -and $_.Type -like '*ClusterPairInfo*' } | Select-Object -First 1
        $options = $pair.Object.Object.spec.options
        $options | Should -Not -BeNullOrEmpty
        $options.PSObject.Properties.Value | ForEach-Object { $_ | Should -Be '<redacted>' }
        "$($pair.Object.Object)" | Should -Be "ClusterPair mysql/remotecluster"
    }

    It 'exports values to CSV: no type name, record dump or line break in any cell' {
        $script:StepRecords.Count | Should -BeGreaterThan 0
        $exports = @($script:Invocations) + [pscustomobject]@{ Call = 'Stop-TmlCluster steps'; Objects = $script:StepRecords }
        $violations = foreach ($i in $exports) {
            if ($i.Objects[0] -is [ValueType]) { continue } # Test-SchedulePolicy -Quiet: a bool is its own cell
            foreach ($row in $i.Objects | ConvertTo-Csv | ConvertFrom-Csv) {
                foreach ($cell in $row.PSObject.Properties) {
                    $v = [string]$cell.Value
                    if ($v -cmatch 'System\.|ClusterOps\.' -or $v -match '[\r\n]' -or $v -match '^\w+ \{ \w+ = ' -or $v -match '@\{') {
                        "$($i.Call) $($cell.Name): $($v.Substring(0, [Math]::Min(80, $v.Length)))"
                    }
                }
            }
        }
        $violations | Should -BeNullOrEmpty
    }

    It 'gives the README runbook line uniform rows: Stop-TmlCluster -PassThru | Export-Csv' {
        $stop = $script:Invocations | Where-Object Call -eq 'Stop-TmlCluster -PassThru'
        $csv = Join-Path $TestDrive 'stop.csv'
        $stop.Objects | Export-Csv -Path $csv
        $rows = @(Import-Csv $csv)
        $rows.Count | Should -Be 6
        $rows | ForEach-Object { $_.Component | Should -Not -BeNullOrEmpty; $_.ClusterState | Should -Be 'Stopped' }
    }

    It 'types sizes as bytes, ages and durations as TimeSpan, times as DateTime(Offset)' {
        $violations = foreach ($entry in $script:Objects) {
            foreach ($p in $entry.Object.PSObject.Properties) {
                $value = $p.Value
                if ($null -eq $value) { continue }
                $bad = switch -Regex -CaseSensitive ($p.Name) {
                    '^(Capacity|Requested|Size|Bytes)$' { $value -isnot [long] }
                    '^(Age|Duration|Delay|LastSuccessDuration)$' { $value -isnot [timespan] }
                    # Stork's time of day (DailyTime '10:14PM') is a clock reading in Stork's format, which New-SchedulePolicy
                    # takes back as is; every other *Time is a point in time.
                    '(?<!Daily|Weekly|Monthly)Time$|^Created$|^Finished$|Seen$|At$|^Target$' { $value -isnot [datetimeoffset] -and $value -isnot [datetime] }
                }
                if ($bad) { "$($entry.Type).$($p.Name) is $($value.GetType())" }
            }
        }
        $violations | Should -BeNullOrEmpty
    }

    It 'sorts claims by capacity as values and filters with -gt 5GB; the table still prints 10Gi and a kubectl age' {
        $claims = ($script:Invocations | Where-Object Call -eq 'Get-PersistentVolumeClaim -AllNamespaces').Objects |
            Where-Object Namespace -eq sizes
        ($claims | Sort-Object Capacity).Name | Should -Be @('size-100mi', 'size-1gi', 'size-2gi', 'size-10gi')
        ($claims | Where-Object Capacity -gt 5GB).Name | Should -Be 'size-10gi'
        ($claims | Sort-Object Age -Descending)[0].Age | Should -BeOfType [timespan]
        $table = $claims | Format-Table | Out-String -Width 200
        $table | Should -Match 'sizes\s+size-10gi\s+Bound\s+10Gi\s+standard\s+\d+s\s'
        $table | Should -Match '\s100Mi\s'
    }

    It 'prints every table header on one line at 80 columns' {
        # Types of PowerShell's own (the bool of -Quiet) print as PowerShell prints them.
        $violations = foreach ($group in $script:Displayed | Where-Object Type -like 'ClusterOps.*' | Group-Object Type) {
            $view = (Get-FormatData -TypeName $group.Name).FormatViewDefinition | Where-Object { $_.Control -is [System.Management.Automation.TableControl] }
            if (-not $view) { "$($group.Name): no table view"; continue }
            if ($bad = Test-ClusterOpsTableHeader $group.Group.Object $view[0].Control.Headers.Label) { "$($group.Name): $bad" }
        }
        $violations | Should -BeNullOrEmpty
    }

    It 'writes every table header in upper case, in every view of the module' {
        $views = (Get-FormatData -TypeName 'ClusterOps.*').FormatViewDefinition | Where-Object { $_.Control -is [System.Management.Automation.TableControl] }
        $views.Count | Should -BeGreaterThan 20
        $lower = foreach ($v in $views) { $v.Control.Headers.Label | Where-Object { $_ -cne $_.ToUpperInvariant() } | ForEach-Object { "$($v.Name): $_" } }
        $lower | Should -BeNullOrEmpty
    }
}
