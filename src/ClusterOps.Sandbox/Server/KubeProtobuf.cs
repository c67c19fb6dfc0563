using System.Text;
using System.Text.Json.Nodes;

namespace ClusterOps.Sandbox.Server;

/// <summary>
/// Decodes the Kubernetes protobuf envelope ("k8s\0" + runtime.Unknown) that kubectl's typed clients send for
/// `create namespace|secret|configmap|serviceaccount|deployment|job|service` and `run`, into the JSON object the
/// rest of the sandbox works on. Only the messages those commands produce are described; an unknown field is a 415,
/// never silently dropped. Zero values are omitted, as the JSON encoding's omitempty does.
/// </summary>
internal static class KubeProtobuf
{
    private enum K { Str, Bytes, Int, Bool, Msg, RepMsg, RepStr, MapStr, MapBytes, MapQuantity, Time, IntOrString, Quantity }

    private sealed record F(string Name, K Kind, string? Sub = null);

    private static readonly Dictionary<string, Dictionary<int, F>> Schemas = new()
    {
        ["Time"] = new(),
        ["ObjectMeta"] = new()
        {
            [1] = new("name", K.Str), [2] = new("generateName", K.Str), [3] = new("namespace", K.Str), [4] = new("selfLink", K.Str),
            [5] = new("uid", K.Str), [6] = new("resourceVersion", K.Str), [7] = new("generation", K.Int), [8] = new("creationTimestamp", K.Time),
            [9] = new("deletionTimestamp", K.Time), [10] = new("deletionGracePeriodSeconds", K.Int), [11] = new("labels", K.MapStr),
            [12] = new("annotations", K.MapStr), [13] = new("ownerReferences", K.RepMsg, "OwnerReference"), [14] = new("finalizers", K.RepStr),
        },
        ["OwnerReference"] = new()
        {
            [1] = new("kind", K.Str), [3] = new("name", K.Str), [4] = new("uid", K.Str), [5] = new("apiVersion", K.Str),
            [6] = new("controller", K.Bool), [7] = new("blockOwnerDeletion", K.Bool),
        },
        ["LabelSelector"] = new() { [1] = new("matchLabels", K.MapStr), [2] = new("matchExpressions", K.RepMsg, "LabelSelectorRequirement") },
        ["LabelSelectorRequirement"] = new() { [1] = new("key", K.Str), [2] = new("operator", K.Str), [3] = new("values", K.RepStr) },
        ["LocalObjectReference"] = new() { [1] = new("name", K.Str) },
        ["ObjectReference"] = new()
        {
            [1] = new("kind", K.Str), [2] = new("namespace", K.Str), [3] = new("name", K.Str), [4] = new("uid", K.Str),
            [5] = new("apiVersion", K.Str), [6] = new("resourceVersion", K.Str), [7] = new("fieldPath", K.Str),
        },
        ["Namespace"] = new() { [1] = new("metadata", K.Msg, "ObjectMeta"), [2] = new("spec", K.Msg, "NamespaceSpec"), [3] = new("status", K.Msg, "NamespaceStatus") },
        ["NamespaceSpec"] = new() { [1] = new("finalizers", K.RepStr) },
        ["NamespaceStatus"] = new() { [1] = new("phase", K.Str) },
        ["Secret"] = new() { [1] = new("metadata", K.Msg, "ObjectMeta"), [2] = new("data", K.MapBytes), [3] = new("type", K.Str), [4] = new("stringData", K.MapStr), [5] = new("immutable", K.Bool) },
        ["ConfigMap"] = new() { [1] = new("metadata", K.Msg, "ObjectMeta"), [2] = new("data", K.MapStr), [3] = new("binaryData", K.MapBytes), [4] = new("immutable", K.Bool) },
        ["ServiceAccount"] = new()
        {
            [1] = new("metadata", K.Msg, "ObjectMeta"), [2] = new("secrets", K.RepMsg, "ObjectReference"),
            [3] = new("imagePullSecrets", K.RepMsg, "LocalObjectReference"), [4] = new("automountServiceAccountToken", K.Bool),
        },
        ["Deployment"] = new() { [1] = new("metadata", K.Msg, "ObjectMeta"), [2] = new("spec", K.Msg, "DeploymentSpec"), [3] = new("status", K.Msg, "Ignored") },
        ["DeploymentSpec"] = new()
        {
            [1] = new("replicas", K.Int), [2] = new("selector", K.Msg, "LabelSelector"), [3] = new("template", K.Msg, "PodTemplateSpec"),
            [4] = new("strategy", K.Msg, "DeploymentStrategy"), [5] = new("minReadySeconds", K.Int), [6] = new("revisionHistoryLimit", K.Int),
            [7] = new("paused", K.Bool), [9] = new("progressDeadlineSeconds", K.Int),
        },
        ["DeploymentStrategy"] = new() { [1] = new("type", K.Str), [2] = new("rollingUpdate", K.Msg, "RollingUpdateDeployment") },
        ["RollingUpdateDeployment"] = new() { [1] = new("maxUnavailable", K.IntOrString), [2] = new("maxSurge", K.IntOrString) },
        ["Job"] = new() { [1] = new("metadata", K.Msg, "ObjectMeta"), [2] = new("spec", K.Msg, "JobSpec"), [3] = new("status", K.Msg, "Ignored") },
        ["JobSpec"] = new()
        {
            [1] = new("parallelism", K.Int), [2] = new("completions", K.Int), [3] = new("activeDeadlineSeconds", K.Int), [4] = new("selector", K.Msg, "LabelSelector"),
            [5] = new("manualSelector", K.Bool), [6] = new("template", K.Msg, "PodTemplateSpec"), [7] = new("backoffLimit", K.Int),
            [8] = new("ttlSecondsAfterFinished", K.Int), [9] = new("completionMode", K.Str), [10] = new("suspend", K.Bool),
        },
        ["Pod"] = new() { [1] = new("metadata", K.Msg, "ObjectMeta"), [2] = new("spec", K.Msg, "PodSpec"), [3] = new("status", K.Msg, "Ignored") },
        ["PodTemplateSpec"] = new() { [1] = new("metadata", K.Msg, "ObjectMeta"), [2] = new("spec", K.Msg, "PodSpec") },
        ["PodSpec"] = new()
        {
            [1] = new("volumes", K.RepMsg, "Volume"), [2] = new("containers", K.RepMsg, "Container"), [3] = new("restartPolicy", K.Str),
            [4] = new("terminationGracePeriodSeconds", K.Int), [5] = new("activeDeadlineSeconds", K.Int), [6] = new("dnsPolicy", K.Str),
            [7] = new("nodeSelector", K.MapStr), [8] = new("serviceAccountName", K.Str), [9] = new("serviceAccount", K.Str), [10] = new("nodeName", K.Str),
            [11] = new("hostNetwork", K.Bool), [12] = new("hostPID", K.Bool), [13] = new("hostIPC", K.Bool), [14] = new("securityContext", K.Msg, "Empty"),
            [15] = new("imagePullSecrets", K.RepMsg, "LocalObjectReference"), [16] = new("hostname", K.Str), [17] = new("subdomain", K.Str),
            [19] = new("schedulerName", K.Str), [20] = new("initContainers", K.RepMsg, "Container"), [21] = new("automountServiceAccountToken", K.Bool), [24] = new("priorityClassName", K.Str),
        },
        ["Volume"] = new() { [1] = new("name", K.Str) },
        ["Container"] = new()
        {
            [1] = new("name", K.Str), [2] = new("image", K.Str), [3] = new("command", K.RepStr), [4] = new("args", K.RepStr), [5] = new("workingDir", K.Str),
            [6] = new("ports", K.RepMsg, "ContainerPort"), [7] = new("env", K.RepMsg, "EnvVar"), [8] = new("resources", K.Msg, "ResourceRequirements"),
            [9] = new("volumeMounts", K.RepMsg, "VolumeMount"), [13] = new("terminationMessagePath", K.Str), [14] = new("imagePullPolicy", K.Str),
            [16] = new("stdin", K.Bool), [17] = new("stdinOnce", K.Bool), [18] = new("tty", K.Bool), [20] = new("terminationMessagePolicy", K.Str),
        },
        ["ContainerPort"] = new() { [1] = new("name", K.Str), [2] = new("hostPort", K.Int), [3] = new("containerPort", K.Int), [4] = new("protocol", K.Str), [5] = new("hostIP", K.Str) },
        ["EnvVar"] = new() { [1] = new("name", K.Str), [2] = new("value", K.Str) },
        ["ResourceRequirements"] = new() { [1] = new("limits", K.MapQuantity), [2] = new("requests", K.MapQuantity) },
        ["VolumeMount"] = new() { [1] = new("name", K.Str), [2] = new("readOnly", K.Bool), [3] = new("mountPath", K.Str), [4] = new("subPath", K.Str), [6] = new("subPathExpr", K.Str) },
        ["Service"] = new() { [1] = new("metadata", K.Msg, "ObjectMeta"), [2] = new("spec", K.Msg, "ServiceSpec"), [3] = new("status", K.Msg, "Ignored") },
        ["ServiceSpec"] = new()
        {
            [1] = new("ports", K.RepMsg, "ServicePort"), [2] = new("selector", K.MapStr), [3] = new("clusterIP", K.Str), [4] = new("type", K.Str),
            [5] = new("externalIPs", K.RepStr), [7] = new("sessionAffinity", K.Str), [8] = new("loadBalancerIP", K.Str), [10] = new("externalName", K.Str),
            [11] = new("externalTrafficPolicy", K.Str), [12] = new("healthCheckNodePort", K.Int), [13] = new("publishNotReadyAddresses", K.Bool),
            [18] = new("clusterIPs", K.RepStr),
        },
        ["ServicePort"] = new() { [1] = new("name", K.Str), [2] = new("protocol", K.Str), [3] = new("port", K.Int), [4] = new("targetPort", K.IntOrString), [5] = new("nodePort", K.Int) },
        // Status blocks and security contexts kubectl sends empty; anything inside is not understood.
        ["Empty"] = new(),
        // Status is reset on create anyway, so whatever kubectl encodes there is skipped.
        ["Ignored"] = new(),
    };

