#Requires -Version 7.4
# PersistentState cmdlets run inside Linux containers. These tests build a fake image and volume under $TestDrive and
# pass absolute paths inside it, so nothing outside $TestDrive is ever touched (no test uses -Preset to change state).
# Error ids are matched as FullyQualifiedErrorId ('<ErrorId>,<cmdlet class>'), hence the trailing ',*'.

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    Import-ClusterOpsTestModule

    function New-TestImage {
        # An "image" with two state directories and an empty ext4-like volume (lost+found only).
        $root = Join-Path $TestDrive ([guid]::NewGuid().ToString('N'))
        $image = [pscustomobject]@{
            Root   = $root
            Volume = Join-Path $root 'cfy-persist'
            Lib    = Join-Path $root 'var/lib'
            Config = Join-Path $root 'etc/cloudify'
        }
        New-Item -ItemType Directory -Force -Path (Join-Path $image.Lib 'pgsql/data'), $image.Config, (Join-Path $image.Volume 'lost+found') | Out-Null
        Set-Content -LiteralPath (Join-Path $image.Lib 'pgsql/data/PG_VERSION') -Value '9.5' -NoNewline
        Set-Content -LiteralPath (Join-Path $image.Config 'config.yaml') -Value 'admin_password: from-image' -NoNewline
        # .NET rather than New-Item: the relative target must be stored as given, not resolved against $PWD.
        $null = [System.IO.File]::CreateSymbolicLink((Join-Path $image.Lib 'pgsql/current'), 'data/PG_VERSION')
        [System.IO.File]::SetUnixFileMode((Join-Path $image.Lib 'pgsql/data'), [System.IO.UnixFileMode]'UserRead, UserWrite, UserExecute')
        [System.IO.File]::SetLastWriteTimeUtc((Join-Path $image.Config 'config.yaml'), [datetime]::new(2018, 12, 4, 15, 2, 6, [System.DateTimeKind]::Utc))
        $image | Add-Member -NotePropertyName Directories -NotePropertyValue @($image.Lib, $image.Config) -PassThru
    }

    function Get-TreeListing([string] $Path) {
        # Every entry under $Path with its kind and link target, to prove that nothing changed.
        Get-ChildItem -LiteralPath $Path -Recurse -Force |
            ForEach-Object { '{0}|{1}|{2}' -f $_.FullName, $_.GetType().Name, $_.LinkTarget } |
            Sort-Object
    }
}

Describe 'PersistentState on a non-Linux platform' -Skip:$IsLinux {
    It 'refuses with PersistentStateUnsupportedPlatform and changes nothing' {
        { Initialize-PersistentState -Path '/cfy-persist' -Directory '/var/lib' -ErrorAction Stop } |
            Should -Throw -ErrorId 'PersistentStateUnsupportedPlatform,*'
    }
}

