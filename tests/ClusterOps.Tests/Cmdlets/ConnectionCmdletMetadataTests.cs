using System.Reflection;
using ClusterOps.Cmdlets.Connection;
using ClusterOps.Cmdlets.Infrastructure;

namespace ClusterOps.Tests.Cmdlets;

/// <summary>Metadata of the connection cmdlets, read with CustomAttributeData (the stub SMA has empty getters).</summary>
public sealed class ConnectionCmdletMetadataTests
{
    private static readonly Type[] Cmdlets = { typeof(GetKubeContextCommand), typeof(UseKubeContextCommand), typeof(TestKubeConnectionCommand) };

    private static string RepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "ClusterOps.sln")))
            dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("repository root not found");
    }

    private static CustomAttributeData Attribute(MemberInfo member, string name) =>
        member.GetCustomAttributesData().Single(a => a.AttributeType.Name == name);

    private static string CmdletName(Type t)
    {
        var a = Attribute(t, "CmdletAttribute");
        return $"{a.ConstructorArguments[0].Value}-{a.ConstructorArguments[1].Value}";
    }

    [Fact]
    public void EveryConnectionCmdletHasOutputTypeHelpViewAndExport()
    {
        var root = RepoRoot();
        var manifest = File.ReadAllText(Path.Combine(root, "module", "ClusterOps.psd1"));
        var formats = File.ReadAllText(Path.Combine(root, "module", "ClusterOps.Format.ps1xml"));
        foreach (var type in Cmdlets)
        {
            var name = CmdletName(type);
            // OutputType(params Type[]): the single constructor argument is the array.
            var types = (IReadOnlyCollection<CustomAttributeTypedArgument>)Attribute(type, "OutputTypeAttribute").ConstructorArguments[0].Value!;
            var outputType = (Type)types.Single().Value!;
            Assert.True(File.Exists(Path.Combine(root, "docs", "help", name + ".md")), name + " help");
            Assert.Contains($"'{name}'", manifest);
            Assert.Contains($"<TypeName>{outputType.FullName}</TypeName>", formats);
            Assert.True(type.IsSealed);
        }
    }

    [Fact]
    public void UseKubeContextSupportsWhatIfWithLowImpact()
    {
        var cmdlet = Attribute(typeof(UseKubeContextCommand), "CmdletAttribute");
        Assert.True((bool)cmdlet.NamedArguments.Single(a => a.MemberName == "SupportsShouldProcess").TypedValue.Value!);
        Assert.Equal(1, Convert.ToInt32(cmdlet.NamedArguments.Single(a => a.MemberName == "ConfirmImpact").TypedValue.Value, System.Globalization.CultureInfo.InvariantCulture)); // Low
        Assert.Equal("Use", cmdlet.ConstructorArguments[0].Value);
    }

    [Fact]
    public void KubeCmdletsTakeContextAndKubeConfigAndNamespacedOnesNamespace()
    {
        // Several contexts and wildcards: a fleet (issue 15); -ThrottleLimit bounds how many run at once.
        var context = typeof(TestKubeConnectionCommand).GetProperty("Context", BindingFlags.Public | BindingFlags.Instance)!;
        Assert.Equal(typeof(string[]), context.PropertyType);
        Assert.Contains(context.GetCustomAttributesData(), a => a.AttributeType.Name == "SupportsWildcardsAttribute");
        Assert.Equal(16, new TestKubeConnectionCommand().ThrottleLimit);
        var parameter = Attribute(context, "ParameterAttribute");
        Assert.True((bool)parameter.NamedArguments.Single(a => a.MemberName == "ValueFromPipelineByPropertyName").TypedValue.Value!);
        Assert.Equal(typeof(KubeContextNameCompleter), Attribute(context, "ArgumentCompleterAttribute").ConstructorArguments[0].Value);
        Assert.NotNull(typeof(TestKubeConnectionCommand).GetProperty("KubeConfig"));
        Assert.NotNull(typeof(NamespacedKubeCmdlet).GetProperty("Namespace"));
        Assert.Null(typeof(TestKubeConnectionCommand).GetProperty("Namespace"));
    }

    [Fact]
    public void GetKubeContextNameSupportsWildcards()
    {
        var name = typeof(GetKubeContextCommand).GetProperty("Name")!;
        Assert.Contains(name.GetCustomAttributesData(), a => a.AttributeType.Name == "SupportsWildcardsAttribute");
        Assert.Equal(typeof(string[]), name.PropertyType);
    }
}
