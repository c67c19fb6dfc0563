using System.Net.Http;
using System.Net.Http.Headers;
using System.Security.Cryptography.X509Certificates;
using ClusterOps.Kubernetes.Config;
using ClusterOps.Kubernetes.Errors;
using ClusterOps.Kubernetes.Http;
using ClusterOps.Kubernetes.Input;

namespace ClusterOps.Kubernetes.Auth;

/// <summary>Settings that influence how credentials are obtained (not where they come from).</summary>
public sealed record CredentialOptions
{
    /// <summary>Upper bound for one exec plugin run.</summary>
    public TimeSpan ExecTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Whether an interactive console is attached (interactiveMode: Always plugins need one).</summary>
    public bool ConsoleAvailable { get; init; }

    /// <summary>Clock for credential expiry (tests).</summary>
    public Func<DateTimeOffset>? Clock { get; init; }
}

/// <summary>
/// The credentials of one kubeconfig user: a bearer method (token, tokenFile, basic, exec, oidc) and/or a client
/// certificate, plus impersonation headers.
/// </summary>
public sealed class KubeCredentials : IKubeCredentials
{
    private readonly BearerSource? _bearer;
    private readonly ExecCredentialPlugin? _exec;
    private readonly X509Certificate2? _staticCertificate;
    private readonly IReadOnlyList<(string Name, string Value)> _impersonation;

    private KubeCredentials(AuthMethod method, BearerSource? bearer, ExecCredentialPlugin? exec, X509Certificate2? cert,
        IReadOnlyList<(string, string)> impersonation)
    {
        Method = method;
        _bearer = bearer;
        _exec = exec;
        _staticCertificate = cert;
        _impersonation = impersonation;
    }

    public AuthMethod Method { get; }

    /// <summary>Exec runs so far (diagnostics and tests).</summary>
    internal int ExecRuns => _exec?.Runs ?? 0;

    /// <summary>
    /// Build the credentials of <paramref name="user"/> for <paramref name="cluster"/>. Validates the stanza (two
    /// bearer methods, certificate without key) and reads certificate files now; exec plugins run on first use.
    /// </summary>
    public static KubeCredentials Create(UserEntry user, ClusterEntry cluster, CredentialOptions? options = null)
    {
        options ??= new CredentialOptions();
        ResolvedContext.ValidateUser(user);
        var method = ResolvedContext.AuthMethodOf(user);
        BearerSource? bearer = null;
        ExecCredentialPlugin? exec = null;

        if (user.Exec is not null)
        {
            exec = new ExecCredentialPlugin(user.Exec, cluster, user.Name, options.ExecTimeout, options.ConsoleAvailable, options.Clock);
        }
        else if (user.AuthProvider is { } provider)
        {
            bearer = provider.Name switch
            {
                "oidc" => new OidcBearer(provider, user.Name, user.SourceFile, options.Clock),
                "azure" => throw new KubeAuthException(
                    $"The user '{user.Name}' uses the removed 'azure' auth-provider. Install kubelogin and convert the kubeconfig with 'kubelogin convert-kubeconfig', which switches it to an exec plugin.", user.Name),
                "gcp" => throw new KubeAuthException(
                    $"The user '{user.Name}' uses the removed 'gcp' auth-provider. Install gke-gcloud-auth-plugin and run 'gcloud container clusters get-credentials' again, which switches it to an exec plugin.", user.Name),
                _ => throw new KubeAuthException($"The user '{user.Name}' uses the unsupported auth-provider '{provider.Name}'.", user.Name),
            };
        }
        else if (!string.IsNullOrEmpty(user.TokenFile))
        {
            // client-go: a readable tokenFile takes precedence over token; the token is the fallback.
            bearer = new TokenFileBearer(user.TokenFile, user.Token);
        }
        else if (!string.IsNullOrEmpty(user.Token))
        {
            bearer = StaticBearer.Token(user.Token);
        }
        else if (!string.IsNullOrEmpty(user.Username) || !string.IsNullOrEmpty(user.Password))
        {
            bearer = StaticBearer.Basic(user.Username ?? "", user.Password ?? "");
        }

        return new KubeCredentials(method, bearer, exec, LoadCertificate(user), Impersonation(user));
    }

