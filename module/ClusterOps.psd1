@{
    RootModule           = 'ClusterOps.Cmdlets.dll'
    # Imported before the RootModule: its initializer lets the cmdlets find ClusterOps.Core/Kubernetes, which load
    # with YamlDotNet from dependencies/ in the module's own AssemblyLoadContext (see ClusterOps.Loader).
    NestedModules        = @('ClusterOps.Loader.dll')
    ModuleVersion        = '0.1.0'
    GUID                 = '5b0f6c52-8d1e-4c39-9a57-2f4a3c1e7d90'
    Author               = 'ClusterOps'
    CompanyName          = 'ClusterOps'
    Copyright            = '(c) ClusterOps. All rights reserved.'
    Description          = 'Operate stateful applications on Kubernetes from PowerShell: stop and start clusters while keeping their volumes, list and check claims, schedule Stork DR migrations, back up and restore 3scale, and bootstrap persistent state in containers.'
    PowerShellVersion    = '7.4'
    CompatiblePSEditions = @('Core')
    FormatsToProcess     = @('ClusterOps.Format.ps1xml')

    # One line per cmdlet, grouped by capability; tests assert this list equals the cmdlet classes.
    CmdletsToExport      = @(
        # Connection
        'Get-KubeContext'
        'Test-KubeConnection'
        'Use-KubeContext'
        # Storage
        'Get-PersistentVolumeClaim'
        'Get-PersistentVolume'
        'Wait-PersistentVolumeClaim'
        # Lifecycle
        'Get-TmlCluster'
        'Stop-TmlCluster'
        'Start-TmlCluster'
        'Remove-TmlCluster'
        # Scheduling
        'Disable-MigratedApplication'
        'Enable-MigratedApplication'
        'Get-ClusterPair'
        'Get-KubeEvent'
        'Get-Migration'
        'Get-MigrationSchedule'
        'Get-SchedulePolicy'
        'New-MigrationSchedule'
        'New-SchedulePolicy'
        'Remove-MigrationSchedule'
        'Remove-SchedulePolicy'
        'Resume-MigrationSchedule'
        'Set-SchedulePolicy'
        'Suspend-MigrationSchedule'
        'Wait-Migration'
        'Get-ScheduleTrigger'
        'Test-SchedulePolicy'
        # Backup
        'Start-ApiManagerBackup'
        'Get-ApiManagerBackup'
        'Remove-ApiManagerBackup'
        'Start-ApiManagerRestore'
        'Get-ApiManagerRestore'
        # PersistentState
        'Initialize-PersistentState'
        'Test-PersistentState'
        'Repair-ServiceAccountMount'
    )
    FunctionsToExport    = @()
    AliasesToExport      = @()
    VariablesToExport    = @()

    PrivateData          = @{
        PSData = @{
            Tags         = @('Kubernetes', 'k8s', 'PersistentVolume', 'Stork', 'Portworx', '3scale', 'Backup', 'DisasterRecovery', 'PSEdition_Core', 'Linux', 'Windows', 'MacOS')
            ProjectUri   = 'https://github.com/clusterops/ClusterOps'
            LicenseUri   = 'https://github.com/clusterops/ClusterOps/blob/main/LICENSE'
            ReleaseNotes = 'See https://github.com/clusterops/ClusterOps/releases'
        }
    }
}
