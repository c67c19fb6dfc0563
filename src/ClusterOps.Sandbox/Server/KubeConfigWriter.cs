using System.Text;

namespace ClusterOps.Sandbox.Server;

/// <summary>One context of a sandbox kubeconfig: its cluster (server + CA), its user's credentials, its namespace.</summary>
internal sealed record KubeConfigEntry(string Context, Uri Server, string CaPem, string Namespace, string? Token, (string Cert, string Key)? Cert);

/// <summary>Writes a kubeconfig for the sandbox that kubectl and our client load unchanged; the file is 0600.</summary>
internal static class KubeConfigWriter
{
    public static void Write(string path, Uri server, string caPem, string ns, string? token, (string Cert, string Key)? cert) =>
        Write(path, [new KubeConfigEntry("sandbox", server, caPem, ns, token, cert)]);

    /// <summary>
    /// One file for several clusters (--clusters N): each context has a cluster and a user of its own name (the
    /// first context keeps the single-cluster names "sandbox" / "sandbox-admin"); current-context is the first.
    /// </summary>
    public static void Write(string path, IReadOnlyList<KubeConfigEntry> entries)
    {
        static string B64(string s) => Convert.ToBase64String(Encoding.UTF8.GetBytes(s));
        static string User(KubeConfigEntry e) => e.Context == "sandbox" ? "sandbox-admin" : e.Context + "-admin";
        var sb = new StringBuilder();
        sb.Append("apiVersion: v1\nkind: Config\n");
        sb.Append("clusters:\n");
        foreach (var e in entries)
        {
            sb.Append($"- name: {e.Context}\n  cluster:\n");
            sb.Append($"    server: {e.Server.GetLeftPart(UriPartial.Authority)}\n");
            sb.Append($"    certificate-authority-data: {B64(e.CaPem)}\n");
        }
        sb.Append("users:\n");
        foreach (var e in entries)
        {
            sb.Append($"- name: {User(e)}\n  user:\n");
            if (e.Cert is { } c)
            {
                sb.Append($"    client-certificate-data: {B64(c.Cert)}\n");
                sb.Append($"    client-key-data: {B64(c.Key)}\n");
            }
            else sb.Append($"    token: {e.Token}\n");
        }
        sb.Append("contexts:\n");
        foreach (var e in entries)
            sb.Append($"- name: {e.Context}\n  context:\n    cluster: {e.Context}\n    user: {User(e)}\n    namespace: {e.Namespace}\n");
        sb.Append($"current-context: {entries[0].Context}\npreferences: {{}}\n");

        var dir = Path.GetDirectoryName(Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(dir)) Directory.CreateDirectory(dir);
        // Create with 0600 from the start so the credentials are never briefly world-readable.
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        using (var fs = new FileStream(path, options)) fs.Write(Encoding.UTF8.GetBytes(sb.ToString()));
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
    }
}
