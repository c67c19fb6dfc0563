using System.Text.Json.Nodes;

namespace ClusterOps.Sandbox.Scenarios;

/// <summary>The one Ready node the simulated scheduler places pods on.</summary>
internal static class NodeSeed
{
    public static JsonObject Node(string now)
    {
        JsonObject Cond(string type, string status, string reason, string message) => new()
        {
            ["type"] = type, ["status"] = status, ["lastHeartbeatTime"] = now, ["lastTransitionTime"] = now, ["reason"] = reason, ["message"] = message,
        };
        var capacity = new JsonObject { ["cpu"] = "4", ["memory"] = "8148204Ki", ["pods"] = "110", ["ephemeral-storage"] = "102626232Ki" };
        return new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Node",
            ["metadata"] = new JsonObject
            {
                ["name"] = Controllers.PodController.NodeName,
                ["labels"] = new JsonObject
                {
                    ["kubernetes.io/hostname"] = Controllers.PodController.NodeName, ["kubernetes.io/os"] = "linux", ["kubernetes.io/arch"] = "amd64",
                    ["node-role.kubernetes.io/control-plane"] = "", ["topology.kubernetes.io/zone"] = "sandbox-zone-0",
                },
            },
            ["spec"] = new JsonObject { ["podCIDR"] = "10.244.0.0/16" },
            ["status"] = new JsonObject
            {
                ["capacity"] = capacity,
                ["allocatable"] = capacity.DeepClone(),
                ["conditions"] = new JsonArray(
                    Cond("MemoryPressure", "False", "KubeletHasSufficientMemory", "kubelet has sufficient memory available"),
                    Cond("DiskPressure", "False", "KubeletHasNoDiskPressure", "kubelet has no disk pressure"),
                    Cond("PIDPressure", "False", "KubeletHasSufficientPID", "kubelet has sufficient PID available"),
                    Cond("Ready", "True", "KubeletReady", "kubelet is posting ready status")),
                ["addresses"] = new JsonArray(
                    new JsonObject { ["type"] = "InternalIP", ["address"] = "192.168.49.2" },
                    new JsonObject { ["type"] = "Hostname", ["address"] = Controllers.PodController.NodeName }),
                ["nodeInfo"] = new JsonObject
                {
                    ["kubeletVersion"] = "v1.32.0", ["kubeProxyVersion"] = "v1.32.0", ["osImage"] = "ClusterOps Sandbox", ["kernelVersion"] = "6.8.0",
                    ["containerRuntimeVersion"] = "containerd://1.7.24", ["operatingSystem"] = "linux", ["architecture"] = "amd64",
                },
            },
        };
    }
}
