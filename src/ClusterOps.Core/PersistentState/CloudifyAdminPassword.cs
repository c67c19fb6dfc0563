using System.Runtime.InteropServices;
using System.Text;
using System.Text.RegularExpressions;
using ClusterOps.Core.Common;

namespace ClusterOps.Core.PersistentState;

/// <summary>
/// start-persistent.sh's first-population step: set admin_password in Cloudify's config.yaml before the directory
/// holding it is copied to the volume (later changes are ignored, because the persisted config wins). The value lives
/// in char/byte arrays that are cleared after use, and no message ever contains it: only where it came from.
/// </summary>
public static partial class CloudifyAdminPassword
{
    public const string DefaultConfigPath = "/etc/cloudify/config.yaml";
    public const string DefaultSecretPath = "/opt/onap/cm-secrets/password";
    public const string EnvironmentVariable = "CMPASS";
    public const string DefaultPassword = "admin";
    private const string TemporarySuffix = ".clusterops-tmp";

    /// <summary>The password and a description of its source (safe to log).</summary>
    internal sealed class Secret(char[] value, string source) : IDisposable
    {
        public char[] Value { get; } = value;
        public string Source { get; } = source;
        public void Dispose() => Array.Clear(Value);
    }

    /// <summary>Explicit password, explicit file, then (with defaults) $CMPASS, the secret file, "admin": the script's order.</summary>
    internal static Secret Resolve(CloudifyAdminPasswordRequest request, IPersistentFileSystem fs, Func<string, string?> environment, IOperationContext context)
    {
        if (request.Password is { } secure)
            return Checked(FromSecureString(secure), "-AdminPassword");
        if (request.PasswordPath is { } path)
            return Checked(FromFile(fs, path) ?? throw SourceMissing(path), $"the file '{path}'");
        if (!request.UseDefaults)
            throw new ArgumentException("No admin password source: pass a password, a path, or use the defaults.", nameof(request));
        if (environment(EnvironmentVariable) is { Length: > 0 } fromEnvironment)
            return Checked(fromEnvironment.ToCharArray(), "$" + EnvironmentVariable);
        if (FromFile(fs, request.DefaultSecretPath) is { } fromSecretFile)
            return Checked(fromSecretFile, $"the file '{request.DefaultSecretPath}'");
        context.WriteWarning($"Cloudify's admin_password is set to the image default '{DefaultPassword}': neither ${EnvironmentVariable} nor " +
            $"'{request.DefaultSecretPath}' provides one (start-persistent.sh does the same). Pass -AdminPassword or -AdminPasswordPath to choose it.");
        return new Secret(DefaultPassword.ToCharArray(), "the default");
    }

    /// <summary>
    /// Rewrite every admin_password line of <paramref name="configPath"/>, as the script's sed does, through a new file
    /// created 0600 and renamed over the old one (same owner), so the password is never in a file others can read.
    /// Returns false when the file has no such line (the sed changes nothing then either; we warn).
    /// </summary>
    internal static bool Write(IPersistentFileSystem fs, string configPath, Secret secret, TimeProvider time, IOperationContext context)
    {
        if (fs.GetEntry(configPath) is not { Kind: EntryKind.File } original || fs.ReadFile(configPath) is not { } bytes)
            throw ConfigMissing(configPath);
        var text = Encoding.UTF8.GetString(bytes);
        var lines = LineWithEnding().Matches(text).Select(m => m.Value).Where(l => l.Length > 0).ToList();
        if (!lines.Any(l => AdminPasswordLine().IsMatch(l)))
        {
            context.WriteWarning($"'{configPath}' has no admin_password line, so the admin password was not set.");
            return false;
        }

        // YAML single-quoted scalar: any character but a line break, with ' doubled. The script writes the bare value,
        // which YAML reads the same for plain passwords but misreads for ones holding ': ', ' #' or a leading quote.
        var escaped = secret.Value.Count(c => c == '\'') + secret.Value.Length;
        var length = 0;
        foreach (var line in lines)
            length += AdminPasswordLine().Match(line) is { Success: true } m
                ? m.Groups["indent"].Length + "admin_password: ''".Length + escaped + EndingOf(line).Length
                : line.Length;
        var output = new char[length];
        byte[]? content = null;
        try
        {
            var at = 0;
            foreach (var line in lines)
            {
                if (AdminPasswordLine().Match(line) is not { Success: true } m)
                {
                    line.CopyTo(0, output, at, line.Length);
                    at += line.Length;
                    continue;
                }
                var prefix = m.Groups["indent"].Value + "admin_password: '";
                prefix.CopyTo(0, output, at, prefix.Length);
                at += prefix.Length;
                foreach (var c in secret.Value)
                {
                    output[at++] = c;
                    if (c == '\'')
                        output[at++] = '\'';
                }
                output[at++] = '\'';
                var ending = EndingOf(line);
                ending.CopyTo(0, output, at, ending.Length);
                at += ending.Length;
            }
            content = Encoding.UTF8.GetBytes(output);

            var temporary = configPath + TemporarySuffix;
            if (fs.GetEntry(temporary) is not null)
                fs.Delete(temporary);
            fs.WriteNewFile(temporary, content, PersistentFileModes.PrivateFile);
            var now = time.GetUtcNow();
            var stamp = new UnixTime(now.ToUnixTimeSeconds(), (now.UtcTicks % TimeSpan.TicksPerSecond) * 100);
            // Keep the owner (the service may read it as its own user), force 0600, and give it a fresh mtime as sed would.
            fs.ApplyMetadata(temporary, original with { Mode = PersistentFileModes.PrivateFile, AccessTime = stamp, ModifyTime = stamp });
            fs.Rename(temporary, configPath);
            fs.FlushDirectory(PersistentStateLayout.ParentOf(configPath));
        }
        finally
        {
            Array.Clear(output);
            if (content is not null)
                Array.Clear(content);
        }
        context.WriteVerbose($"Set admin_password in '{configPath}' from {secret.Source} (file mode 0600).");
        return true;
    }

