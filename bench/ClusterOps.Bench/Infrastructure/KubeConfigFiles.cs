using System.Security.Cryptography;
using System.Text;

namespace ClusterOps.Bench.Infrastructure;

/// <summary>Kubeconfig files the bench writes for itself: owner-only (0600), in a private temp directory.</summary>
public static class KubeConfigFiles
{
    public static string PrivateDirectory() => Directory.CreateTempSubdirectory("clusterops-bench-").FullName;

    /// <summary>A kubeconfig naming one server and bearer token (used for the counting relay).</summary>
    public static string WriteTokenConfig(string directory, string fileName, Uri server, string token, string ns)
    {
        var yaml = new StringBuilder()
            .Append("apiVersion: v1\nkind: Config\n")
            .Append("clusters:\n- name: relay\n  cluster:\n    server: ").Append(server.GetLeftPart(UriPartial.Authority)).Append('\n')
            .Append("users:\n- name: relay-user\n  user:\n    token: ").Append(token).Append('\n')
            .Append("contexts:\n- name: relay\n  context:\n    cluster: relay\n    user: relay-user\n    namespace: ").Append(ns).Append('\n')
            .Append("current-context: relay\n");
        return WritePrivate(Path.Combine(directory, fileName), yaml.ToString());
    }

    /// <summary>
    /// A second kubeconfig with many other contexts, so the connection figure includes a real merge (as with a
    /// KUBECONFIG chain of several files). None of it is used: the first file's current-context wins.
    /// </summary>
    public static string WriteOtherContexts(string directory, int count)
    {
        var yaml = new StringBuilder("apiVersion: v1\nkind: Config\nclusters:\n");
        for (var i = 0; i < count; i++)
            yaml.Append($"- name: other-{i}\n  cluster:\n    server: https://other-{i}.example.invalid:6443\n    insecure-skip-tls-verify: false\n");
        yaml.Append("users:\n");
        for (var i = 0; i < count; i++)
            yaml.Append($"- name: other-{i}\n  user:\n    token: {Convert.ToHexString(RandomNumberGenerator.GetBytes(16))}\n");
        yaml.Append("contexts:\n");
        for (var i = 0; i < count; i++)
            yaml.Append($"- name: other-{i}\n  context:\n    cluster: other-{i}\n    user: other-{i}\n    namespace: ns-{i}\n");
        yaml.Append("current-context: other-0\n");
        return WritePrivate(Path.Combine(directory, "others.kubeconfig"), yaml.ToString());
    }

    public static string WritePrivateFile(string directory, string fileName, string text) => WritePrivate(Path.Combine(directory, fileName), text);

    private static string WritePrivate(string path, string text)
    {
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        using (var fs = new FileStream(path, options)) fs.Write(Encoding.UTF8.GetBytes(text));
        return path;
    }
}