Describe 'Initialize-PersistentState' -Skip:(-not $IsLinux) {
    BeforeEach {
        $image = New-TestImage
    }

    It 'resolves a relative -Path against the PowerShell location, not the process directory' {
        Push-Location -LiteralPath $image.Root
        try {
            $results = Initialize-PersistentState -Path ./cfy-persist -Directory $image.Directories -PassThru -WarningAction SilentlyContinue
        }
        finally { Pop-Location }
        $results.Action | Should -Be @('Copied', 'Copied')
        (Get-Item -LiteralPath $image.Lib).LinkTarget | Should -Be ($image.Volume + $image.Lib)
        Push-Location -LiteralPath $image.Root
        try { (Test-PersistentState -Path ./cfy-persist -Directory $image.Directories).State | Should -Be @('Linked', 'Linked') }
        finally { Pop-Location }
    }

    It 'copies each directory into the volume on the first run and links it there' {
        $results = Initialize-PersistentState -Path $image.Volume -Directory $image.Directories -PassThru -WarningAction SilentlyContinue

        $results | Should -HaveCount 2
        $results[0].PSObject.TypeNames[0] | Should -Be 'ClusterOps.Core.PersistentState.PersistentStateResult'
        $results.Action | Should -Be @('Copied', 'Copied')
        (Get-Item -LiteralPath $image.Lib).LinkTarget | Should -Be ($image.Volume + $image.Lib)
        Get-Content -LiteralPath (Join-Path $image.Lib 'pgsql/data/PG_VERSION') -Raw | Should -Be '9.5'
        Test-Path -LiteralPath ($image.Lib + '-initial') -PathType Container | Should -BeTrue
        Test-Path -LiteralPath (Join-Path $image.Volume '.clusterops-state.json') | Should -BeTrue
        Test-Path -LiteralPath (Join-Path $image.Volume 'lost+found') | Should -BeTrue
    }

    It 'keeps modes, timestamps and symbolic links like cp -rp' {
        Initialize-PersistentState -Path $image.Volume -Directory $image.Directories -WarningAction SilentlyContinue

        $copy = $image.Volume + $image.Lib
        [System.IO.File]::GetUnixFileMode((Join-Path $copy 'pgsql/data')) | Should -Be ([System.IO.UnixFileMode]'UserRead, UserWrite, UserExecute')
        (Get-Item -LiteralPath (Join-Path $copy 'pgsql/current')).LinkTarget | Should -Be 'data/PG_VERSION'
        [System.IO.File]::GetLastWriteTimeUtc(($image.Volume + $image.Config + '/config.yaml')) |
            Should -Be ([datetime]::new(2018, 12, 4, 15, 2, 6, [System.DateTimeKind]::Utc))
    }

    It 'writes nothing to the pipeline without -PassThru' {
        $output = Initialize-PersistentState -Path $image.Volume -Directory $image.Directories -WarningAction SilentlyContinue

        $output | Should -BeNullOrEmpty
        (Get-Item -LiteralPath $image.Config).LinkTarget | Should -Not -BeNullOrEmpty
    }

    It 'leaves linked directories and the service state alone on the next run' {
        Initialize-PersistentState -Path $image.Volume -Directory $image.Directories -WarningAction SilentlyContinue
        Set-Content -LiteralPath (Join-Path $image.Config 'config.yaml') -Value 'admin_password: changed' -NoNewline

        $results = Initialize-PersistentState -Path $image.Volume -Directory $image.Directories -PassThru -WarningAction SilentlyContinue

        $results.Action | Should -Be @('AlreadyLinked', 'AlreadyLinked')
        Get-Content -LiteralPath ($image.Volume + $image.Config + '/config.yaml') -Raw | Should -Be 'admin_password: changed'
    }

    It 'copies a directory added to the list later' {
        Initialize-PersistentState -Path $image.Volume -Directory $image.Lib -WarningAction SilentlyContinue

        $results = Initialize-PersistentState -Path $image.Volume -Directory $image.Directories -PassThru -WarningAction SilentlyContinue

        ($results | Where-Object Directory -EQ $image.Lib).Action | Should -Be 'AlreadyLinked'
        ($results | Where-Object Directory -EQ $image.Config).Action | Should -Be 'Copied'
    }

    It 'redoes an interrupted first copy instead of trusting it' {
        $staging = Join-Path $image.Volume ('.clusterops-staging' + $image.Lib)
        New-Item -ItemType Directory -Force -Path $staging | Out-Null
        Set-Content -LiteralPath (Join-Path $staging 'half-written') -Value 'torn'

        (Test-PersistentState -Path $image.Volume -Directory $image.Lib).State | Should -Be 'IncompleteCopy'
        $result = Initialize-PersistentState -Path $image.Volume -Directory $image.Lib -PassThru -WarningAction SilentlyContinue

        $result.Action | Should -Be 'Copied'
        Test-Path -LiteralPath (Join-Path $image.Volume '.clusterops-staging') | Should -BeFalse
        Test-Path -LiteralPath ($image.Volume + $image.Lib + '/half-written') | Should -BeFalse
    }

    # start-persistent.sh: "a non-empty volume is populated" - its copies are Cloudify's state, adopted as they are.
    It 'start-persistent.sh rule "a non-empty volume is populated": adopts it by default, warns once, changes no file' {
        $old = $image.Volume + $image.Config
        New-Item -ItemType Directory -Force -Path $old | Out-Null
        Set-Content -LiteralPath (Join-Path $old 'config.yaml') -Value 'admin_password: kept' -NoNewline
        $before = Get-TreeListing $image.Volume

        $results = Initialize-PersistentState -Path $image.Volume -Directory $image.Directories -PassThru -WarningVariable warnings -WarningAction SilentlyContinue

        ($results | Where-Object Directory -EQ $image.Config).Action | Should -Be 'Adopted'
        ($results | Where-Object Directory -EQ $image.Lib).Action | Should -Be 'Copied'
        Get-Content -LiteralPath (Join-Path $image.Config 'config.yaml') -Raw | Should -Be 'admin_password: kept'
        @($warnings | Where-Object { "$_" -match 'no ClusterOps marker' }) | Should -HaveCount 1
        Test-Path -LiteralPath (Join-Path $image.Volume '.clusterops-superseded') | Should -BeFalse
        # What was on the volume is all still there, as it was (only our marker and the copy of /var/lib were added).
        $onVolume = { param($listing) $listing | Where-Object { $_ -match 'lost\+found|etc/cloudify' } }
        & $onVolume (Get-TreeListing $image.Volume) | Should -Be (& $onVolume $before)
        Get-FileHash -LiteralPath (Join-Path $old 'config.yaml') | ForEach-Object Hash |
            Should -Be (Get-FileHash -InputStream ([IO.MemoryStream]::new([Text.Encoding]::UTF8.GetBytes('admin_password: kept')))).Hash
        (Test-PersistentState -Path $image.Volume -Directory $image.Directories).State | Should -Be @('Linked', 'Linked')
    }

    It 'still binds -AdoptExisting (now the default) as a no-op, and refuses it with -ReplaceUnrecorded' {
        $old = $image.Volume + $image.Config
        New-Item -ItemType Directory -Force -Path $old | Out-Null

        $result = Initialize-PersistentState -Path $image.Volume -Directory $image.Config -AdoptExisting -PassThru -WarningAction SilentlyContinue

        $result.Action | Should -Be 'Adopted'
        { Initialize-PersistentState -Path $image.Volume -Directory $image.Config -AdoptExisting -ReplaceUnrecorded -Confirm:$false -ErrorAction Stop } |
            Should -Throw -ErrorId 'PersistentStateParameterConflict,*'
    }

    It '-ReplaceUnrecorded -Confirm:$false moves the unrecorded copy to .clusterops-superseded and copies the image' {
        $old = $image.Volume + $image.Config
        New-Item -ItemType Directory -Force -Path $old | Out-Null
        Set-Content -LiteralPath (Join-Path $old 'half') -Value 'torn' -NoNewline

        $result = Initialize-PersistentState -Path $image.Volume -Directory $image.Config -ReplaceUnrecorded -Confirm:$false -PassThru -WarningAction SilentlyContinue

        $result.Action | Should -Be 'Copied'
        Get-Content -LiteralPath (Join-Path $image.Config 'config.yaml') -Raw | Should -Be 'admin_password: from-image'
        $aside = Get-ChildItem -LiteralPath (Join-Path $image.Volume '.clusterops-superseded') -Recurse -Filter half
        Get-Content -LiteralPath $aside.FullName -Raw | Should -Be 'torn'
    }

    It '-ReplaceUnrecorded does not prompt with $ConfirmPreference None, as a High-impact cmdlet would not' {
        $old = $image.Volume + $image.Config
        New-Item -ItemType Directory -Force -Path $old | Out-Null
        $ConfirmPreference = 'None'

        $result = Initialize-PersistentState -Path $image.Volume -Directory $image.Config -ReplaceUnrecorded -PassThru -WarningAction SilentlyContinue

        $result.Action | Should -Be 'Copied'
    }

    It '-ReplaceUnrecorded prompts at high impact: -WhatIf changes nothing, a non-interactive run without -Confirm:$false moves nothing' {
        $old = $image.Volume + $image.Config
        New-Item -ItemType Directory -Force -Path $old | Out-Null
        Set-Content -LiteralPath (Join-Path $old 'half') -Value 'torn' -NoNewline
        $before = Get-TreeListing $image.Root

        Initialize-PersistentState -Path $image.Volume -Directory $image.Config -ReplaceUnrecorded -WhatIf -WarningAction SilentlyContinue
        Get-TreeListing $image.Root | Should -Be $before
        # A fresh, non-interactive pwsh, as in a container entrypoint: the prompt cannot be shown, so the run is refused.
        $pwsh = if ([Environment]::ProcessPath -match 'dotnet(\.exe)?$') { @([Environment]::ProcessPath, (Join-Path $PSHOME 'pwsh.dll')) } else { @([Environment]::ProcessPath) }
        $command = "Import-Module '$(Join-Path (Get-Module ClusterOps).ModuleBase 'ClusterOps.psd1')'; try { Initialize-PersistentState -Path '$($image.Volume)' -Directory '$($image.Config)' -ReplaceUnrecorded -WarningAction SilentlyContinue -ErrorAction Stop } catch { `$_.FullyQualifiedErrorId; exit 3 }"
        $output = & $pwsh[0] @($pwsh | Select-Object -Skip 1) -NoLogo -NoProfile -NonInteractive -Command $command 2>&1

        $LASTEXITCODE | Should -Be 3
        ($output -join "`n") | Should -Match 'PersistentStateReplaceNotConfirmed'
        Get-TreeListing $image.Root | Should -Be $before
    }

    It 'start-persistent.sh set -e on a directory the image lacks: refuses, lists every one, changes nothing' {
        $missing = (Join-Path $image.Root 'opt/cfy'), (Join-Path $image.Root 'opt/restservice')
        $before = Get-TreeListing $image.Root

        $err = { Initialize-PersistentState -Path $image.Volume -Directory ($image.Directories + $missing) -ErrorAction Stop } |
            Should -Throw -ErrorId 'PersistentStateDirectoryMissing,*' -PassThru

        foreach ($m in $missing) { $err.Exception.Message | Should -BeLike "*'$m'*" }
        $err.ErrorDetails.RecommendedAction | Should -Match 'AllowMissingDirectory'
        Get-TreeListing $image.Root | Should -Be $before
    }

    It '-AllowMissingDirectory warns about each missing directory and keeps the others' {
        $missing = Join-Path $image.Root 'opt/cfy'

        $results = Initialize-PersistentState -Path $image.Volume -Directory ($image.Directories + $missing) -AllowMissingDirectory -PassThru -WarningVariable warnings -WarningAction SilentlyContinue

        $results.Action | Should -Be @('Copied', 'Copied', 'SourceMissing')
        ($warnings -join "`n") | Should -Match ([regex]::Escape($missing))
    }

    Context 'admin password (start-persistent.sh: $CMPASS, else /opt/onap/cm-secrets/password, else admin)' {
        BeforeEach {
            $configFile = Join-Path $image.Config 'config.yaml'
            Set-Content -LiteralPath $configFile -Value "manager:`n  security:`n    admin_username: admin`n    admin_password: ''`n" -NoNewline
            $secret = 'Pester-s3cr3t-' + [guid]::NewGuid().ToString('N')
        }

        It 'sets admin_password from -AdminPassword on first population, in a 0600 file, and never shows it' {
            $secure = ConvertTo-SecureString $secret -AsPlainText -Force

            $streams = Initialize-PersistentState -Path $image.Volume -Directory $image.Directories -AdminPassword $secure -CloudifyConfigPath $configFile -PassThru -Verbose -Debug -WarningAction Continue *>&1 | Out-String

            $persisted = $image.Volume + $configFile
            Get-Content -LiteralPath $persisted -Raw | Should -BeLike "*    admin_password: '$secret'`n*"
            [System.IO.File]::GetUnixFileMode($persisted) | Should -Be ([System.IO.UnixFileMode]'UserRead, UserWrite')
            $streams | Should -Not -Match $secret
            $streams | Should -Match 'Set admin_password'
        }

        It 'takes $CMPASS when no password is passed, as start-persistent.sh does' {
            $saved = $env:CMPASS
            try {
                $env:CMPASS = $secret
                Initialize-PersistentState -Path $image.Volume -Directory $image.Directories -CloudifyConfigPath $configFile -WarningAction SilentlyContinue
            }
            finally { $env:CMPASS = $saved }

            Get-Content -LiteralPath $configFile -Raw | Should -BeLike "*admin_password: '$secret'`n*"
        }

        It 'reads -AdminPasswordPath like $(cat): trailing newline dropped' {
            $file = Join-Path $image.Root 'password'
            Set-Content -LiteralPath $file -Value $secret

            Initialize-PersistentState -Path $image.Volume -Directory $image.Directories -AdminPasswordPath $file -CloudifyConfigPath $configFile -WarningAction SilentlyContinue

            Get-Content -LiteralPath $configFile -Raw | Should -BeLike "*admin_password: '$secret'`n*"
        }

        It 'does not set it again once the config is on the volume, and says so' {
            Initialize-PersistentState -Path $image.Volume -Directory $image.Directories -AdminPassword (ConvertTo-SecureString 'first' -AsPlainText -Force) -CloudifyConfigPath $configFile -WarningAction SilentlyContinue

            Initialize-PersistentState -Path $image.Volume -Directory $image.Directories -AdminPassword (ConvertTo-SecureString $secret -AsPlainText -Force) -CloudifyConfigPath $configFile -WarningVariable warnings -WarningAction SilentlyContinue

            Get-Content -LiteralPath $configFile -Raw | Should -BeLike "*admin_password: 'first'*"
            ($warnings -join "`n") | Should -Match 'only on first population'
        }

        It 'refuses a password file that does not exist, with nothing changed and the path named' {
            $before = Get-TreeListing $image.Root

            { Initialize-PersistentState -Path $image.Volume -Directory $image.Directories -AdminPasswordPath (Join-Path $image.Root 'nope') -CloudifyConfigPath $configFile -ErrorAction Stop } |
                Should -Throw -ErrorId 'PersistentStateAdminPasswordSourceMissing,*'
            Get-TreeListing $image.Root | Should -Be $before
        }
    }

    It 'changes nothing with -WhatIf' {
        $before = Get-TreeListing $image.Root

        Initialize-PersistentState -Path $image.Volume -Directory $image.Directories -WhatIf -WarningAction SilentlyContinue

        Get-TreeListing $image.Root | Should -Be $before
    }

    It 'reports NoPersistentStorage with a warning when no volume is mounted' {
        Remove-Item -LiteralPath $image.Volume -Recurse -Force
        $before = Get-TreeListing $image.Root

        $results = Initialize-PersistentState -Path $image.Volume -Directory $image.Directories -PassThru -WarningVariable warnings -WarningAction SilentlyContinue

        $results.Action | Should -Be @('NoPersistentStorage', 'NoPersistentStorage')
        ($warnings -join "`n") | Should -Match 'No persistent storage available'
        Get-TreeListing $image.Root | Should -Be $before
    }

    It 'rejects <Case> with <ErrorId> and changes nothing' -ForEach @(
        @{ Case = 'a volume path that is a file'; ErrorId = 'PersistentStatePathIsFile' }
        @{ Case = 'a relative directory'; ErrorId = 'PersistentStateDirectoryNotAbsolute' }
        @{ Case = 'overlapping directories'; ErrorId = 'PersistentStateDirectoriesOverlap' }
        @{ Case = 'a directory inside the volume'; ErrorId = 'PersistentStateDirectoryInsideVolume' }
    ) {
        $file = Join-Path $image.Root 'not-a-volume'
        Set-Content -LiteralPath $file -Value ''
        $arguments = switch ($Case) {
            'a volume path that is a file' { @{ Path = $file; Directory = $image.Directories } }
            'a relative directory' { @{ Path = $image.Volume; Directory = 'var/lib' } }
            'overlapping directories' { @{ Path = $image.Volume; Directory = @($image.Lib, (Join-Path $image.Lib 'pgsql')) } }
            'a directory inside the volume' { @{ Path = $image.Volume; Directory = (Join-Path $image.Volume 'data') } }
        }
        $before = Get-TreeListing $image.Root

        { Initialize-PersistentState @arguments -ErrorAction Stop } | Should -Throw -ErrorId "$ErrorId,*"

        Get-TreeListing $image.Root | Should -Be $before
    }

    It 'shows results in the PersistentState table view' {
        $table = Initialize-PersistentState -Path $image.Volume -Directory $image.Directories -PassThru -WarningAction SilentlyContinue |
            Format-Table | Out-String -Width 300

        $table | Should -Match 'DIRECTORY\s+ACTION\s+FILES\s+SIZE\s+PERSISTENTPATH'
    }
}

