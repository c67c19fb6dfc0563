#Requires -Version 7.4
# Every example code block of every help page in docs/help runs, as written, in a real runspace against a sandbox
# with every scenario, in a world that has what the examples name: contexts (source, destination, staging, prod-eu,
# dr-site), namespaces (shop, billing), the cluster pair dr-site, the schedule mysqlmigrationschedule and the policy
# files. Examples run with $WhatIfPreference on, so they describe instead of change and the world stays the same for
# the next one. The policy files and the TIBCO kit directory docs/examples/manifest-single-zone are in the world's
# current location. An example fails when PowerShell itself rejects it: a parse error, a command or parameter that does
# not exist, a pipeline that does not bind, a method or property that is not there, or an error ClusterOps did not
# expect (UnexpectedError). Errors of the cluster's state (an illustrative name that is not in the sandbox, a refusal
# the example demonstrates) are what the examples are about, and are allowed.

BeforeDiscovery {
    $helpFolder = Join-Path $PSScriptRoot '../../docs/help'
    $script:Examples = foreach ($page in Get-ChildItem $helpFolder -Filter '*-*.md' | Sort-Object Name) {
        $text = (Get-Content -Raw $page.FullName) -replace "`r`n", "`n"
        $section = ($text -split '(?m)^## EXAMPLES')[1]
        $section = ($section -split '(?m)^## PARAMETERS')[0]
        foreach ($m in [regex]::Matches($section, '(?ms)^### (?<title>[^\n]+)\n+```powershell\n(?<code>.*?)^```')) {
            @{ Page = $page.BaseName; Title = $m.Groups['title'].Value.Trim(); Code = $m.Groups['code'].Value }
        }
    }
}

BeforeAll {
    # The example runspace sets KUBECONFIG, which is the process's environment: put it back in AfterAll.
    $script:SavedKubeConfig = $env:KUBECONFIG
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    $script:Manifest = Import-ClusterOpsTestModule
    $script:Sandbox = Start-ClusterOpsSandbox -Scenario all
    $world = Join-Path $TestDrive 'world'
    New-Item -ItemType Directory -Path $world, (Join-Path $world 'policies'), (Join-Path $world 'dr'), (Join-Path $world 'handover'), (Join-Path $world 'secrets') | Out-Null
    $script:World = $world

    # One cluster, every context name the examples use.
    $kubeconfig = Join-Path $world 'kubeconfig'
    Copy-Item $script:Sandbox.KubeConfig $kubeconfig
    function script:Invoke-Kubectl { & kubectl --kubeconfig $kubeconfig @args 2>&1; if ($LASTEXITCODE -ne 0) { throw "kubectl $args failed" } }
    $current = (Invoke-Kubectl config current-context | Select-Object -First 1).Trim()
    $cluster = (Invoke-Kubectl config view -o "jsonpath={.contexts[?(@.name=='$current')].context.cluster}").Trim()
    $user = (Invoke-Kubectl config view -o "jsonpath={.contexts[?(@.name=='$current')].context.user}").Trim()
    foreach ($name in 'source', 'destination', 'staging', 'prod-eu', 'dr-site') {
        Invoke-Kubectl config set-context $name --cluster $cluster --user $user --namespace default | Out-Null
    }
    Copy-Item $kubeconfig (Join-Path $world 'handover/cluster-b.yaml')
    $script:KubeConfig = $kubeconfig

    # Namespaces, the second cluster pair and the seed's schedule the examples name.
    foreach ($ns in 'shop', 'billing', 'tml-test') { Invoke-Kubectl create namespace $ns | Out-Null }
    $pair = (Invoke-Kubectl get clusterpairs.stork.libopenstorage.org remotecluster -n mysql -o json) -join "`n" | ConvertFrom-Json -AsHashtable
    foreach ($field in 'resourceVersion', 'uid', 'creationTimestamp', 'managedFields') { $pair.metadata.Remove($field) }
    $pair.metadata.name = 'dr-site'; $pair.metadata.namespace = 'shop'
    $pair | ConvertTo-Json -Depth 20 | & kubectl --kubeconfig $kubeconfig create -f - | Out-Null
    New-SchedulePolicy -Name testpolicy -IntervalMinutes 1 -DailyTime 10:14PM -WeeklyDay Thursday -WeeklyTime 10:13PM `
        -MonthlyDate 14 -MonthlyTime 8:05PM -KubeConfig $kubeconfig
    New-MigrationSchedule -Name mysqlmigrationschedule -Namespace mysql -ClusterPair remotecluster -Namespaces mysql `
        -SchedulePolicyName testpolicy -ExcludeVolumes -KubeConfig $kubeconfig | Out-Null

    # Files the examples read.
    $policy = @'
apiVersion: stork.libopenstorage.org/v1alpha1
kind: SchedulePolicy
metadata:
  name: testpolicy
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
    foreach ($file in 'testpolicy.yaml', 'policies.yaml', 'policies/testpolicy.yaml', 'dr/nightly.yaml') {
        Set-Content -LiteralPath (Join-Path $world $file) -Value $policy
    }
    foreach ($secret in 'system-database', 'backend-redis', 'system-redis', 'system-memcache') {
        Set-Content -LiteralPath (Join-Path $world "secrets/$secret.yaml") -Value "apiVersion: v1`nkind: Secret`nmetadata:`n  name: $secret-example`nstringData:`n  URL: example"
    }
    # The example TIBCO kit directory the TML examples start from (./manifest-single-zone).
    Copy-Item -Recurse -LiteralPath (Join-Path $PSScriptRoot '../../docs/examples/manifest-single-zone') -Destination $world
    Set-Content -LiteralPath (Join-Path $world 'data-claim.yaml') -Value "apiVersion: v1`nkind: PersistentVolumeClaim`nmetadata:`n  name: data-0`n  namespace: shop`nspec:`n  accessModes: [ReadWriteOnce]`n  resources:`n    requests:`n      storage: 1Gi"

    # The runspace the examples run in: the module importable by name (Import-Module ClusterOps), the world as the
    # current location and the kubeconfig, describe-only.
    $state = [initialsessionstate]::CreateDefault2()
    $script:Runspace = [runspacefactory]::CreateRunspace($state)
    $script:Runspace.Open()
    $setup = [powershell]::Create()
    $setup.Runspace = $script:Runspace
    $null = $setup.AddScript({
            param($Manifest, $World, $KubeConfig)
            $env:PSModulePath = (Split-Path (Split-Path $Manifest)) + [IO.Path]::PathSeparator + $env:PSModulePath
            $env:KUBECONFIG = $KubeConfig
            Import-Module $Manifest -ErrorAction Stop
            Set-Location -LiteralPath $World
        }).AddArgument($script:Manifest).AddArgument($world).AddArgument($kubeconfig).Invoke()
    $setup.Streams.Error | Should -BeNullOrEmpty
    $setup.Dispose()

    # PowerShell rejecting the example itself, as opposed to the cluster answering it.
    $script:BrokenExample = '^(ParseException|CommandNotFoundException|NamedParameterNotFound|PositionalParameterNotFound|' +
        'ParameterArgumentTransformationError|ParameterArgumentValidationError|ParameterArgumentValidationErrorNullNotAllowed|' +
        'MissingArgument|MissingMandatoryParameter|AmbiguousParameterSet|InputObjectNotBound|CannotConvertArgument|' +
        'MethodNotFound|PropertyNotFound|InvokeMethodOnNull|NullArray|UnexpectedError)(,|$)'
}

