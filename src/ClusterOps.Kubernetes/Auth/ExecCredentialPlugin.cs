using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using ClusterOps.Kubernetes.Config;
using ClusterOps.Kubernetes.Errors;
using ClusterOps.Kubernetes.Http;
using ClusterOps.Kubernetes.Input;

namespace ClusterOps.Kubernetes.Auth;

/// <summary>What one run of an exec plugin produced.</summary>
internal sealed record ExecCredential(string? Token, X509Certificate2? Certificate, DateTimeOffset? Expires);

/// <summary>
/// A client-go credential plugin (client.authentication.k8s.io/v1 and v1beta1). The command runs with an argv list
/// (never through a shell), the host environment plus exec.env, and KUBERNETES_EXEC_INFO. Its ExecCredential is
/// cached until expirationTimestamp, or until the server answers 401 (then it runs again once). stderr goes to the
/// verbose log; the run is bounded by a timeout.
/// </summary>
internal sealed class ExecCredentialPlugin
{
    private static readonly string[] SupportedVersions =
        { "client.authentication.k8s.io/v1", "client.authentication.k8s.io/v1beta1" };

    private readonly ExecConfig _exec;
    private readonly ClusterEntry _cluster;
    private readonly string _user;
    private readonly TimeSpan _timeout;
    private readonly bool _consoleAvailable;
    private readonly Func<DateTimeOffset> _clock;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private ExecCredential? _cached;
    private bool? _issuesCertificates;

    public ExecCredentialPlugin(ExecConfig exec, ClusterEntry cluster, string user, TimeSpan timeout, bool consoleAvailable,
        Func<DateTimeOffset>? clock = null)
    {
        if (!SupportedVersions.Contains(exec.ApiVersion, StringComparer.Ordinal))
            throw new KubeAuthException(
                $"The exec plugin of user '{user}' uses apiVersion '{exec.ApiVersion}'; supported: {string.Join(", ", SupportedVersions)}.", user);
        if (exec.ApiVersion.EndsWith("/v1", StringComparison.Ordinal) && string.IsNullOrEmpty(exec.InteractiveMode))
            throw new KubeAuthException($"The exec plugin of user '{user}' must set interactiveMode (required by client.authentication.k8s.io/v1).", user);
        if (exec.InteractiveMode is not (null or "Never" or "IfAvailable" or "Always"))
            throw new KubeAuthException($"The exec plugin of user '{user}' has an invalid interactiveMode '{exec.InteractiveMode}' (Never, IfAvailable or Always).", user);
        _exec = exec;
        _cluster = cluster;
        _user = user;
        _timeout = timeout;
        _consoleAvailable = consoleAvailable;
        _clock = clock ?? (() => DateTimeOffset.UtcNow);
    }

    /// <summary>How many times the command has run (tests check caching and re-runs).</summary>
    public int Runs { get; private set; }

    public async ValueTask<ExecCredential> GetAsync(KubeLog log, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_cached is { } c && (c.Expires is null || c.Expires > _clock()))
                return c;
            _cached = await RunAsync(log, cancellationToken).ConfigureAwait(false);
            _issuesCertificates = _cached.Certificate is not null;
            return _cached;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// The certificate for a new TLS connection. A plugin that returned only a token is not run again just because a
    /// connection opens (its token may have expired; the request path refreshes it).
    /// </summary>
    public async ValueTask<System.Security.Cryptography.X509Certificates.X509Certificate2?> GetCertificateAsync(KubeLog log, CancellationToken cancellationToken)
    {
        // Known to issue tokens only (also after an invalidation): nothing to run for a connection.
        if (_issuesCertificates == false)
            return null;
        return (await GetAsync(log, cancellationToken).ConfigureAwait(false)).Certificate;
    }

    public bool Invalidate()
    {
        _cached = null;
        return true;
    }

