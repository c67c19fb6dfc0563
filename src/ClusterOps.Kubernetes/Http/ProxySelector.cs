using System.Net;
using ClusterOps.Kubernetes.Errors;

namespace ClusterOps.Kubernetes.Http;

/// <summary>
/// Which proxy (if any) to use for the API server: the cluster's proxy-url, else HTTPS_PROXY / HTTP_PROXY honouring
/// NO_PROXY (host suffixes, ".domain", "*", IPs and CIDRs, optional ports), as Go's httpproxy does.
/// </summary>
public static class ProxySelector
{
    public static Uri? Select(Uri server, string? proxyUrl, Func<string, string?> env)
    {
        if (!string.IsNullOrEmpty(proxyUrl))
            return Parse(proxyUrl, "proxy-url");
        var name = server.Scheme == Uri.UriSchemeHttps ? "HTTPS_PROXY" : "HTTP_PROXY";
        var value = env(name) ?? env(name.ToLowerInvariant());
        if (string.IsNullOrEmpty(value))
            return null;
        var noProxy = env("NO_PROXY") ?? env("no_proxy");
        return Bypass(server, noProxy) ? null : Parse(value, name);
    }

    public static bool Bypass(Uri server, string? noProxy)
    {
        if (string.IsNullOrWhiteSpace(noProxy))
            return false;
        var host = server.IdnHost.Trim('[', ']').ToLowerInvariant();
        IPAddress.TryParse(host, out var ip);
        foreach (var raw in noProxy.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var entry = raw.ToLowerInvariant();
            if (entry == "*")
                return true;
            if (ip is not null && entry.Contains('/') && InCidr(ip, entry))
                return true;
            var entryHost = entry;
            var colon = entry.LastIndexOf(':');
            if (colon > 0 && !entry.Contains(']') && entry.Count(c => c == ':') == 1)
            {
                if (entry[(colon + 1)..] != server.Port.ToString(System.Globalization.CultureInfo.InvariantCulture))
                    continue;
                entryHost = entry[..colon];
            }
            entryHost = entryHost.Trim('[', ']');
            if (entryHost.StartsWith('.'))
            {
                if (host.EndsWith(entryHost, StringComparison.Ordinal) || host == entryHost[1..])
                    return true;
            }
            else if (host == entryHost || host.EndsWith("." + entryHost, StringComparison.Ordinal))
            {
                return true;
            }
        }
        return false;
    }

    private static bool InCidr(IPAddress ip, string cidr)
    {
        var parts = cidr.Split('/');
        if (parts.Length != 2 || !IPAddress.TryParse(parts[0], out var network) || !int.TryParse(parts[1], out var bits))
            return false;
        if (network.AddressFamily != ip.AddressFamily)
            return false;
        var a = ip.GetAddressBytes();
        var b = network.GetAddressBytes();
        for (var i = 0; i < a.Length && bits > 0; i++, bits -= 8)
        {
            var mask = bits >= 8 ? 0xFF : (byte)(0xFF << (8 - bits));
            if ((a[i] & mask) != (b[i] & mask))
                return false;
        }
        return true;
    }

    private static Uri Parse(string value, string what)
    {
        // Go accepts "host:port" without a scheme and treats it as http.
        var text = value.Contains("://", StringComparison.Ordinal) ? value : "http://" + value;
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https" or "socks5"))
            throw new KubeConfigException($"The {what} '{Redact(value)}' is not an http, https or socks5 URL.");
        return uri;
    }

    /// <summary>Proxy URLs may carry user:password; never show it.</summary>
    public static string Redact(string value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var u) && !string.IsNullOrEmpty(u.UserInfo)
            ? value.Replace(u.UserInfo + "@", "***@", StringComparison.Ordinal)
            : value;
}
