# Cluster scheduling cmdlets against the sandbox's stork scenario: namespace mysql, Stork's CRDs and default policies,
# ClusterPairs remotecluster (storage options) and remotecluster-sync (none), a MySQL-like app, and the sandbox's
# MigrationSchedule/Migration controllers.
# Error ids are matched as FullyQualifiedErrorId ('<ErrorId>,<cmdlet class>'), hence the trailing ',*'.
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    Import-ClusterOpsTestModule

    $script:Sandbox = Start-ClusterOpsSandbox -Scenario stork
    $script:Common = @{ KubeConfig = $script:Sandbox.KubeConfig }
    $script:Ns = $script:Sandbox.Namespace
}

AfterAll {
    if ($script:Sandbox) { $script:Sandbox.Stop() }
}

Describe 'Schedule policies in the cluster' {
    It 'creates the seed policy cluster-scoped and prints the seed storkctl row' {
        New-SchedulePolicy -Name testpolicy -IntervalMinutes 1 -DailyTime 10:14PM -WeeklyDay Thursday -WeeklyTime 10:13PM `
            -MonthlyDate 14 -MonthlyTime 8:05PM @Common
        $policy = Get-SchedulePolicy testpolicy @Common
        $policy.Scope | Should -Be 'Cluster'
        $policy.Namespace | Should -BeNullOrEmpty
        $text = $policy | Format-Table | Out-String
        $text | Should -Match 'NAME\s+INTERVAL-MINUTES\s+DAILY\s+WEEKLY\s+MONTHLY'
        $text | Should -Match 'testpolicy\s+1\s+10:14PM\s+Thursday@10:13PM\s+14@8:05PM'
    }

    It 'lists Stork''s default policies by wildcard' {
        $names = @(Get-SchedulePolicy 'default-*' @Common).Name
        $names | Should -Contain 'default-migration-policy'
        $names.Count | Should -Be 5
    }

    It 'refuses a weekday Stork does not accept and creates nothing' {
        { New-SchedulePolicy -Name badday -WeeklyDay SUN -WeeklyTime 1:00AM @Common } | Should -Throw -ErrorId 'SchedulePolicyWeekdayInvalid,*'
        Get-SchedulePolicy 'badday*' @Common | Should -BeNullOrEmpty
    }

    It 'changes and clears sections with Set-SchedulePolicy' {
        New-SchedulePolicy -Name changeme -DailyTime 1:00AM -MonthlyDate 1 -MonthlyTime 2:00AM @Common
        $changed = Set-SchedulePolicy changeme -DailyTime 11:30PM -Clear Monthly -PassThru @Common
        $changed.Daily | Should -Be '11:30PM'
        $changed.Monthly | Should -Be 'N/A'
    }

    It 'refuses a -Clear that would leave a policy with no section, and changes nothing' {
        New-SchedulePolicy -Name lastsection -DailyTime 1:00AM @Common
        $err = { Set-SchedulePolicy lastsection -Clear Daily -ErrorAction Stop @Common } |
            Should -Throw -ErrorId 'SchedulePolicyClearLeavesNoSection,*' -PassThru
        $err.CategoryInfo.Category | Should -Be 'InvalidArgument'
        (Get-SchedulePolicy lastsection @Common).Daily | Should -Be '1:00AM'
    }

    It 'creates a namespaced policy that Get-ScheduleTrigger prefers over the cluster policy of the same name' {
        New-SchedulePolicy -Name testpolicy -Namespace $Ns -IntervalMinutes 5 @Common
        (Get-SchedulePolicy -Namespace $Ns @Common | Where-Object Name -eq testpolicy).Interval | Should -Be '5'
        $start = [DateTime]::SpecifyKind([DateTime]'2030-01-01 00:00', 'Unspecified')
        $times = @(Get-ScheduleTrigger testpolicy -Namespace $Ns -Start $start -End $start.AddMinutes(12) @Common |
                ForEach-Object { $_.Time.ToString('HH:mm:ss') })
        $times | Should -Be @('00:00:00', '00:05:10', '00:10:20')
    }

    It 'warns that Stork skips date 31 in shorter months' {
        New-SchedulePolicy -Name month-end -MonthlyDate 31 -MonthlyTime 11:00PM -WarningVariable warned -WarningAction SilentlyContinue @Common
        $warned.Count | Should -BeGreaterThan 0
    }
}

Describe 'Migration schedules and migrations' {
    It 'refuses a schedule that would migrate another namespace' {
        { New-MigrationSchedule -Name foreign -ClusterPair remotecluster -Namespaces $Ns, 'kube-public' @Common } |
            Should -Throw -ErrorId 'MigrationScheduleNamespaceNotAllowed,*'
    }

    It 'validates a hashtable -Selector as kubectl validates labels, before creating anything' {
        $err = { New-MigrationSchedule -Name badlabels -ClusterPair remotecluster -Namespaces $Ns -IntervalMinutes 30 -Selector @{ 'tier!' = 'db' } @Common } |
            Should -Throw -ErrorId 'InvalidLabelSelector,*' -PassThru
        $err.CategoryInfo.Category | Should -Be 'InvalidArgument'
        $err.Exception.Message | Should -Match "-Selector: 'tier!' is not a valid label key"
        Get-MigrationSchedule 'badlabels*' @Common | Should -BeNullOrEmpty
        Get-SchedulePolicy 'badlabels*' @Common | Should -BeNullOrEmpty
    }

    It 'turns autoSuspend on unless -DisableAutoSuspend, as storkctl create migrationschedule does' {
        (New-MigrationSchedule -Name autosuspended -ClusterPair remotecluster -Namespaces $Ns -Suspend -PassThru @Common).AutoSuspend | Should -BeTrue
        (New-MigrationSchedule -Name notautosuspended -ClusterPair remotecluster -Namespaces $Ns -Suspend -DisableAutoSuspend -PassThru @Common).AutoSuspend | Should -BeFalse
        (& kubectl --kubeconfig $Sandbox.KubeConfig -n $Ns get migrationschedule autosuspended -o 'jsonpath={.spec.autoSuspend}') | Should -Be 'true'
        Remove-MigrationSchedule autosuspended, notautosuspended -Force @Common
    }

    It 'creates default-migration-policy when it is missing, as storkctl create migrationschedule does' {
        & kubectl --kubeconfig $Sandbox.KubeConfig delete schedulepolicy default-migration-policy | Out-Null
        $schedule = New-MigrationSchedule -Name defaulted -ClusterPair remotecluster -Namespaces $Ns -Suspend -PassThru `
            -WarningVariable warned -WarningAction SilentlyContinue @Common
        $schedule.PolicyName | Should -Be 'default-migration-policy'
        (Get-SchedulePolicy default-migration-policy @Common).Interval | Should -Be '30'
        ($warned -join "`n") | Should -Match "'default-migration-policy' was missing and has been created"
        { New-MigrationSchedule -Name named -ClusterPair remotecluster -Namespaces $Ns -SchedulePolicyName no-such-policy @Common } |
            Should -Throw -ErrorId 'MigrationSchedulePolicyNotFound,*'
        Remove-MigrationSchedule defaulted -Force @Common
    }

    It 'reads the admin namespace from stork-controller-config as storkctl does, and -AdminNamespace overrides it' {
        & kubectl --kubeconfig $Sandbox.KubeConfig -n kube-system create configmap stork-controller-config "--from-literal=admin-ns=$Ns" | Out-Null
        try {
            $wide = New-MigrationSchedule -Name adminwide -ClusterPair remotecluster -Namespaces $Ns, 'kube-public' -Suspend -PassThru @Common
            $wide.Namespaces | Should -Be "$Ns,kube-public"
            { New-MigrationSchedule -Name adminwide2 -ClusterPair remotecluster -Namespaces $Ns, 'kube-public' -AdminNamespace kube-system @Common } |
                Should -Throw -ErrorId 'MigrationScheduleNamespaceNotAllowed,*'
            Remove-MigrationSchedule adminwide -Force @Common
        }
        finally {
            & kubectl --kubeconfig $Sandbox.KubeConfig -n kube-system delete configmap stork-controller-config | Out-Null
        }
    }

    It 'prints storkctl''s ELAPSED and TOTAL BYTES for a migration without a summary' {
        $finish = [DateTime]::UtcNow.AddSeconds(90).ToString('yyyy-MM-ddTHH:mm:ssZ')
        @"
apiVersion: stork.libopenstorage.org/v1alpha1
kind: Migration
metadata: {name: legacy, namespace: $Ns}
spec: {clusterPair: remotecluster, namespaces: [$Ns]}
status: {stage: Final, status: Failed, finishTimestamp: '$finish'}
"@ | & kubectl --kubeconfig $Sandbox.KubeConfig apply -f - | Out-Null
        $m = Get-Migration legacy @Common
        $m.Elapsed | Should -Match '^1m(2[89]|3[01])s$'
        $m.TotalBytes | Should -Be 'Available with stork v2.9.0+'
        $m.TotalBytesTransferred | Should -BeNullOrEmpty
        $m.Volumes | Should -Be '0/0'
        & kubectl --kubeconfig $Sandbox.KubeConfig -n $Ns delete migration legacy | Out-Null
    }

    It 'refuses a missing cluster pair' {
        { New-MigrationSchedule -Name nopair -ClusterPair nope -Namespaces $Ns @Common } | Should -Throw -ErrorId 'ClusterPairNotFound,*'
    }

    It 'excludes volumes with a warning for a pair without storage options' {
        $schedule = New-MigrationSchedule -Name syncdr -ClusterPair remotecluster-sync -Namespaces $Ns -Suspend -PassThru `
            -WarningVariable warned -WarningAction SilentlyContinue @Common
        $schedule.IncludeVolumes | Should -BeFalse
        ($warned -join "`n") | Should -Match 'no storage options'
    }

    It 'runs migrations with Stork''s names, waits for them and reports them' {
        $schedule = New-MigrationSchedule -Name nightly -ClusterPair remotecluster -Namespaces $Ns -IntervalMinutes 30 -PassThru @Common
        $schedule.PolicyName | Should -Be 'nightly'
        (Get-SchedulePolicy nightly @Common).Interval | Should -Be '30'

        Wait-ClusterOpsCondition { Get-Migration -Schedule nightly @Common } 'the first migration'
        $done = Get-Migration -Schedule nightly @Common | Wait-Migration -For Successful -TimeoutSec 60 @Common
        $done.Status | Should -Be 'Successful'
        $done.Name | Should -Match '^nightly-interval-\d{4}-\d\d-\d\d-\d{6}$'
        $done.Volumes | Should -Match '^\d+/\d+$'

        $table = Get-Migration -Schedule nightly @Common | Format-Table | Out-String
        $table | Should -Match 'CLUSTERPAIR\s+STAGE\s+STATUS\s+VOLUMES\s+RESOURCES\s+NAME'

        Wait-ClusterOpsCondition { (Get-MigrationSchedule nightly @Common).LastSuccessTime } 'the recorded success'
        $csv = Join-Path $TestDrive 'history.csv'
        Get-MigrationSchedule nightly -History @Common | Export-Csv -Path $csv -NoTypeInformation
        $rows = @(Import-Csv $csv)
        $rows.Count | Should -Be 1
        $rows[0].Migration | Should -Be $done.Name
        $rows[0].PolicyType | Should -Be 'Interval'
        $rows[0].Status | Should -Be 'Successful'

        $events = @(Get-MigrationSchedule nightly @Common | Get-KubeEvent @Common)
        ($events | Where-Object Reason -eq 'Successful').Message | Should -Contain "Scheduled migration ($($done.Name)) completed successfully"
    }

    It 'suspends and resumes through the pipeline' {
        (Get-MigrationSchedule nightly @Common | Suspend-MigrationSchedule -PassThru @Common).Suspend | Should -BeTrue
        (Get-MigrationSchedule nightly @Common | Resume-MigrationSchedule -PassThru @Common).Suspend | Should -BeFalse
    }

    It 'waits for the migrations it finds and reports a missing name as a non-terminating error' {
        Wait-ClusterOpsCondition { Get-Migration -Schedule nightly @Common } 'a migration of the nightly schedule'
        $existing = @(Get-Migration -Schedule nightly @Common)[0].Name
        $done = @(Wait-Migration -Name nosuch, $existing -TimeoutSec 60 -ErrorAction SilentlyContinue -ErrorVariable missing @Common)
        $done.Name | Should -Be @($existing)
        $missing.Count | Should -Be 1
        $missing[0].FullyQualifiedErrorId | Should -BeLike 'MigrationNotFound,*'
        $missing[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $missing[0].TargetObject | Should -Be 'nosuch'
    }

    It 'refuses to remove a policy in use, and says so' {
        { Remove-SchedulePolicy nightly -Confirm:$false -ErrorAction Stop @Common } | Should -Throw -ErrorId 'SchedulePolicyInUse,*'
        Get-SchedulePolicy nightly @Common | Should -Not -BeNullOrEmpty
    }

    It 'removes a schedule with its migrations' {
        $names = @(Get-Migration -Schedule nightly @Common).Name
        Remove-MigrationSchedule nightly -Force @Common
        Wait-ClusterOpsCondition { -not (Get-MigrationSchedule 'nightly*' @Common) } 'the schedule to go'
        Wait-ClusterOpsCondition { -not (Get-Migration @Common | Where-Object Name -in $names) } 'its migrations to go'
        Remove-SchedulePolicy nightly -Force @Common
    }

    It 'shows cluster pairs with storkctl columns and no credentials' {
        $pairs = @(Get-ClusterPair @Common)
        $pairs.Name | Should -Be @('remotecluster', 'remotecluster-sync')
        ($pairs | Format-Table | Out-String) | Should -Match 'NAME\s+STORAGE-STATUS\s+SCHEDULER-STATUS\s+CREATED'
        $json = $pairs | ConvertTo-Json -Depth 20
        $json | Should -Not -Match 'sandbox-remote-token'
        $json | Should -Not -Match 'sandbox-portworx-cluster-token'
    }
}

Describe 'Failover' {
    BeforeAll {
        # The destination state Stork leaves without startApplications: replicas 0 and the count in the annotation.
        & kubectl --kubeconfig $Sandbox.KubeConfig -n $Ns annotate deployment mysql 'stork.libopenstorage.org/migrationReplicas=1' --overwrite | Out-Null
        & kubectl --kubeconfig $Sandbox.KubeConfig -n $Ns scale deployment mysql --replicas=0 | Out-Null
    }

    It 'lists the change with -WhatIf and changes nothing' {
        $out = Enable-MigratedApplication -Namespace $Ns -WhatIf @Common
        $out | Should -BeNullOrEmpty
        (& kubectl --kubeconfig $Sandbox.KubeConfig -n $Ns get deployment mysql -o 'jsonpath={.spec.replicas}') | Should -Be '0'
    }

    It 'activates and deactivates silently, and with -PassThru emits one record per object changed' {
        Enable-MigratedApplication -Namespace $Ns -Force @Common | Should -BeNullOrEmpty
        (& kubectl --kubeconfig $Sandbox.KubeConfig -n $Ns get deployment mysql -o 'jsonpath={.spec.replicas}') | Should -Be '1'

        $back = @(Disable-MigratedApplication -Namespace $Ns -Force -PassThru -WarningVariable warned -WarningAction SilentlyContinue @Common)
        $back.Count | Should -Be 1
        $back[0].Kind | Should -Be 'Deployment'
        $back[0].ReplicasBefore | Should -Be 1
        $back[0].ReplicasAfter | Should -Be 0
        $back[0].Action | Should -Be 'Deactivated'
        # syncdr is the source schedule, not a static copy: storkctl leaves it activated, and so do we, saying so.
        ($warned -join "`n") | Should -Match "MigrationSchedule $Ns/syncdr stays activated"
        (& kubectl --kubeconfig $Sandbox.KubeConfig -n $Ns get deployment mysql -o 'jsonpath={.spec.replicas}') | Should -Be '0'

        $again = @(Disable-MigratedApplication -Namespace $Ns -Force -PassThru -WarningVariable warned -WarningAction SilentlyContinue @Common)
        $again | Should -BeNullOrEmpty
        ($warned -join "`n") | Should -Match "Nothing to deactivate in namespace '$Ns'"
    }
}

Describe 'Failover of the other kinds storkctl handles' {
    BeforeAll {
        $script:Kinds = 'failover-kinds'
        @"
apiVersion: v1
kind: Namespace
metadata: {name: $Kinds}
---
apiVersion: apps/v1
kind: ReplicaSet
metadata: {name: cache, namespace: $Kinds, annotations: {stork.libopenstorage.org/migrationReplicas: '2'}}
spec:
  replicas: 0
  selector: {matchLabels: {app: cache}}
  template:
    metadata: {labels: {app: cache}}
    spec: {containers: [{name: redis, image: 'redis:7'}]}
---
apiVersion: batch/v1
kind: CronJob
metadata: {name: report, namespace: $Kinds}
spec:
  schedule: '*/5 * * * *'
  suspend: true
  jobTemplate: {spec: {template: {spec: {restartPolicy: Never, containers: [{name: report, image: busybox}]}}}}
---
apiVersion: cassandra.datastax.com/v1beta1
kind: CassandraDatacenter
metadata: {name: dc1, namespace: $Kinds, annotations: {stork.libopenstorage.org/migrated: 'true'}}
spec: {size: 3, stopped: true}
"@ | & kubectl --kubeconfig $Sandbox.KubeConfig apply -f - | Out-Null
    }

    It 'scales ReplicaSets, resumes CronJobs and starts registered custom resources, one record each' {
        $changes = @(Enable-MigratedApplication -Namespace $Kinds -Force -PassThru -Verbose 4>&1 @Common)
        $records = @($changes | Where-Object { $_ -is [ClusterOps.Core.Scheduling.MigratedApplicationChange] })
        $records.Kind | Should -Be @('ReplicaSet', 'CassandraDatacenter', 'CronJob')
        $records.Field | Should -Be @('spec.replicas', 'spec.stopped', 'spec.suspend')
        $records.After | Should -Be @('2', 'false', 'false')
        ($changes | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }).Message | Should -Contain 'DeploymentConfigs skipped: the cluster does not serve deploymentconfigs.apps.openshift.io/v1.'
        (& kubectl --kubeconfig $Sandbox.KubeConfig -n $Kinds get replicaset cache -o 'jsonpath={.spec.replicas}') | Should -Be '2'
        (& kubectl --kubeconfig $Sandbox.KubeConfig -n $Kinds get cronjob report -o 'jsonpath={.spec.suspend}') | Should -Be 'false'
        (& kubectl --kubeconfig $Sandbox.KubeConfig -n $Kinds get cassandradatacenter dc1 -o 'jsonpath={.spec.stopped}') | Should -Be 'false'
        $table = $records | Format-Table | Out-String -Width 80
        $table | Should -Match 'KIND\s+NAMESPACE\s+FIELD\s+BEFORE\s+AFTER\s+NAME'
    }

    It 'stops them again on deactivation' {
        $back = @(Disable-MigratedApplication -Namespace $Kinds -Force -PassThru @Common)
        $back.After | Should -Be @('0', 'true', 'true')
        (& kubectl --kubeconfig $Sandbox.KubeConfig -n $Kinds get cronjob report -o 'jsonpath={.spec.suspend}') | Should -Be 'true'
        (& kubectl --kubeconfig $Sandbox.KubeConfig -n $Kinds get cassandradatacenter dc1 -o 'jsonpath={.spec.stopped}') | Should -Be 'true'
    }
}

