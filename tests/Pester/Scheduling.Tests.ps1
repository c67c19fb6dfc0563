# Offline scheduling cmdlets: Test-SchedulePolicy and Get-ScheduleTrigger. No cluster, no sandbox.
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    Import-ClusterOpsTestModule

    $script:SeedPolicy = @'
apiVersion: stork.libopenstorage.org/v1alpha1
kind: SchedulePolicy
metadata:
  name: testpolicy
  namespace: mysql
policy:
  interval:
    intervalMinutes: 1
  daily:
    time: "10:14PM"
  weekly:
    day: "Thursday"
    time: "10:13PM"
  monthly:
    date: 14
    time: "8:05PM"
'@
    $script:SeedSchedule = @'
apiVersion: stork.libopenstorage.org/v1alpha1
kind: MigrationSchedule
metadata:
  name: mysqlmigrationschedule
  namespace: migrationnamespace
spec:
  template:
    spec:
      clusterPair: remotecluster
      includeResources: true
      startApplications: false
      includeVolumes: false
      namespaces:
      - migrationnamespace
  schedulePolicyName: testpolicy
'@
    $script:SeedPath = Join-Path $TestDrive 'testpolicy.yaml'
    Set-Content -Path $script:SeedPath -Value ($script:SeedPolicy + "`n---`n" + $script:SeedSchedule)

    $script:BadPath = Join-Path $TestDrive 'bad.yaml'
    Set-Content -Path $script:BadPath -Value ($script:SeedPolicy -replace '"Thursday"', '"SUN"' -replace '"10:14PM"', '"10:14 PM"')

    $script:ShortPath = Join-Path $TestDrive 'short.yaml'
    Set-Content -Path $script:ShortPath -Value @'
apiVersion: stork.libopenstorage.org/v1alpha1
kind: SchedulePolicy
metadata:
  name: every-two-hours
policy:
  interval:
    intervalMinutes: 120
  daily:
    time: 1:00AM
'@
}

Describe 'Test-SchedulePolicy' {
    It 'passes the seed policy with only the cluster-scope namespace warning' {
        $problems = @(Test-SchedulePolicy -Path $SeedPath)
        $problems.Count | Should -Be 1
        $problems[0].Severity | Should -Be 'Warning'
        $problems[0].ErrorId | Should -Be 'SchedulePolicyNamespaceIgnored'
        $problems[0].PolicyName | Should -Be 'testpolicy'
        $problems[0].Source | Should -Be $SeedPath
        $problems[0].PSObject.TypeNames[0] | Should -Be 'ClusterOps.Core.Scheduling.SchedulePolicyProblem'
    }

    It 'names the field, the value and what Stork allows for each error' {
        $errors = @(Test-SchedulePolicy -Path $BadPath | Where-Object Severity -eq 'Error')
        $errors.Field | Should -Be @('DailyTime', 'WeeklyDay')
        $errors[1].Message | Should -BeExactly "WeeklyDay 'SUN' is not a day Stork accepts; use Sunday, Sun, sunday or sun."
        $errors[0].Message | Should -BeLike "DailyTime '10:14 PM' is not a time Stork accepts*"
    }

    It 'returns one Boolean per policy with -Quiet' {
        Test-SchedulePolicy -Path $SeedPath -Quiet | Should -BeTrue
        Test-SchedulePolicy -Path $BadPath -Quiet | Should -BeFalse
    }

    It 'takes files from Get-ChildItem and expands wildcards' {
        $fromPipeline = @(Get-ChildItem -Path $TestDrive -Filter '*.yaml' | Test-SchedulePolicy -Quiet)
        $fromWildcard = @(Test-SchedulePolicy -Path (Join-Path $TestDrive '*.yaml') -Quiet)
        $fromPipeline.Count | Should -Be 3
        $fromWildcard.Count | Should -Be 3
        ($fromPipeline -contains $false) | Should -BeTrue
    }

    It 'checks policy objects' {
        $docs = [ClusterOps.Core.Scheduling.SchedulePolicyYaml]::LoadFile($BadPath)
        $policy = [ClusterOps.Core.Scheduling.SchedulePolicyInfo]::From($docs[0], $BadPath)
        $policy.Weekly | Should -Be 'Invalid'
        @($policy | Test-SchedulePolicy | Where-Object Severity -eq 'Error').Count | Should -Be 2
    }

    It 'reports a missing file as a non-terminating error and goes on' {
        $results = @(Test-SchedulePolicy -Path (Join-Path $TestDrive 'missing.yaml'), $SeedPath -ErrorVariable failures -ErrorAction SilentlyContinue)
        $failures.Count | Should -Be 1
        $failures[0].FullyQualifiedErrorId | Should -BeLike 'SchedulePolicyFileNotFound*'
        $results.Count | Should -Be 1
    }

    It 'shows problems in a table' {
        $text = Test-SchedulePolicy -Path $BadPath | Format-Table | Out-String
        $text | Should -Match 'SEVERITY'
        $text | Should -Match 'WeeklyDay'
    }
}