Describe 'Initialize-PersistentState help, Example 1 (the entrypoint)' {
    BeforeAll {
        $page = Get-Content -Raw -LiteralPath (Join-Path $PSScriptRoot '../../docs/help/Initialize-PersistentState.md')
        $example = [regex]::Match($page, '(?s)### Example 1:.*?```powershell\r?\n(?<code>.*?)```').Groups['code'].Value
    }

    # start-persistent.sh, after the links: `/scripts/init-cloudify.sh &` (setup-secret.sh, then load-plugins.sh),
    # then `exec /sbin/init --log-target=journal`.
    It 'does what start-persistent.sh does after the links: init-cloudify.sh (setup-secret.sh, load-plugins.sh) in the background, then exec init' {
        $example | Should -Not -BeNullOrEmpty
        $prepare = $example.IndexOf('prepare-state.ps1')
        $background = [regex]::Match($example, 'init-cloudify\.ps1 &').Index
        $exec = $example.IndexOf('exec /sbin/init --log-target=journal')
        $prepare | Should -BeGreaterOrEqual 0
        $background | Should -BeGreaterThan $prepare
        $exec | Should -BeGreaterThan $background
        $initCloudify = $example.Substring($example.IndexOf('# /scripts/init-cloudify.ps1'))
        $initCloudify.IndexOf('Repair-ServiceAccountMount') | Should -BeGreaterThan 0
        $initCloudify.IndexOf('/scripts/load-plugins.sh') | Should -BeGreaterThan $initCloudify.IndexOf('Repair-ServiceAccountMount')
    }

    It 'is valid PowerShell that calls only ClusterOps parameters that exist' {
        $tokens = $null; $errors = $null
        $ast = [System.Management.Automation.Language.Parser]::ParseInput($example, [ref] $tokens, [ref] $errors)
        $errors | Should -BeNullOrEmpty
        $calls = $ast.FindAll({ param($n) $n -is [System.Management.Automation.Language.CommandAst] }, $true) |
            Where-Object { (Get-Command $_.GetCommandName() -ErrorAction Ignore).ModuleName -eq 'ClusterOps' }
        @($calls.GetCommandName()) | Should -Be @('Initialize-PersistentState', 'Repair-ServiceAccountMount')
        foreach ($call in $calls) {
            $known = (Get-Command $call.GetCommandName()).Parameters.Keys
            foreach ($parameter in $call.CommandElements | Where-Object { $_ -is [System.Management.Automation.Language.CommandParameterAst] }) {
                $known | Should -Contain $parameter.ParameterName
            }
        }
    }
}

