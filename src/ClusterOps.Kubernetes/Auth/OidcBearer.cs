using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using ClusterOps.Kubernetes.Config;
using ClusterOps.Kubernetes.Errors;
using ClusterOps.Kubernetes.Http;
using ClusterOps.Kubernetes.Input;

namespace ClusterOps.Kubernetes.Auth;

/// <summary>
/// The oidc auth-provider, as kubectl's provider did it: the id-token is sent while it is valid; when it has expired
/// (or the server answers 401) and a refresh-token, idp-issuer-url and client-id are configured, the issuer's
/// token_endpoint is found by discovery (.well-known/openid-configuration), the refresh-token is exchanged for a new
/// id-token, and the new tokens are written back to the kubeconfig file they came from, so the next process (and
/// kubectl) starts with them. Tokens never reach a message or log.
/// </summary>
internal sealed class OidcBearer : BearerSource
{
    /// <summary>A token that expires within this margin is refreshed first: it could expire in flight.</summary>
    private static readonly TimeSpan ExpirySkew = TimeSpan.FromSeconds(10);

    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly string _user;
    private readonly string? _sourceFile;
    private readonly IReadOnlyDictionary<string, string> _config;
    private readonly Func<DateTimeOffset> _clock;
    private readonly Func<HttpMessageHandler> _handler;
    private string? _idToken;
    private string? _refreshToken;
    private bool _invalidated;

    public OidcBearer(AuthProviderConfig provider, string user, string? sourceFile, Func<DateTimeOffset>? clock = null,
        Func<HttpMessageHandler>? handler = null)
    {
        _user = user;
        _sourceFile = sourceFile;
        _config = provider.Config;
        _clock = clock ?? (() => DateTimeOffset.UtcNow);
        _idToken = Value("id-token");
        _refreshToken = Value("refresh-token");
        _handler = handler ?? IssuerHandler;
        if (_idToken is null && !CanRefresh)
            throw new KubeAuthException(
                $"The user '{user}' uses the oidc auth-provider but has no id-token (and no refresh-token, idp-issuer-url and client-id to obtain one). Log in with your OIDC helper (for example 'kubectl oidc-login') to obtain one.", user);
    }

    private string? Value(string key) => _config.TryGetValue(key, out var v) && !string.IsNullOrEmpty(v) ? v : null;

    private bool CanRefresh => _refreshToken is not null && Value("idp-issuer-url") is not null && Value("client-id") is not null;

    public override async ValueTask<AuthenticationHeaderValue?> GetAsync(KubeLog log, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_idToken is not null && !_invalidated && !ExpiresSoon(_idToken))
                return new AuthenticationHeaderValue("Bearer", _idToken);
            if (CanRefresh)
            {
                await RefreshAsync(log, cancellationToken).ConfigureAwait(false);
                _invalidated = false;
            }
            else if (_idToken is not null && ExpiresSoon(_idToken))
            {
                log.Warning($"The OIDC id-token of user '{_user}' has expired and the kubeconfig has no refresh-token to renew it; log in again with your OIDC helper.");
            }
            return _idToken is null ? null : new AuthenticationHeaderValue("Bearer", _idToken);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>After a 401: the id-token was refused; a refresh could get one that is not.</summary>
    public override bool Invalidate()
    {
        if (!CanRefresh)
            return false;
        _invalidated = true;
        return true;
    }

    /// <summary>True when the JWT's exp claim is past (or near); a token whose expiry cannot be read is renewed when possible.</summary>
    private bool ExpiresSoon(string jwt)
    {
        var parts = jwt.Split('.');
        if (parts.Length != 3)
            return CanRefresh;
        try
        {
            var payload = parts[1].Replace('-', '+').Replace('_', '/');
            payload = payload.PadRight(payload.Length + (4 - payload.Length % 4) % 4, '=');
            using var doc = JsonDocument.Parse(Convert.FromBase64String(payload));
            if (!doc.RootElement.TryGetProperty("exp", out var exp) || !exp.TryGetInt64(out var seconds))
                return CanRefresh;
            return DateTimeOffset.FromUnixTimeSeconds(seconds) - ExpirySkew <= _clock();
        }
        catch (Exception ex) when (ex is FormatException or JsonException)
        {
            return CanRefresh;
        }
    }