Describe 'SchedulePolicyInfo table view' {
    It 'prints the seed policy as storkctl get schedulepolicy does' {
        $policy = [ClusterOps.Core.Scheduling.SchedulePolicyInfo]::From([ClusterOps.Core.Scheduling.SchedulePolicyYaml]::LoadFile($SeedPath)[0], $SeedPath)
        $text = $policy | Format-Table | Out-String
        $text | Should -Match 'NAME\s+INTERVAL-MINUTES\s+DAILY\s+WEEKLY\s+MONTHLY'
        $text | Should -Match 'testpolicy\s+1\s+10:14PM\s+Thursday@10:13PM\s+14@8:05PM'
    }
}

Describe 'Get-ScheduleTrigger' {
    It 'previews the seed policy on the seed day' {
        $triggers = @(Get-ScheduleTrigger -Path $SeedPath -Start '2019-02-14 20:00' -End '2019-02-14 22:30' |
                Where-Object PolicyType -ne 'Interval')
        $triggers.PolicyType | Should -Be @('Monthly', 'Weekly', 'Daily')
        $triggers.ForEach({ $_.Time.ToString('HH:mm:ss') }) | Should -Be @('20:05:00', '22:13:10', '22:14:00')
        $triggers[0].PSObject.TypeNames[0] | Should -Be 'ClusterOps.Core.Scheduling.ScheduleTriggerInfo'
    }

    It 'runs an interval every N minutes plus one controller pass' {
        $times = @(Get-ScheduleTrigger -Path $ShortPath -Start '2019-03-01 02:00' -End '2019-03-01 06:00' |
                Where-Object PolicyType -eq 'Interval' | ForEach-Object { $_.Time.ToString('HH:mm:ss') })
        $times | Should -Be @('02:00:00', '04:00:10')
    }

    It 'reports windows lost to a long migration with -IncludeMissed' {
        $rows = @(Get-ScheduleTrigger -Path $ShortPath -Start '2019-03-01 00:00' -End '2019-03-01 04:00' -MigrationDuration '02:00:00' -IncludeMissed)
        $missed = @($rows | Where-Object Outcome -eq 'Missed')
        $missed.Count | Should -Be 1
        $missed[0].PolicyType | Should -Be 'Daily'
        $missed[0].Reason | Should -Match 'does not catch up'
    }

    It 'continues from the last triggers and predicts Migration names' {
        $first = Get-ScheduleTrigger -Path $ShortPath -Start '2019-03-01 00:10' -End '2019-03-01 03:00' `
            -LastTrigger @{ interval = '2019-03-01T00:00:00Z'; Daily = '2019-03-01T01:00:00Z' } -ScheduleName 'mysqlmigrationschedule' |
            Select-Object -First 1
        $first.PolicyType | Should -Be 'Interval'
        $first.MigrationName | Should -Be 'mysqlmigrationschedule-interval-2019-03-01-020010'
    }

    It 'reads wall times in the controller zone' {
        $trigger = Get-ScheduleTrigger -Path $ShortPath -Start '2019-03-01 00:30' -End '2019-03-01 01:30' -TimeZone 'Asia/Kolkata' -LastTrigger @{ Interval = '2019-03-01 00:29' } |
            Where-Object PolicyType -eq 'Daily'
        $trigger.Time.Offset | Should -Be ([TimeSpan]::FromHours(5.5))
        $trigger.Time.ToString('HH:mm') | Should -Be '01:00'
    }

    It 'takes a policy object from the pipeline' {
        $policy = [ClusterOps.Core.Scheduling.SchedulePolicyInfo]::From([ClusterOps.Core.Scheduling.SchedulePolicyYaml]::LoadFile($ShortPath)[0], $ShortPath)
        @($policy | Get-ScheduleTrigger -Start '2019-03-01 00:00' -End '2019-03-02 00:00').Count | Should -BeGreaterThan 1
    }

    It 'refuses a policy Stork rejects' {
        { Get-ScheduleTrigger -Path $BadPath -Start '2019-03-01' -End '2019-03-02' -ErrorAction Stop } |
            Should -Throw -ErrorId 'SchedulePolicyInvalid*'
    }

    It 'refuses an unknown LastTrigger type and an unknown zone' {
        { Get-ScheduleTrigger -Path $ShortPath -LastTrigger @{ Hourly = '2019-03-01' } -ErrorAction Stop } |
            Should -Throw -ErrorId 'ScheduleTriggerLastTriggerInvalid*'
        { Get-ScheduleTrigger -Path $ShortPath -TimeZone 'Mars/Olympus_Mons' -ErrorAction Stop } |
            Should -Throw -ErrorId 'ScheduleTriggerTimeZoneNotFound*'
    }
}
