using System.Text;
using ClusterOps.Kubernetes.Errors;
using YamlDotNet.RepresentationModel;

namespace ClusterOps.Kubernetes.Input;

/// <summary>
/// Writes renewed credentials back into the kubeconfig file a user stanza came from, as kubectl's auth providers do,
/// changing nothing else in it. The file is replaced atomically (a temporary file in the same folder, then a rename),
/// keeps its permissions, and a new temporary file is owner-only from its creation: it holds credentials.
/// </summary>
public static class KubeConfigWriteBack
{
    public static void UpdateAuthProviderConfig(string file, string userName, IReadOnlyDictionary<string, string> values)
    {
        // Read with the same bounds as any kubeconfig; the file was loaded through BoundedYaml moments ago, so the
        // editable tree built here is of a file already checked for depth, size and aliases.
        var text0 = BoundedFile.ReadText(file, InputLimits.MaxYamlFileBytes, "kubeconfig");
        BoundedYaml.Parse(text0, file, "kubeconfig");
        var stream = new YamlStream();
        using (var reader = new StringReader(text0))
            stream.Load(reader);
        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode root)
            throw new KubeConfigException("The kubeconfig is empty or not a mapping; the renewed tokens were not written.", file);
        var config = FindConfig(root, userName)
            ?? throw new KubeConfigException($"The kubeconfig no longer has the auth-provider config of user '{userName}'; the renewed tokens were not written.", file);
        foreach (var (key, value) in values)
            config.Children[new YamlScalarNode(key)] = new YamlScalarNode(value);

        var text = new StringBuilder();
        using (var writer = new StringWriter(text))
            stream.Save(writer, assignAnchors: false);
        var yaml = text.ToString().TrimEnd('.', '\n', '\r') + "\n"; // Save ends the document with "..."
        var temp = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(file))!, $".{Path.GetFileName(file)}.{Guid.NewGuid():n}.tmp");
        try
        {
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows())
                options.UnixCreateMode = File.GetUnixFileMode(file) & (UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead)
                    | UnixFileMode.UserRead | UnixFileMode.UserWrite;
            using (var output = new FileStream(temp, options))
            using (var writer = new StreamWriter(output, new UTF8Encoding(false)))
                writer.Write(yaml);
            File.Move(temp, file, overwrite: true);
        }
        finally
        {
            if (File.Exists(temp))
                File.Delete(temp);
        }
    }

    private static YamlMappingNode? FindConfig(YamlMappingNode root, string userName)
    {
        if (!root.Children.TryGetValue(new YamlScalarNode("users"), out var users) || users is not YamlSequenceNode list)
            return null;
        foreach (var entry in list.OfType<YamlMappingNode>())
        {
            if (entry.Children.TryGetValue(new YamlScalarNode("name"), out var name) && name is YamlScalarNode { Value: var n } && n == userName
                && entry.Children.TryGetValue(new YamlScalarNode("user"), out var user) && user is YamlMappingNode u
                && u.Children.TryGetValue(new YamlScalarNode("auth-provider"), out var provider) && provider is YamlMappingNode p)
            {
                if (!p.Children.TryGetValue(new YamlScalarNode("config"), out var config) || config is not YamlMappingNode c)
                {
                    c = new YamlMappingNode();
                    p.Children[new YamlScalarNode("config")] = c;
                }
                return c;
            }
        }
        return null;
    }
}