    private async Task<ExecCredential> RunAsync(KubeLog log, CancellationToken cancellationToken)
    {
        if (_exec.InteractiveMode == "Always" && !_consoleAvailable)
            throw new KubeAuthException(
                $"The exec plugin '{_exec.Command}' of user '{_user}' requires an interactive terminal (interactiveMode: Always), which this session does not have. Run the plugin once in a terminal (for example with kubectl) so it caches a credential, or use a non-interactive credential.",
                _user);

        var psi = new ProcessStartInfo(_exec.Command)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            CreateNoWindow = true,
        };
        foreach (var arg in _exec.Args)
            psi.ArgumentList.Add(arg);
        foreach (var (name, value) in _exec.Env)
            psi.Environment[name] = value;
        psi.Environment["KUBERNETES_EXEC_INFO"] = ExecInfo();

        using var process = new Process { StartInfo = psi };
        try
        {
            process.Start();
        }
        catch (Win32Exception ex)
        {
            var hint = string.IsNullOrEmpty(_exec.InstallHint) ? "" : " " + _exec.InstallHint.Trim();
            throw new KubeAuthException(
                $"The exec credential plugin '{_exec.Command}' of user '{_user}' could not be started: {ex.Message}.{hint}",
                _user, _exec.InstallHint, ex);
        }
        Runs++;
        process.StandardInput.Close(); // interactive is false: the plugin must not wait for input

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_timeout);
        // Bounded reads: a plugin that prints without end (a loop, `cat /dev/zero`) must not fill the session's
        // memory for the whole timeout. stdout is a credential (1 MiB at most, as credential files); stderr is only
        // shown with -Verbose, so its first 64 KiB are kept and the rest is drained so the plugin never blocks on it.
        var stdout = BoundedText.ReadAsync(process.StandardOutput, InputLimits.MaxCredentialFileBytes, drain: false, timeout.Token);
        var stderr = BoundedText.ReadAsync(process.StandardError, 64 * 1024, drain: true, timeout.Token);
        try
        {
            if ((await stdout.ConfigureAwait(false)).Truncated)
            {
                TryKill(process);
                throw new KubeAuthException(
                    $"The exec credential plugin '{_exec.Command}' of user '{_user}' printed more than {InputLimits.Bytes(InputLimits.MaxCredentialFileBytes)} " +
                    "on its standard output; an ExecCredential is a few kilobytes, so it was stopped.",
                    _user);
            }
            await process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
            await stderr.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            TryKill(process);
            if (cancellationToken.IsCancellationRequested)
                throw;
            throw new KubeAuthException(
                $"The exec credential plugin '{_exec.Command}' of user '{_user}' did not finish within {_timeout.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s.",
                _user);
        }

        foreach (var line in stderr.Result.Text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            log.Verbose($"exec plugin {Path.GetFileName(_exec.Command)}: {line}");
        if (process.ExitCode != 0)
            throw new KubeAuthException(
                $"The exec credential plugin '{_exec.Command}' of user '{_user}' failed with exit code {process.ExitCode.ToString(CultureInfo.InvariantCulture)}; its error output is shown with -Verbose.",
                _user);
        return Parse(stdout.Result.Text);
    }

    private ExecCredential Parse(string stdout)
    {
        JsonObject? root;
        try
        {
            root = JsonNode.Parse(stdout) as JsonObject;
        }
        catch (JsonException)
        {
            root = null;
        }
        if (root is null)
            throw Bad("did not print an ExecCredential JSON object");
        var apiVersion = (string?)root["apiVersion"];
        if (!string.Equals(apiVersion, _exec.ApiVersion, StringComparison.Ordinal))
            throw Bad($"printed apiVersion '{apiVersion}', but the kubeconfig asks for '{_exec.ApiVersion}'");
        if (!string.Equals((string?)root["kind"], "ExecCredential", StringComparison.Ordinal))
            throw Bad("printed an object whose kind is not ExecCredential");
        if (root["status"] is not JsonObject status)
            throw Bad("printed an ExecCredential without status");
        var token = (string?)status["token"];
        var certPem = (string?)status["clientCertificateData"];
        var keyPem = (string?)status["clientKeyData"];
        if (string.IsNullOrEmpty(certPem) != string.IsNullOrEmpty(keyPem))
            throw Bad("must print both clientCertificateData and clientKeyData, or neither");
        if (string.IsNullOrEmpty(token) && string.IsNullOrEmpty(certPem))
            throw Bad("printed neither a token nor a client certificate");
        DateTimeOffset? expires = null;
        if ((string?)status["expirationTimestamp"] is { Length: > 0 } ts)
        {
            if (!DateTimeOffset.TryParse(ts, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed))
                throw Bad($"printed an invalid expirationTimestamp '{ts}'");
            expires = parsed;
        }
        X509Certificate2? cert = null;
        if (!string.IsNullOrEmpty(certPem))
        {
            try
            {
                cert = ClientCertificates.FromPem(certPem, keyPem!);
            }
            catch (Exception ex) when (ex is System.Security.Cryptography.CryptographicException or ArgumentException)
            {
                throw new KubeAuthException($"The exec credential plugin '{_exec.Command}' of user '{_user}' printed a client certificate or key that cannot be read.", _user);
            }
        }
        return new ExecCredential(string.IsNullOrEmpty(token) ? null : token, cert, expires);
    }

    private KubeAuthException Bad(string problem) =>
        new($"The exec credential plugin '{_exec.Command}' of user '{_user}' {problem}.", _user);

    private string ExecInfo()
    {
        var spec = new JsonObject { ["interactive"] = false };
        if (_exec.ProvideClusterInfo)
        {
            var cluster = new JsonObject { ["server"] = _cluster.Server };
            if (CaData() is { } ca)
                cluster["certificate-authority-data"] = ca;
            if (_cluster.TlsServerName is not null)
                cluster["tls-server-name"] = _cluster.TlsServerName;
            if (_cluster.InsecureSkipTlsVerify)
                cluster["insecure-skip-tls-verify"] = true;
            if (_cluster.ProxyUrl is not null)
                cluster["proxy-url"] = _cluster.ProxyUrl;
            if (_cluster.DisableCompression)
                cluster["disable-compression"] = true;
            if (_cluster.ExecExtension is not null)
                cluster["config"] = _cluster.ExecExtension.DeepClone();
            spec["cluster"] = cluster;
        }
        var info = new JsonObject
        {
            ["apiVersion"] = _exec.ApiVersion,
            ["kind"] = "ExecCredential",
            ["spec"] = spec,
        };
        return info.ToJsonString();
    }

    private string? CaData()
    {
        if (_cluster.CertificateAuthorityData is not null)
            return _cluster.CertificateAuthorityData;
        if (_cluster.CertificateAuthority is null || !File.Exists(_cluster.CertificateAuthority))
            return null;
        try
        {
            // Bounded like every credential file: a FIFO or device here must not hang the plugin launch.
            return Convert.ToBase64String(BoundedFile.ReadBytes(_cluster.CertificateAuthority, InputLimits.MaxCredentialFileBytes, "certificate-authority file"));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or InputLimitException)
        {
            throw new KubeConfigException(
                $"Cannot read the certificate-authority file '{_cluster.CertificateAuthority}' of cluster '{_cluster.Name}': {ex.Message}",
                _cluster.SourceFile);
        }
    }

    private static void TryKill(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
        }
        catch (Win32Exception)
        {
        }
    }
}

/// <summary>Client certificates from PEM (RSA, EC, PKCS#8 keys).</summary>
internal static class ClientCertificates
{
    public static X509Certificate2 FromPem(string certPem, string keyPem)
    {
        var cert = X509Certificate2.CreateFromPem(certPem, keyPem);
        // SChannel cannot use an ephemeral key for TLS client authentication; a PKCS#12 round trip gives it one.
        if (OperatingSystem.IsWindows())
        {
            using (cert)
            {
#pragma warning disable SYSLIB0057 // X509CertificateLoader is net9+; this library targets net8.0.
                return new X509Certificate2(cert.Export(X509ContentType.Pkcs12));
#pragma warning restore SYSLIB0057
            }
        }
        return cert;
    }

    public static string DecodeData(string base64, string what, string user)
    {
        try
        {
            return Encoding.UTF8.GetString(Convert.FromBase64String(base64));
        }
        catch (FormatException)
        {
            throw new KubeConfigException($"The {what} of user '{user}' is not valid base64.");
        }
    }
}