    public static bool IsProtobuf(string? contentType) =>
        contentType != null && contentType.Contains("application/vnd.kubernetes.protobuf", StringComparison.OrdinalIgnoreCase);

    public static JsonObject Decode(byte[] body)
    {
        if (body.Length < 4 || body[0] != (byte)'k' || body[1] != (byte)'8' || body[2] != (byte)'s' || body[3] != 0)
            throw Unsupported("the protobuf body lacks the k8s envelope");
        string? apiVersion = null, kind = null;
        ReadOnlyMemory<byte> raw = default;
        foreach (var (num, _, value, bytes) in Fields(body.AsMemory(4)))
        {
            if (num == 1)
                foreach (var (n2, _, _, b2) in Fields(bytes))
                {
                    if (n2 == 1) apiVersion = Encoding.UTF8.GetString(b2.Span);
                    else if (n2 == 2) kind = Encoding.UTF8.GetString(b2.Span);
                }
            else if (num == 2) raw = bytes;
            _ = value;
        }
        if (kind == null || !Schemas.ContainsKey(kind) || kind is "Empty" or "Time" or "Ignored")
            throw Unsupported($"the sandbox cannot decode protobuf for kind {kind ?? "(none)"}; send JSON (kubectl create -f / apply -f)");
        var obj = new JsonObject { ["apiVersion"] = apiVersion, ["kind"] = kind };
        foreach (var kv in Message(raw, kind)) obj[kv.Key] = kv.Value?.DeepClone();
        return obj;
    }

