#Requires -Version 7.4
# The module as a whole: exports, help, and an import that does no work.

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    $script:ManifestPath = Import-ClusterOpsTestModule
    $script:Manifest = Import-PowerShellDataFile $script:ManifestPath
}

Describe 'ClusterOps module' {
    It 'exports exactly the cmdlets its manifest lists' {
        $exported = (Get-Command -Module ClusterOps -CommandType Cmdlet).Name | Sort-Object
        $listed = $script:Manifest.CmdletsToExport | Sort-Object
        $listed | Should -Not -BeNullOrEmpty
        $exported | Should -Be $listed
    }

    It 'declares no wildcard exports and no functions, aliases or variables' {
        $script:Manifest.CmdletsToExport | Should -Not -Contain '*'
        @($script:Manifest.FunctionsToExport).Count | Should -Be 0
        @($script:Manifest.AliasesToExport).Count | Should -Be 0
        @($script:Manifest.VariablesToExport).Count | Should -Be 0
        $script:Manifest.PowerShellVersion | Should -Be '7.4'
        $script:Manifest.CompatiblePSEditions | Should -Be @('Core')
    }

    It 'does not ship System.Management.Automation and keeps YamlDotNet under dependencies/' {
        $folder = Split-Path $script:ManifestPath
        Join-Path $folder 'System.Management.Automation.dll' | Should -Not -Exist
        Join-Path $folder 'YamlDotNet.dll' | Should -Not -Exist
        Join-Path $folder 'dependencies/YamlDotNet.dll' | Should -Exist
    }
}

Describe 'ClusterOps help' {
    BeforeAll {
        $script:MamlPath = Join-Path (Split-Path $script:ManifestPath) 'en-US/ClusterOps.Cmdlets.dll-Help.xml'
        $script:HasMaml = Test-Path $script:MamlPath
    }

    It 'ships MAML help built from docs/help (./build.ps1 -Task Docs)' {
        if (-not $script:HasMaml) {
            Set-ItResult -Skipped -Because "en-US help is absent: Microsoft.PowerShell.PlatyPS was not installed when the module was built"
        }
        $script:MamlPath | Should -Exist
    }

    It '<_> has a synopsis and at least two examples' -ForEach @((Import-PowerShellDataFile (Join-Path $PSScriptRoot '../../module/ClusterOps.psd1')).CmdletsToExport) {
        if (-not $script:HasMaml) {
            Set-ItResult -Skipped -Because "en-US help is absent: Microsoft.PowerShell.PlatyPS was not installed when the module was built"
        }
        $help = Get-Help $_ -Full
        $help.Synopsis | Should -Not -BeNullOrEmpty
        $help.Synopsis | Should -Not -Match '^\s*\S+-\S+ \['   # the generated syntax line means no real help was found
        @($help.examples.example).Count | Should -BeGreaterOrEqual 2
    }

    It '<_> has a markdown help source with at least two examples' -ForEach @((Import-PowerShellDataFile (Join-Path $PSScriptRoot '../../module/ClusterOps.psd1')).CmdletsToExport) {
        $page = Join-Path $PSScriptRoot "../../docs/help/$_.md"
        $page | Should -Exist
        ([regex]::Matches((Get-Content $page -Raw), '(?m)^### Example')).Count | Should -BeGreaterOrEqual 2
    }
}

Describe 'about_ClusterOps' {
    It 'ships with the module and reads as a plain-text about topic' {
        Join-Path (Split-Path $script:ManifestPath) 'en-US/about_ClusterOps.help.txt' | Should -Exist
        $text = Get-Help about_ClusterOps | Out-String
        $text | Should -Match '(?m)^TOPIC\s*$'
        $text | Should -Match '(?m)^SHORT DESCRIPTION\s*$'
        $text | Should -Match 'KubeContextNotFound'
        # Markdown does not render in a console: no headings, fences or links.
        @($text -split '\r?\n' | Where-Object { $_ -match '^\s*#|```|\]\(' }) | Should -BeNullOrEmpty
    }
}

Describe 'Importing ClusterOps' {
    It 'makes no network call and reads no kubeconfig' -Skip:(-not $IsLinux) {
        # A listener stands in for both the cluster and a proxy: any connection attempt during import reaches it.
        $listener = [Net.Sockets.TcpListener]::new([Net.IPAddress]::Loopback, 0)
        $listener.Start()
        $port = $listener.LocalEndpoint.Port
        $fakeHome = Join-Path ([IO.Path]::GetTempPath()) ("clusterops-import-" + [guid]::NewGuid().ToString('n'))
        New-Item -ItemType Directory -Path (Join-Path $fakeHome '.kube') | Out-Null
        # The kubeconfig is a FIFO: opening it for reading blocks until a writer appears, so any read hangs the import.
        $fifo = Join-Path $fakeHome '.kube/config'
        & mkfifo $fifo
        try {
            $script = "Import-Module '$($script:ManifestPath)' -ErrorAction Stop; (Get-Command -Module ClusterOps).Count"
            $psi = New-PwshStartInfo -ArgumentList '-NoProfile', '-NonInteractive', '-Command', $script
            $psi.Environment['HOME'] = $fakeHome
            $psi.Environment['KUBECONFIG'] = $fifo
            $psi.Environment['HTTPS_PROXY'] = "http://127.0.0.1:$port"
            $psi.Environment['HTTP_PROXY'] = "http://127.0.0.1:$port"
            $psi.Environment['KUBERNETES_SERVICE_HOST'] = '127.0.0.1'
            $psi.Environment['KUBERNETES_SERVICE_PORT'] = "$port"
            $psi.RedirectStandardOutput = $true
            $child = [Diagnostics.Process]::Start($psi)
            $finished = $child.WaitForExit(60000)
            if (-not $finished) { $child.Kill($true) }
            $finished | Should -BeTrue -Because 'an import that opens the kubeconfig blocks on the FIFO'
            $child.ExitCode | Should -Be 0
            [int]($child.StandardOutput.ReadToEnd().Trim()) | Should -BeGreaterThan 0
            $listener.Pending() | Should -BeFalse -Because 'importing must not connect anywhere'
        }
        finally {
            $listener.Stop()
            Remove-Item $fakeHome -Recurse -Force -ErrorAction SilentlyContinue
        }
    }
}