    public async ValueTask ApplyAsync(HttpRequestMessage request, KubeLog log, CancellationToken cancellationToken)
    {
        AuthenticationHeaderValue? header = null;
        if (_exec is not null)
        {
            var credential = await _exec.GetAsync(log, cancellationToken).ConfigureAwait(false);
            if (credential.Token is not null)
                header = new AuthenticationHeaderValue("Bearer", credential.Token);
        }
        else if (_bearer is not null)
        {
            header = await _bearer.GetAsync(log, cancellationToken).ConfigureAwait(false);
        }
        request.Headers.Authorization = header;
        foreach (var (name, value) in _impersonation)
            request.Headers.TryAddWithoutValidation(name, value);
    }

    public async ValueTask<X509Certificate2?> GetClientCertificateAsync(KubeLog log, CancellationToken cancellationToken)
    {
        if (_exec is not null && await _exec.GetCertificateAsync(log, cancellationToken).ConfigureAwait(false) is { } fromExec)
            return fromExec;
        return _staticCertificate;
    }

    public bool OnUnauthorized() => _exec?.Invalidate() ?? _bearer?.Invalidate() ?? false;

    private static X509Certificate2? LoadCertificate(UserEntry user)
    {
        string? certPem = user.ClientCertificateData is not null
            ? ClientCertificates.DecodeData(user.ClientCertificateData, "client-certificate-data", user.Name)
            : ReadFile(user.ClientCertificate, "client-certificate", user);
        string? keyPem = user.ClientKeyData is not null
            ? ClientCertificates.DecodeData(user.ClientKeyData, "client-key-data", user.Name)
            : ReadFile(user.ClientKey, "client-key", user);
        if (certPem is null || keyPem is null)
            return null;
        try
        {
            return ClientCertificates.FromPem(certPem, keyPem);
        }
        catch (Exception ex) when (ex is System.Security.Cryptography.CryptographicException or ArgumentException)
        {
            // The exception text from the PEM reader never contains key material, but keep the message our own.
            throw new KubeConfigException(
                $"The client certificate or key of user '{user.Name}' cannot be used: it must be PEM (an RSA, EC or PKCS#8 key matching the certificate).",
                user.SourceFile, inner: null);
        }
    }

    private static string? ReadFile(string? path, string what, UserEntry user)
    {
        if (path is null)
            return null;
        try
        {
            // Bounded: a FIFO or /dev/zero named as a certificate or key must not hang or fill the session.
            return BoundedFile.ReadText(path, InputLimits.MaxCredentialFileBytes, what + " file");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or InputLimitException)
        {
            throw new KubeConfigException($"The {what} file '{path}' of user '{user.Name}' cannot be read: {ex.Message}", user.SourceFile);
        }
    }

    private static List<(string, string)> Impersonation(UserEntry user)
    {
        var headers = new List<(string, string)>();
        if (!string.IsNullOrEmpty(user.Impersonate))
            headers.Add(("Impersonate-User", user.Impersonate));
        if (!string.IsNullOrEmpty(user.ImpersonateUid))
            headers.Add(("Impersonate-Uid", user.ImpersonateUid));
        foreach (var group in user.ImpersonateGroups)
            headers.Add(("Impersonate-Group", group));
        foreach (var (key, values) in user.ImpersonateUserExtra)
        {
            // Header names cannot carry every character a key may have: client-go percent-encodes them.
            var name = "Impersonate-Extra-" + Uri.EscapeDataString(key);
            foreach (var value in values)
                headers.Add((name, value));
        }
        if (headers.Count > 0 && string.IsNullOrEmpty(user.Impersonate) && headers.Any(h => h.Item1 != "Impersonate-User"))
            throw new KubeConfigException(
                $"The user '{user.Name}' sets as-uid, as-groups or as-user-extra without 'as': impersonating groups or extras needs a user.",
                user.SourceFile);
        return headers;
    }
}
