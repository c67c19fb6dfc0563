namespace ClusterOps.Kubernetes.Resources;

/// <summary>GET /api/v1 or /apis/{group}/{version}.</summary>
public sealed class ApiResourceList : KubeModel
{
    public string? GroupVersion { get; set; }
    public List<ApiResource> Resources { get; set; } = new();
}

public sealed class ApiResource : KubeModel
{
    /// <summary>The plural, or "plural/subresource".</summary>
    public string Name { get; set; } = "";
    public string? SingularName { get; set; }
    public bool Namespaced { get; set; }
    public string Kind { get; set; } = "";
    public List<string>? Verbs { get; set; }
    public List<string>? ShortNames { get; set; }
}

/// <summary>GET /version.</summary>
public sealed class VersionInfo : KubeModel
{
    public string? Major { get; set; }
    public string? Minor { get; set; }
    public string? GitVersion { get; set; }
    public string? Platform { get; set; }
}

/// <summary>authentication.k8s.io/v1 SelfSubjectReview: who the server thinks we are.</summary>
public sealed class SelfSubjectReview : KubeObject
{
    public SelfSubjectReviewStatus? Status { get; set; }
}

public sealed class SelfSubjectReviewStatus : KubeModel
{
    public UserInfo? UserInfo { get; set; }
}

public sealed class UserInfo : KubeModel
{
    public string? Username { get; set; }
    public string? Uid { get; set; }
    public List<string>? Groups { get; set; }
}
