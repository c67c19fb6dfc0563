using System.Globalization;
using System.Net;
using System.Net.Http;
using System.Text;
using System.Text.Json;
using ClusterOps.Kubernetes.Errors;
using ClusterOps.Kubernetes.Resources;

namespace ClusterOps.Kubernetes.Http;

/// <summary>Turns a failed response into <see cref="KubeApiException"/> from its Status body.</summary>
internal static class KubeApiErrors
{
    public static KubeApiException FromResponse(HttpResponseMessage response, byte[] body, string method, string requestPath)
    {
        var status = TryParseStatus(body);
        var code = response.StatusCode;
        var retryAfter = RetryAfter(response);
        if (status is not null && (status.Message is not null || status.Reason is not null))
            return FromStatus(status, code, method, requestPath, retryAfter);
        // Not a Status (a proxy or load balancer answered): say what we know, never echo the body.
        var phrase = response.ReasonPhrase ?? code.ToString();
        return new KubeApiException(code, ReasonFor(code),
            $"{method} {requestPath} failed: {((int)code).ToString(CultureInfo.InvariantCulture)} {phrase}.",
            method, requestPath, retryAfter: retryAfter);
    }

    public static KubeApiException FromStatus(Status status, HttpStatusCode fallbackCode, string? method, string? requestPath, TimeSpan? retryAfter = null)
    {
        var code = status.Code is int c and > 0 ? (HttpStatusCode)c : fallbackCode;
        var causes = status.Details?.Causes?.Select(x => new KubeStatusCause(x.Reason, x.Message, x.Field)).ToList();
        if (retryAfter is null && status.Details?.RetryAfterSeconds is int seconds and > 0)
            retryAfter = TimeSpan.FromSeconds(seconds);
        var message = string.IsNullOrEmpty(status.Message) ? $"{method} {requestPath} failed: {status.Reason}" : status.Message;
        return new KubeApiException(code, status.Reason ?? ReasonFor(code), message, method, requestPath,
            status.Details?.Name, status.Details?.Group, status.Details?.Kind, causes, retryAfter);
    }

    public static Status? TryParseStatus(byte[] body)
    {
        if (body.Length == 0 || body[0] != (byte)'{')
            return null;
        try
        {
            var status = JsonSerializer.Deserialize(body, KubeJsonContext.Default.Status);
            return status?.Kind == "Status" || status?.Code is not null ? status : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    public static TimeSpan? RetryAfter(HttpResponseMessage response)
    {
        var header = response.Headers.RetryAfter;
        if (header?.Delta is { } delta)
            return delta;
        if (header?.Date is { } date)
            return date - DateTimeOffset.UtcNow;
        return null;
    }

    private static string ReasonFor(HttpStatusCode code) => code switch
    {
        HttpStatusCode.NotFound => "NotFound",
        HttpStatusCode.Conflict => "Conflict",
        HttpStatusCode.Unauthorized => "Unauthorized",
        HttpStatusCode.Forbidden => "Forbidden",
        HttpStatusCode.Gone => "Expired",
        HttpStatusCode.TooManyRequests => "TooManyRequests",
        HttpStatusCode.UnprocessableEntity => "Invalid",
        HttpStatusCode.BadRequest => "BadRequest",
        HttpStatusCode.ServiceUnavailable => "ServiceUnavailable",
        HttpStatusCode.GatewayTimeout => "Timeout",
        HttpStatusCode.InternalServerError => "InternalError",
        _ => ((int)code).ToString(CultureInfo.InvariantCulture),
    };

    public static string Utf8(byte[] bytes) => Encoding.UTF8.GetString(bytes);
}