    internal static OperationException ConfigMissing(string configPath) =>
        new(PersistentStateErrors.AdminPasswordConfigMissing, FailureKind.ObjectNotFound,
            $"Cloudify's configuration '{configPath}' is not a file, so its admin_password cannot be set. start-persistent.sh stops here too (set -e); nothing was changed.",
            configPath)
        {
            RecommendedAction = "Pass -CloudifyConfigPath with the image's config.yaml, or check that the image is a Cloudify Manager image.",
        };

    private static OperationException SourceMissing(string path) =>
        new(PersistentStateErrors.AdminPasswordSourceMissing, FailureKind.ObjectNotFound,
            $"The admin password file '{path}' does not exist; nothing was changed.", path)
        {
            RecommendedAction = "Mount the secret holding the password at that path, or pass -AdminPassword.",
        };

    private static Secret Checked(char[] value, string source)
    {
        // Like $(cat file): trailing newlines are not part of the password.
        var length = value.Length;
        while (length > 0 && value[length - 1] == '\n')
            length--;
        char[] trimmed = value;
        if (length != value.Length)
        {
            trimmed = value[..length];
            Array.Clear(value);
        }
        if (trimmed.Length == 0 || trimmed.Any(char.IsControl))
        {
            var empty = trimmed.Length == 0;
            Array.Clear(trimmed);
            throw new OperationException(PersistentStateErrors.AdminPasswordInvalid, FailureKind.InvalidArgument,
                empty ? $"The admin password from {source} is empty; nothing was changed."
                      : $"The admin password from {source} contains a line break or another control character, which config.yaml cannot hold on one line; nothing was changed.",
                source);
        }
        return new Secret(trimmed, source);
    }

    private static char[] FromSecureString(System.Security.SecureString secure)
    {
        var pointer = Marshal.SecureStringToGlobalAllocUnicode(secure);
        try
        {
            var value = new char[secure.Length];
            Marshal.Copy(pointer, value, 0, value.Length);
            return value;
        }
        finally
        {
            Marshal.ZeroFreeGlobalAllocUnicode(pointer);
        }
    }

    private static char[]? FromFile(IPersistentFileSystem fs, string path)
    {
        if (fs.GetTargetEntry(path) is not { Kind: EntryKind.File })
            return null;
        var bytes = fs.ReadFile(path);
        if (bytes is null)
            return null;
        try
        {
            return Encoding.UTF8.GetChars(bytes);
        }
        finally
        {
            Array.Clear(bytes);
        }
    }

    private static string EndingOf(string line) => line.EndsWith("\r\n", StringComparison.Ordinal) ? "\r\n" : line.EndsWith('\n') ? "\n" : "";

    [GeneratedRegex(@"[^\n]*\n?")]
    private static partial Regex LineWithEnding();

    // The key at any indentation (Cloudify nests it under manager.security), with whatever value or comment follows.
    [GeneratedRegex(@"^(?<indent>[ \t]*)admin_password[ \t]*:[^\r\n]*")]
    private static partial Regex AdminPasswordLine();
}