Describe 'Pods of registered applications, as storkctl deactivate deletes them (updatereplicas.go, podsPath)' {
    BeforeAll {
        function New-CacheApp([string] $Namespace) {
            @"
apiVersion: v1
kind: Namespace
metadata: {name: $Namespace}
---
apiVersion: caches.example.com/v1
kind: ExampleCache
metadata: {name: ec1, namespace: $Namespace, annotations: {stork.libopenstorage.org/migrated: 'true'}}
spec: {suspended: false}
---
apiVersion: v1
kind: Pod
metadata: {name: ec1-0, namespace: $Namespace}
spec: {containers: [{name: cache, image: 'redis:7'}]}
---
apiVersion: v1
kind: Pod
metadata: {name: ec1-1, namespace: $Namespace}
spec: {containers: [{name: cache, image: 'redis:7'}]}
---
apiVersion: v1
kind: Pod
metadata: {name: bystander, namespace: $Namespace}
spec: {containers: [{name: tool, image: busybox}]}
"@ | & kubectl --kubeconfig $Sandbox.KubeConfig apply -f - | Out-Null
            & kubectl --kubeconfig $Sandbox.KubeConfig -n $Namespace patch examplecache ec1 --subresource=status --type=merge -p '{"status":{"pods":["ec1-0","ec1-1"]}}' | Out-Null
        }
        function Get-PodName([string] $Namespace) {
            @(& kubectl --kubeconfig $Sandbox.KubeConfig -n $Namespace get pods -o 'jsonpath={.items[*].metadata.name}') -split ' ' | Where-Object { $_ } | Sort-Object
        }
    }

    It 'suspends the resource and deletes exactly the pods it lists, one record each' {
        New-CacheApp 'podspath-delete'
        $records = @(Disable-MigratedApplication -Namespace 'podspath-delete' -Force -PassThru @Common)
        $records.Kind | Should -Be @('ExampleCache', 'Pod', 'Pod')
        $records.Name | Should -Be @('ec1', 'ec1-0', 'ec1-1')
        $records[1].After | Should -Be 'deleted'
        (& kubectl --kubeconfig $Sandbox.KubeConfig -n 'podspath-delete' get examplecache ec1 -o 'jsonpath={.spec.suspended}') | Should -Be 'true'
        Get-PodName 'podspath-delete' | Should -Be @('bystander')
    }

    It 'keeps them with -KeepRegisteredPods, and -WhatIf deletes nothing' {
        New-CacheApp 'podspath-keep'
        Disable-MigratedApplication -Namespace 'podspath-keep' -WhatIf @Common
        Get-PodName 'podspath-keep' | Should -Be @('bystander', 'ec1-0', 'ec1-1')
        $records = @(Disable-MigratedApplication -Namespace 'podspath-keep' -KeepRegisteredPods -Force -PassThru @Common)
        $records.Kind | Should -Be @('ExampleCache')
        Get-PodName 'podspath-keep' | Should -Be @('bystander', 'ec1-0', 'ec1-1')
    }
}

Describe 'A cluster without Stork' {
    It 'says that Stork is not installed' {
        $empty = Start-ClusterOpsSandbox -Scenario empty
        try {
            { Get-MigrationSchedule -KubeConfig $empty.KubeConfig } | Should -Throw -ErrorId 'StorkNotInstalled,*'
        }
        finally {
            $empty.Stop()
        }
    }
}