Describe 'Test-PersistentState' -Skip:(-not $IsLinux) {
    BeforeEach {
        $image = New-TestImage
    }

    It 'reports NotLinked before and Linked after initialization, without changing anything' {
        $before = Get-TreeListing $image.Root
        (Test-PersistentState -Path $image.Volume -Directory $image.Directories).State | Should -Be @('NotLinked', 'NotLinked')
        Get-TreeListing $image.Root | Should -Be $before

        Initialize-PersistentState -Path $image.Volume -Directory $image.Directories -WarningAction SilentlyContinue
        $status = Test-PersistentState -Path $image.Volume -Directory $image.Directories

        $status.State | Should -Be @('Linked', 'Linked')
        $status.Recorded | Should -Be @($true, $true)
        $status[0].PSObject.TypeNames[0] | Should -Be 'ClusterOps.Core.PersistentState.PersistentStateStatus'
    }

    It 'reports Missing and BrokenLink' {
        Initialize-PersistentState -Path $image.Volume -Directory $image.Config -WarningAction SilentlyContinue
        Remove-Item -LiteralPath ($image.Volume + $image.Config) -Recurse -Force

        $status = Test-PersistentState -Path $image.Volume -Directory $image.Config, (Join-Path $image.Root 'opt/cfy')

        $status.State | Should -Be @('BrokenLink', 'Missing')
    }

    It 'covers every CloudifyManager preset directory without touching them' {
        $status = Test-PersistentState -Path (Join-Path $image.Root 'no-volume-here') -Preset CloudifyManager

        $status.Directory | Should -Be @('/var/lib', '/etc/cloudify', '/opt/cfy', '/opt/cloudify', '/opt/cloudify-stage', '/opt/manager', '/opt/mgmtworker', '/opt/restservice')
        $status.State | Sort-Object -Unique | Should -Be 'NoPersistentStorage'
    }

    It 'start-persistent.sh rule "a non-empty volume is populated": a volume it filled is Linked or NotLinked, never IncompleteCopy' {
        # As the script leaves it: the directory copied to the volume, moved to -initial and linked.
        $copy = $image.Volume + $image.Config
        New-Item -ItemType Directory -Force -Path (Split-Path $copy) | Out-Null
        Copy-Item -LiteralPath $image.Config -Destination $copy -Recurse
        Move-Item -LiteralPath $image.Config -Destination ($image.Config + '-initial')
        $null = [System.IO.File]::CreateSymbolicLink($image.Config, $copy)
        New-Item -ItemType Directory -Force -Path ($image.Volume + $image.Lib) | Out-Null

        $status = Test-PersistentState -Path $image.Volume -Directory $image.Config, $image.Lib

        $status.State | Should -Be @('Linked', 'NotLinked')
        $status.Recorded | Should -Be @($false, $false)
        $status.State | Should -Not -Contain 'IncompleteCopy'
    }

    It 'exports to CSV with flat columns' {
        $csv = Test-PersistentState -Path $image.Volume -Directory $image.Directories | ConvertTo-Csv | ConvertFrom-Csv

        $csv[0].PSObject.Properties.Name | Should -Contain 'State'
        $csv[0].State | Should -Be 'NotLinked'
    }
}

