using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace ClusterOps.Kubernetes.Resources;

/// <summary>Source-generated (reflection-free) serialization for every model of this assembly.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(JsonObject))]
[JsonSerializable(typeof(JsonNode))]
[JsonSerializable(typeof(JsonElement))]
[JsonSerializable(typeof(KubeList<JsonObject>))]
[JsonSerializable(typeof(Status))]
[JsonSerializable(typeof(Pod))]
[JsonSerializable(typeof(KubeList<Pod>))]
[JsonSerializable(typeof(PersistentVolumeClaim))]
[JsonSerializable(typeof(KubeList<PersistentVolumeClaim>))]
[JsonSerializable(typeof(PersistentVolume))]
[JsonSerializable(typeof(KubeList<PersistentVolume>))]
[JsonSerializable(typeof(Deployment))]
[JsonSerializable(typeof(KubeList<Deployment>))]
[JsonSerializable(typeof(StatefulSet))]
[JsonSerializable(typeof(KubeList<StatefulSet>))]
[JsonSerializable(typeof(Service))]
[JsonSerializable(typeof(KubeList<Service>))]
[JsonSerializable(typeof(Secret))]
[JsonSerializable(typeof(KubeList<Secret>))]
[JsonSerializable(typeof(ConfigMap))]
[JsonSerializable(typeof(KubeList<ConfigMap>))]
[JsonSerializable(typeof(Namespace))]
[JsonSerializable(typeof(KubeList<Namespace>))]
[JsonSerializable(typeof(Event))]
[JsonSerializable(typeof(KubeList<Event>))]
[JsonSerializable(typeof(Job))]
[JsonSerializable(typeof(KubeList<Job>))]
[JsonSerializable(typeof(Scale))]
[JsonSerializable(typeof(ApiResourceList))]
[JsonSerializable(typeof(VersionInfo))]
[JsonSerializable(typeof(SelfSubjectReview))]
public sealed partial class KubeJsonContext : JsonSerializerContext;
