#Requires -Version 7.4
# Connection cmdlets: Get-KubeContext, Use-KubeContext, Test-KubeConnection, against the sandbox API server.

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    Import-ClusterOpsTestModule
}

Describe 'Get-KubeContext' {
    BeforeAll {
        $one = Join-Path $TestDrive 'one.yaml'
        $two = Join-Path $TestDrive 'two.yaml'
        Set-Content -LiteralPath $one -Value @'
current-context: ""
clusters:
- {name: shared, cluster: {server: "https://one.example:6443"}}
users:
- {name: alice, user: {token: token-one}}
contexts:
- {name: dev, context: {cluster: shared, user: alice, namespace: team-one}}
'@
        Set-Content -LiteralPath $two -Value @'
current-context: prod
clusters:
- {name: shared, cluster: {server: "https://two.example:6443"}}
- {name: second, cluster: {server: "https://second.example"}}
users:
- name: bob
  user:
    exec: {apiVersion: client.authentication.k8s.io/v1, command: ./bin/helper, interactiveMode: Never}
contexts:
- {name: dev, context: {cluster: second, user: bob}}
- {name: prod, context: {cluster: second, user: bob}}
- {name: Prod, context: {cluster: shared, user: alice}}
'@
        $savedKubeConfig = $env:KUBECONFIG
        $env:KUBECONFIG = ($one, (Join-Path $TestDrive 'missing.yaml'), '', $two) -join [IO.Path]::PathSeparator
    }
    AfterAll {
        $env:KUBECONFIG = $savedKubeConfig
    }

    It 'merges the KUBECONFIG chain as kubectl does' {
        $contexts = Get-KubeContext
        $contexts.Name | Should -BeExactly @('dev', 'prod', 'Prod')
        $dev = $contexts | Where-Object Name -CEQ 'dev'
        $dev.Server | Should -Be 'https://one.example:6443'
        $dev.Namespace | Should -Be 'team-one'
        $dev.SourceFile | Should -Be $one
        $dev.AuthMethod | Should -Be 'Token'
        ($contexts | Where-Object IsCurrent).Name | Should -BeExactly 'prod'
        ($contexts | Where-Object Name -CEQ 'prod').AuthMethod | Should -Be 'Exec'
    }

    It 'filters by wildcard and reports unknown exact names' {
        # Case-sensitive, as kubectl treats context names: 'pr*' is not 'Pr*'.
        (Get-KubeContext -Name 'pr*').Name | Should -BeExactly @('prod')
        (Get-KubeContext -Name 'Pr*').Name | Should -BeExactly @('Prod')
        $result = Get-KubeContext -Name 'nope' -ErrorVariable err -ErrorAction SilentlyContinue
        $result | Should -BeNullOrEmpty
        $err[0].FullyQualifiedErrorId | Should -BeLike 'KubeContextNotFound,*'
        $err[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
    }

    It 'reads an explicit file alone and fails when it does not exist' {
        (Get-KubeContext -KubeConfig $one).Name | Should -Be @('dev')
        $err = { Get-KubeContext -KubeConfig (Join-Path $TestDrive 'absent.yaml') -ErrorAction Stop } |
            Should -Throw -ErrorId 'KubeConfigNotFound,*' -PassThru
        $err.CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $err.TargetObject | Should -Be (Join-Path $TestDrive 'absent.yaml')
    }

    It 'shows a kubectl-like table' {
        $text = Get-KubeContext | Format-Table | Out-String
        $text | Should -Match 'CURRENT\s+NAME\s+CLUSTER\s+AUTHINFO\s+NAMESPACE'
        $text | Should -Match '\*\s+prod\s'
    }

    It 'completes context names' {
        $line = "Use-KubeContext -KubeConfig '$two' -Name pr"
        $completions = (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText
        $completions | Should -Contain 'prod'
        $completions | Should -Contain 'Prod'
        $completions | Should -Not -Contain 'dev'
    }

    It 'names the file and line of a malformed kubeconfig' {
        $bad = Join-Path $TestDrive 'bad.yaml'
        Set-Content -LiteralPath $bad -Value "clusters:`n- name: a`n  cluster:`n    server: [unclosed`n"
        $err = $null
        try { Get-KubeContext -KubeConfig $bad -ErrorAction Stop } catch { $err = $_ }
        $err | Should -Not -BeNullOrEmpty
        $err.Exception.Message | Should -BeLike "*$bad*line*"
    }
}

Describe 'Use-KubeContext and Test-KubeConnection against the sandbox' {
    BeforeAll {
        $sandbox = Start-ClusterOpsSandbox -Scenario empty
        $token = ((Get-Content -LiteralPath $sandbox.KubeConfig) -match '^\s*token:' | Select-Object -First 1) -replace '^\s*token:\s*', ''
    }
    AfterAll {
        if ($sandbox) { $sandbox.Stop() }
    }

    It 'reports the server, version and authenticated user' {
        $result = Test-KubeConnection -KubeConfig $sandbox.KubeConfig
        $result | Should -BeOfType 'ClusterOps.Core.Connection.KubeConnectionTestResult'
        $result.Reachable | Should -BeTrue
        $result.Authenticated | Should -BeTrue
        $result.User | Should -Be 'sandbox-admin'
        $result.AuthMethod | Should -Be 'Token'
        $result.ServerVersion | Should -BeLike 'v1.*'
        $result.RoundTripMs | Should -BeGreaterOrEqual 0
    }

    It 'traces requests without revealing the token' {
        $token | Should -Not -BeNullOrEmpty
        $verbose = Test-KubeConnection -KubeConfig $sandbox.KubeConfig -Verbose 4>&1 |
            Where-Object { $_ -is [System.Management.Automation.VerboseRecord] } | ForEach-Object Message
        ($verbose -join "`n") | Should -Match 'GET https://127\.0\.0\.1:\d+/version 200'
        ($verbose -join "`n") | Should -Not -Match ([regex]::Escape($token))
    }

    It 'explains a refused connection' {
        $listener = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
        $listener.Start(); $port = $listener.LocalEndpoint.Port; $listener.Stop()
        $dead = Join-Path $TestDrive 'dead.yaml'
        Set-Content -LiteralPath $dead -Value @"
current-context: dead
clusters: [{name: dead, cluster: {server: "https://127.0.0.1:$port", insecure-skip-tls-verify: true}}]
users: [{name: u, user: {token: x}}]
contexts: [{name: dead, context: {cluster: dead, user: u}}]
"@
        $result = Test-KubeConnection -KubeConfig $dead -WarningAction SilentlyContinue
        $result.Reachable | Should -BeFalse
        $result.Problem | Should -Be 'ConnectionRefused'
        $result.Diagnosis | Should -BeLike '*refused*'
    }

    It 'reports an unknown -Context on any cluster cmdlet as KubeContextNotFound, ObjectNotFound' -ForEach @(
        @{ Command = 'Get-PersistentVolumeClaim' }, @{ Command = 'Get-TmlCluster' }, @{ Command = 'Test-KubeConnection' }
    ) {
        $err = { & $Command -Context 'no-such-context' -KubeConfig $sandbox.KubeConfig -ErrorAction Stop } |
            Should -Throw -ErrorId 'KubeContextNotFound,*' -PassThru
        $err.CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $err.TargetObject | Should -Be 'no-such-context'
    }

    It 'answers with a result whose Problem says there is no kubeconfig, instead of failing' {
        $saved = $env:KUBECONFIG
        $env:KUBECONFIG = Join-Path $TestDrive 'nothing-here.yaml'   # kubectl's rule: only these files, none exists
        try { $result = Test-KubeConnection -ErrorAction Stop }
        finally { $env:KUBECONFIG = $saved }
        $result | Should -BeOfType 'ClusterOps.Core.Connection.KubeConnectionTestResult'
        $result.Reachable | Should -BeFalse
        $result.Authenticated | Should -BeFalse
        $result.Problem | Should -Be 'NoKubeConfig'
        $result.Diagnosis | Should -Match 'No kubeconfig was found'

        $absent = Test-KubeConnection -KubeConfig (Join-Path $TestDrive 'absent.yaml') -ErrorAction Stop
        $absent.Problem | Should -Be 'NoKubeConfig'
        $absent.Diagnosis | Should -Match 'absent\.yaml'
    }

    It 'names the server as the target of a connection failure' {
        $listener = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
        $listener.Start(); $port = $listener.LocalEndpoint.Port; $listener.Stop()
        $dead = Join-Path $TestDrive 'dead-target.yaml'
        Set-Content -LiteralPath $dead -Value @"
current-context: dead
clusters: [{name: dead, cluster: {server: "https://127.0.0.1:$port", insecure-skip-tls-verify: true}}]
users: [{name: u, user: {token: x}}]
contexts: [{name: dead, context: {cluster: dead, user: u}}]
"@
        $err = { Get-PersistentVolumeClaim -Name data-0 -KubeConfig $dead -ErrorAction Stop -WarningAction SilentlyContinue } |
            Should -Throw -ErrorId 'KubeConnectionFailed,*' -PassThru
        $err.CategoryInfo.Category | Should -Be 'ConnectionError'
        $err.TargetObject | Should -Be "https://127.0.0.1:$port/"
    }

    It 'keeps PowerShell''s own error when -NonInteractive stops a confirmation' {
        $script = "Import-Module '$env:CLUSTEROPS_MODULE'; try { Use-KubeContext -Name '$((Get-KubeContext -KubeConfig $sandbox.KubeConfig).Name)' -KubeConfig '$($sandbox.KubeConfig)' -Confirm -ErrorAction Stop } catch { `$_.FullyQualifiedErrorId; `$_.CategoryInfo.Category }"
        if (-not $env:CLUSTEROPS_MODULE) { $script = $script.Replace("'$env:CLUSTEROPS_MODULE'", "'$(Join-Path (Get-ClusterOpsRepoRoot) 'out/ClusterOps/ClusterOps.psd1')'") }
        $psi = New-PwshStartInfo -ArgumentList '-NoProfile', '-NonInteractive', '-Command', $script
        $psi.RedirectStandardOutput = $true
        $child = [Diagnostics.Process]::Start($psi)
        $output = $child.StandardOutput.ReadToEnd()
        $child.WaitForExit(60000) | Should -BeTrue
        $lines = @($output -split '\r?\n' | Where-Object { $_ })
        $lines[0] | Should -Be 'InvalidOperation,ClusterOps.Cmdlets.Connection.UseKubeContextCommand'
        $lines[1] | Should -Be 'InvalidOperation'
    }

    It 'explains an untrusted server certificate, naming the CA source' {
        $wrongCa = Join-Path $TestDrive 'wrong-ca.yaml'
        (Get-Content -LiteralPath $sandbox.KubeConfig -Raw) -replace 'certificate-authority-data: \S+', 'certificate-authority: other-ca.pem' |
            Set-Content -LiteralPath $wrongCa
        $rsa = [System.Security.Cryptography.RSA]::Create(2048)
        $req = [System.Security.Cryptography.X509Certificates.CertificateRequest]::new('CN=Other CA', $rsa,
            [System.Security.Cryptography.HashAlgorithmName]::SHA256, [System.Security.Cryptography.RSASignaturePadding]::Pkcs1)
        $req.CertificateExtensions.Add([System.Security.Cryptography.X509Certificates.X509BasicConstraintsExtension]::new($true, $false, 0, $true))
        $ca = $req.CreateSelfSigned([datetimeoffset]::UtcNow.AddDays(-1), [datetimeoffset]::UtcNow.AddDays(1))
        Set-Content -LiteralPath (Join-Path $TestDrive 'other-ca.pem') -Value $ca.ExportCertificatePem()
        $result = Test-KubeConnection -KubeConfig $wrongCa
        $result.Reachable | Should -BeFalse
        $result.Problem | Should -Be 'TlsUntrusted'
        $result.Diagnosis | Should -BeLike '*other-ca.pem*'
    }

    It 'sets the session default context and namespace without writing the file' {
        $before = Get-FileHash -LiteralPath $sandbox.KubeConfig
        $name = (Get-KubeContext -KubeConfig $sandbox.KubeConfig).Name
        Use-KubeContext -Name $name -Namespace 'kube-system' -KubeConfig $sandbox.KubeConfig -WhatIf
        (Get-KubeContext -KubeConfig $sandbox.KubeConfig).Namespace | Should -Be $sandbox.Namespace

        $passed = Use-KubeContext -Name $name -Namespace 'kube-system' -KubeConfig $sandbox.KubeConfig -PassThru
        $passed.Namespace | Should -Be 'kube-system'
        $passed.IsCurrent | Should -BeTrue
        (Get-FileHash -LiteralPath $sandbox.KubeConfig).Hash | Should -Be $before.Hash
    }

    It 'rejects an unknown context and keeps the previous default' {
        $err = { Use-KubeContext -Name 'no-such-context' -KubeConfig $sandbox.KubeConfig -ErrorAction Stop } |
            Should -Throw -ErrorId 'KubeContextNotFound,*' -PassThru
        $err.CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $err.TargetObject | Should -Be 'no-such-context'
        (Get-KubeContext -KubeConfig $sandbox.KubeConfig | Where-Object IsCurrent).Namespace | Should -Be 'kube-system'
    }
}