Describe 'Repair-ServiceAccountMount' -Skip:(-not $IsLinux) {
    BeforeEach {
        $root = Join-Path $TestDrive ([guid]::NewGuid().ToString('N'))
        $mount = Join-Path $root 'var/run/secrets/kubernetes.io/serviceaccount'
        $source = Join-Path $root 'secret'
        New-Item -ItemType Directory -Force -Path $source | Out-Null
        Set-Content -LiteralPath (Join-Path $source 'namespace') -Value 'onap' -NoNewline
    }

    It 'links a hidden mount to the source, then finds it present' {
        $first = Repair-ServiceAccountMount -Path $mount -Source $source
        $second = Repair-ServiceAccountMount -Path $mount -Source $source

        $first.Action | Should -Be 'Linked'
        $first.PSObject.TypeNames[0] | Should -Be 'ClusterOps.Core.PersistentState.ServiceAccountMountResult'
        Get-Content -LiteralPath (Join-Path $mount 'namespace') -Raw | Should -Be 'onap'
        $second.Action | Should -Be 'AlreadyPresent'
    }

    It 'changes nothing with -WhatIf' {
        Repair-ServiceAccountMount -Path $mount -Source $source -WhatIf | Should -BeNullOrEmpty

        Test-Path -LiteralPath (Join-Path $root 'var') | Should -BeFalse
    }

    It 'refuses a missing source rather than create a dangling link' {
        { Repair-ServiceAccountMount -Path $mount -Source (Join-Path $root 'nothing') -ErrorAction Stop } |
            Should -Throw -ErrorId 'ServiceAccountMountSourceMissing,*'
        Test-Path -LiteralPath (Join-Path $root 'var') | Should -BeFalse
    }
}