    private async Task RefreshAsync(KubeLog log, CancellationToken cancellationToken)
    {
        var issuer = Value("idp-issuer-url")!;
        using var http = new HttpClient(_handler(), disposeHandler: true) { Timeout = TimeSpan.FromSeconds(30) };
        var tokenEndpoint = await DiscoverTokenEndpointAsync(http, issuer, cancellationToken).ConfigureAwait(false);

        var form = new List<KeyValuePair<string, string>>
        {
            new("grant_type", "refresh_token"),
            new("refresh_token", _refreshToken!),
        };
        using var request = new HttpRequestMessage(HttpMethod.Post, tokenEndpoint);
        var clientId = Value("client-id")!;
        if (Value("client-secret") is { } secret)
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic",
                Convert.ToBase64String(Encoding.UTF8.GetBytes(Uri.EscapeDataString(clientId) + ":" + Uri.EscapeDataString(secret))));
        else
            form.Add(new("client_id", clientId));
        if (Value("extra-scopes") is { } scopes)
            form.Add(new("scope", "openid " + scopes.Replace(',', ' ')));
        request.Content = new FormUrlEncodedContent(form);

        JsonObject answer;
        try
        {
            using var response = await http.SendAsync(request, cancellationToken).ConfigureAwait(false);
            var body = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                // The error code is safe to show (RFC 6749 §5.2); the rest of the body may echo the token.
                var code = TryParse(body)?["error"]?.GetValue<string>() ?? ((int)response.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture);
                throw new KubeAuthException(
                    $"The OIDC issuer '{issuer}' refused to renew the id-token of user '{_user}' ({code}). The refresh-token may have expired: log in again with your OIDC helper.", _user);
            }
            answer = TryParse(body) ?? throw new KubeAuthException($"The OIDC issuer '{issuer}' answered the token refresh of user '{_user}' with something that is not JSON.", _user);
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            throw new KubeAuthException($"The OIDC issuer '{issuer}' could not be reached to renew the id-token of user '{_user}': {ex.Message}", _user);
        }

        var idToken = answer["id_token"] is JsonValue v && v.TryGetValue<string>(out var t) && t.Length > 0 ? t
            : throw new KubeAuthException($"The OIDC issuer '{issuer}' renewed the tokens of user '{_user}' but sent no id_token.", _user);
        _idToken = idToken;
        if (answer["refresh_token"] is JsonValue r && r.TryGetValue<string>(out var refresh) && refresh.Length > 0)
            _refreshToken = refresh;
        log.Verbose($"Renewed the OIDC id-token of user '{_user}' at {issuer}.");
        if (_sourceFile is not null)
        {
            try
            {
                KubeConfigWriteBack.UpdateAuthProviderConfig(_sourceFile, _user,
                    new Dictionary<string, string> { ["id-token"] = _idToken, ["refresh-token"] = _refreshToken! });
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                log.Warning($"The renewed OIDC tokens of user '{_user}' could not be written back to '{_sourceFile}' ({ex.Message}); they are used in this session only.");
            }
        }
    }

    private async Task<Uri> DiscoverTokenEndpointAsync(HttpClient http, string issuer, CancellationToken cancellationToken)
    {
        var discovery = new Uri(issuer.TrimEnd('/') + "/.well-known/openid-configuration");
        try
        {
            using var response = await http.GetAsync(discovery, cancellationToken).ConfigureAwait(false);
            var body = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
            if (response.IsSuccessStatusCode && TryParse(body)?["token_endpoint"] is JsonValue e && e.TryGetValue<string>(out var endpoint)
                && Uri.TryCreate(endpoint, UriKind.Absolute, out var uri) && uri.Scheme == Uri.UriSchemeHttps)
                return uri;
            throw new KubeAuthException(
                $"The OIDC issuer '{issuer}' does not publish an https token_endpoint at {discovery} (HTTP {(int)response.StatusCode}); the id-token of user '{_user}' cannot be renewed.", _user);
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            throw new KubeAuthException($"The OIDC issuer '{issuer}' could not be reached to renew the id-token of user '{_user}': {ex.Message}", _user);
        }
    }

    private static JsonObject? TryParse(byte[] body)
    {
        try
        {
            return JsonNode.Parse(body) as JsonObject;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>The issuer is trusted through idp-certificate-authority(-data) when given, else the system store.</summary>
    private HttpMessageHandler IssuerHandler()
    {
        var issuer = new Uri(Value("idp-issuer-url")!);
        var trust = TlsTrust.For(new ClusterEntry
        {
            Name = $"OIDC issuer of user '{_user}'",
            SourceFile = _sourceFile,
            CertificateAuthority = Value("idp-certificate-authority") is { } ca && _sourceFile is not null && !Path.IsPathRooted(ca)
                ? Path.Combine(Path.GetDirectoryName(_sourceFile)!, ca) // relative to the kubeconfig, as its other paths
                : Value("idp-certificate-authority"),
            CertificateAuthorityData = Value("idp-certificate-authority-data"),
        }, issuer);
        return new SocketsHttpHandler
        {
            AutomaticDecompression = DecompressionMethods.None,
            SslOptions = { RemoteCertificateValidationCallback = (_, certificate, chain, errors) => trust.Check(certificate, chain, errors) is null },
        };
    }
}
