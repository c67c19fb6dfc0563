namespace ClusterOps.Tests.Scheduling;

/// <summary>The seed document's examples, as a user would save them (the seed's text lost its indentation).</summary>
internal static class SeedPolicies
{
    public const string TestPolicyYaml = """
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
        """;

    public const string MigrationScheduleYaml = """
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
        """;

    public static string WriteTemp(string content)
    {
        var path = Path.Combine(Path.GetTempPath(), $"clusterops-sched-{Guid.NewGuid():N}.yaml");
        File.WriteAllText(path, content);
        return path;
    }
}