    private static ApiException Unsupported(string why) =>
        new(415, "UnsupportedMediaType", $"the body of the request was in an unknown format - {why}");

    private static JsonObject Message(ReadOnlyMemory<byte> data, string schemaName)
    {
        var schema = Schemas[schemaName];
        var o = new JsonObject();
        if (schemaName == "Ignored") return o;
        foreach (var (num, wire, value, bytes) in Fields(data))
        {
            if (!schema.TryGetValue(num, out var f))
                throw Unsupported($"field {num} of {schemaName} is not supported by the sandbox's protobuf decoder; send JSON (kubectl create -f / apply -f)");
            switch (f.Kind)
            {
                case K.Str:
                    var s = Encoding.UTF8.GetString(bytes.Span);
                    if (s.Length > 0) o[f.Name] = s;
                    break;
                case K.Bytes: o[f.Name] = Convert.ToBase64String(bytes.Span); break;
                case K.Int:
                    var l = wire == 0 ? (long)value : 0;
                    if (l != 0) o[f.Name] = l;
                    break;
                case K.Bool:
                    if (value != 0) o[f.Name] = true;
                    break;
                case K.Msg:
                    o[f.Name] = Message(bytes, f.Sub!);
                    break;
                case K.RepMsg:
                    if (o[f.Name] is not JsonArray a) o[f.Name] = a = new JsonArray();
                    a.Add(Message(bytes, f.Sub!));
                    break;
                case K.RepStr:
                    if (o[f.Name] is not JsonArray rs) o[f.Name] = rs = new JsonArray();
                    rs.Add(Encoding.UTF8.GetString(bytes.Span));
                    break;
                case K.MapStr or K.MapBytes or K.MapQuantity:
                    if (o[f.Name] is not JsonObject map) o[f.Name] = map = new JsonObject();
                    string key = "";
                    JsonNode? val = f.Kind == K.MapBytes ? "" : "";
                    foreach (var (n2, _, _, b2) in Fields(bytes))
                    {
                        if (n2 == 1) key = Encoding.UTF8.GetString(b2.Span);
                        else if (n2 == 2)
                            val = f.Kind switch
                            {
                                K.MapBytes => Convert.ToBase64String(b2.Span),
                                K.MapQuantity => QuantityText(b2),
                                _ => Encoding.UTF8.GetString(b2.Span),
                            };
                    }
                    map[key] = val;
                    break;
                case K.Time:
                    long seconds = 0;
                    foreach (var (n2, _, v2, _) in Fields(bytes))
                        if (n2 == 1) seconds = (long)v2;
                    if (seconds != 0) o[f.Name] = SandboxClock.Format(DateTimeOffset.FromUnixTimeSeconds(seconds));
                    break;
                case K.IntOrString:
                    long type = 0, intVal = 0;
                    string strVal = "";
                    foreach (var (n2, _, v2, b2) in Fields(bytes))
                    {
                        if (n2 == 1) type = (long)v2;
                        else if (n2 == 2) intVal = (long)v2;
                        else if (n2 == 3) strVal = Encoding.UTF8.GetString(b2.Span);
                    }
                    o[f.Name] = type == 1 ? JsonValue.Create(strVal) : JsonValue.Create(intVal);
                    break;
                case K.Quantity:
                    o[f.Name] = QuantityText(bytes);
                    break;
            }
        }
        return o;
    }