AfterAll {
    $env:KUBECONFIG = $script:SavedKubeConfig
    if ($script:Runspace) { $script:Runspace.Dispose() }
    if ($script:Sandbox) { $script:Sandbox.Stop() }
}

Describe 'Help examples' {
    It '<Page>: <Title>' -ForEach $script:Examples {
        $ps = [powershell]::Create()
        $ps.Runspace = $script:Runspace
        try {
            # Describe, never change: every ShouldProcess answers "What if"; nothing prompts.
            $null = $ps.AddScript('$WhatIfPreference = $true; $ConfirmPreference = ''None''; $ProgressPreference = ''SilentlyContinue''', $false)
            $null = $ps.AddStatement().AddScript($Code, $true)
            $failure = $null
            try { $null = $ps.Invoke() } catch { $failure = $_.Exception }
            $records = @($ps.Streams.Error)
            if ($failure) {
                $inner = if ($failure.InnerException) { $failure.InnerException } else { $failure }
                $record = if ($inner -is [System.Management.Automation.IContainsErrorRecord]) { $inner.ErrorRecord }
                if ($record) { $records += $record }
                elseif ($inner -isnot [System.Management.Automation.ExitException]) { throw $failure }
            }
            $broken = @($records | Where-Object { $_.FullyQualifiedErrorId -match $script:BrokenExample -or $_.Exception -is [System.Management.Automation.ParameterBindingException] })
            $broken | ForEach-Object { "$($_.FullyQualifiedErrorId): $($_.Exception.Message)" } | Should -BeNullOrEmpty
        }
        finally { $ps.Dispose() }
    }
}

Describe 'The Set-SchedulePolicy example that slows interval policies down' {
    It 'changes interval policies only, never adding an interval to a daily, weekly or monthly policy' {
        New-SchedulePolicy -Name every5 -IntervalMinutes 5 -KubeConfig $script:KubeConfig
        New-SchedulePolicy -Name dailyonly -DailyTime 1:00AM -KubeConfig $script:KubeConfig
        $page = Get-Content -Raw (Join-Path $PSScriptRoot '../../docs/help/Set-SchedulePolicy.md')
        $code = [regex]::Match($page, '(?ms)^### Example 2[^\n]*\n+```powershell\n(?<code>.*?)^```').Groups['code'].Value
        $code | Should -Match '-WhatIf'
        $env:KUBECONFIG, $saved = $script:KubeConfig, $env:KUBECONFIG
        try { & ([scriptblock]::Create(($code -replace '\s-WhatIf', ''))) | Out-Null }
        finally { $env:KUBECONFIG = $saved }
        (Get-SchedulePolicy every5 -KubeConfig $script:KubeConfig).IntervalMinutes | Should -Be 15
        (Get-SchedulePolicy dailyonly -KubeConfig $script:KubeConfig).IntervalMinutes | Should -BeNullOrEmpty
        (Get-SchedulePolicy testpolicy -KubeConfig $script:KubeConfig).IntervalMinutes | Should -Be 15
    }
}
