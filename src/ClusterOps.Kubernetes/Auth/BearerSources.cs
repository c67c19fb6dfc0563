using System.Net.Http.Headers;
using System.Text;
using ClusterOps.Kubernetes.Errors;
using ClusterOps.Kubernetes.Http;
using ClusterOps.Kubernetes.Input;

namespace ClusterOps.Kubernetes.Auth;

/// <summary>Produces the Authorization header value; may cache and refresh.</summary>
internal abstract class BearerSource
{
    public abstract ValueTask<AuthenticationHeaderValue?> GetAsync(KubeLog log, CancellationToken cancellationToken);

    /// <summary>Forget cached credentials after a 401; true when a new attempt could use different ones.</summary>
    public virtual bool Invalidate() => false;
}

internal sealed class StaticBearer(string scheme, string parameter) : BearerSource
{
    private readonly AuthenticationHeaderValue _value = new(scheme, parameter);

    public static StaticBearer Token(string token) => new("Bearer", token);

    public static StaticBearer Basic(string user, string password) =>
        new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(user + ":" + password)));

    public override ValueTask<AuthenticationHeaderValue?> GetAsync(KubeLog log, CancellationToken cancellationToken) => new(_value);
}

/// <summary>
/// users[].user.tokenFile (and the in-cluster service-account token): re-read whenever the file's timestamp or size
/// changes, so rotated tokens are picked up; if a read fails or yields nothing, the last good token stays in use
/// (client-go's "last successfully read value" rule). A 401 forces a re-read. Reads go through
/// <see cref="BoundedFile"/>: a FIFO or a device (/dev/zero) named as tokenFile is refused with a clear error instead
/// of hanging or filling memory, a file over <see cref="InputLimits.MaxCredentialFileBytes"/> likewise.
/// </summary>
internal sealed class TokenFileBearer(string path, string? initialToken) : BearerSource
{
    private readonly object _gate = new();
    private string? _token = string.IsNullOrEmpty(initialToken) ? null : initialToken;
    private (DateTime Stamp, long Length) _seen;
    private string? _lastProblem;

    public override ValueTask<AuthenticationHeaderValue?> GetAsync(KubeLog log, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            Refresh(force: false, cancellationToken);
            if (_token is null)
                throw new KubeAuthException(_lastProblem ?? $"The token file '{path}' could not be read or is empty.");
            return new(new AuthenticationHeaderValue("Bearer", _token));
        }
    }

    public override bool Invalidate()
    {
        lock (_gate)
        {
            var before = _token;
            Refresh(force: true, CancellationToken.None);
            return !string.Equals(before, _token, StringComparison.Ordinal);
        }
    }

    private void Refresh(bool force, CancellationToken cancellationToken)
    {
        try
        {
            var info = new FileInfo(path);
            if (!info.Exists)
                return;
            var stamp = (info.LastWriteTimeUtc, info.Length);
            if (!force && stamp == _seen && _token is not null)
                return;
            var text = BoundedFile.ReadText(path, InputLimits.MaxCredentialFileBytes, "token file", cancellationToken).Trim();
            _seen = stamp;
            _lastProblem = null;
            if (text.Length > 0)
                _token = text;
        }
        catch (InputLimitException ex)
        {
            // Not a regular file, or too big: never a credential. Keep a last good token (rotation in progress
            // through a bad state), else report why nothing could be read.
            _lastProblem = ex.Message;
        }
        catch (IOException)
        {
            // Mid-rotation (file being replaced): keep the last good token.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