    private static string QuantityText(ReadOnlyMemory<byte> bytes)
    {
        foreach (var (n, _, _, b) in Fields(bytes))
            if (n == 1) return Encoding.UTF8.GetString(b.Span);
        return "0";
    }

    /// <summary>The raw wire fields: number, wire type, varint/fixed value, and length-delimited bytes.</summary>
    private static IEnumerable<(int Number, int Wire, ulong Value, ReadOnlyMemory<byte> Bytes)> Fields(ReadOnlyMemory<byte> data)
    {
        var pos = 0;
        while (pos < data.Length)
        {
            var tag = Varint(data.Span, ref pos);
            var number = (int)(tag >> 3);
            var wire = (int)(tag & 7);
            switch (wire)
            {
                case 0:
                    yield return (number, wire, Varint(data.Span, ref pos), default);
                    break;
                case 1:
                    if (pos + 8 > data.Length) throw Unsupported("truncated protobuf");
                    yield return (number, wire, BitConverter.ToUInt64(data.Span.Slice(pos, 8)), default);
                    pos += 8;
                    break;
                case 2:
                    var len = (int)Varint(data.Span, ref pos);
                    if (len < 0 || pos + len > data.Length) throw Unsupported("truncated protobuf");
                    yield return (number, wire, 0, data.Slice(pos, len));
                    pos += len;
                    break;
                case 5:
                    if (pos + 4 > data.Length) throw Unsupported("truncated protobuf");
                    yield return (number, wire, BitConverter.ToUInt32(data.Span.Slice(pos, 4)), default);
                    pos += 4;
                    break;
                default:
                    throw Unsupported($"protobuf wire type {wire} is not supported");
            }
        }
    }

    private static ulong Varint(ReadOnlySpan<byte> s, ref int pos)
    {
        ulong result = 0;
        var shift = 0;
        while (true)
        {
            if (pos >= s.Length || shift > 63) throw Unsupported("truncated protobuf varint");
            var b = s[pos++];
            result |= (ulong)(b & 0x7F) << shift;
            if ((b & 0x80) == 0) return result;
            shift += 7;
        }
    }
}
