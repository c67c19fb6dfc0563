using System.Text;

namespace ClusterOps.Sandbox.Server;

/// <summary>Writes a kubeconfig for the sandbox that kubectl and our client load unchanged; the file is 0600.</summary>
internal static class KubeConfigWriter
{
    public static void Write(string path, Uri server, string caPem, string ns, string? token, (string Cert, string Key)? cert)
    {
        static string B64(string s) => Convert.ToBase64String(Encoding.UTF8.GetBytes(s));
        var sb = new StringBuilder();
        sb.Append("apiVersion: v1\nkind: Config\n");
        sb.Append("clusters:\n- name: sandbox\n  cluster:\n");
        sb.Append($"    server: {server.GetLeftPart(UriPartial.Authority)}\n");
        sb.Append($"    certificate-authority-data: {B64(caPem)}\n");
        sb.Append("users:\n- name: sandbox-admin\n  user:\n");
        if (cert is { } c)
        {
            sb.Append($"    client-certificate-data: {B64(c.Cert)}\n");
            sb.Append($"    client-key-data: {B64(c.Key)}\n");
        }
        else sb.Append($"    token: {token}\n");
        sb.Append($"contexts:\n- name: sandbox\n  context:\n    cluster: sandbox\n    user: sandbox-admin\n    namespace: {ns}\n");
        sb.Append("current-context: sandbox\npreferences: {}\n");

        var dir = Path.GetDirectoryName(Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(dir)) Directory.CreateDirectory(dir);
        // Create with 0600 from the start so the credentials are never briefly world-readable.
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        using (var fs = new FileStream(path, options)) fs.Write(Encoding.UTF8.GetBytes(sb.ToString()));
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
    }
}
