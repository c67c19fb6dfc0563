using System.Runtime.Versioning;
using ClusterOps.Core.Common;
using ClusterOps.Core.PersistentState;
using ClusterOps.Tests.Infrastructure;

namespace ClusterOps.Tests.PersistentState;

[SupportedOSPlatform("linux")]
public sealed class RepairServiceAccountMountTests : IDisposable
{
    private readonly TempRoot _root = new();
    private readonly string _path;
    private readonly string _source;

    public RepairServiceAccountMountTests()
    {
        _path = _root.Root + "/var/run/secrets/kubernetes.io/serviceaccount";
        _source = _root.Root + "/secret";
        Directory.CreateDirectory(_source);
        File.WriteAllText(_source + "/token", "s3cr3t-token-value");
    }

    public void Dispose() => _root.Dispose();

    private ServiceAccountMountResult? Repair(RecordingOperationContext? context = null, IPlatformProbe? platform = null) =>
        new ServiceAccountMountRepairer(null, platform).Repair(new RepairServiceAccountMountRequest(_path, _source), context ?? new RecordingOperationContext());

    [Fact]
    public void A_hidden_mount_is_linked_to_the_source_creating_its_parents()
    {
        var context = new RecordingOperationContext();

        var result = Repair(context);

        Assert.Equal(ServiceAccountMountAction.Linked, result!.Action);
        Assert.Equal(_source, new FileInfo(_path).LinkTarget);
        Assert.Equal("s3cr3t-token-value", File.ReadAllText(_path + "/token"));
        Assert.Equal((UnixFileMode)Convert.ToInt32("755", 8), File.GetUnixFileMode(_root.Root + "/var/run/secrets"));
        Assert.Same(result, Assert.Single(context.Objects));
        Assert.DoesNotContain("s3cr3t", context.AllText, StringComparison.Ordinal);
    }

    [Fact]
    public void An_existing_mount_is_left_alone()
    {
        Directory.CreateDirectory(_path);
        var before = TreeSnapshot.Take(_root.Root);

        var result = Repair();

        Assert.Equal(ServiceAccountMountAction.AlreadyPresent, result!.Action);
        TreeSnapshot.AssertEqual(before, TreeSnapshot.Take(_root.Root), "no-op");
    }

    [Fact]
    public void A_second_run_finds_the_link_and_does_nothing()
    {
        Repair();

        Assert.Equal(ServiceAccountMountAction.AlreadyPresent, Repair()!.Action);
    }

    [Fact]
    public void WhatIf_creates_nothing()
    {
        var context = RecordingOperationContext.WhatIf();

        Assert.Null(Repair(context));

        Assert.False(Directory.Exists(_root.Root + "/var"));
        Assert.Equal(_path, Assert.Single(context.ShouldProcessCalls).Target);
    }

    [Fact]
    public void A_file_at_the_path_is_rejected()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(_path)!);
        File.WriteAllText(_path, "");

        Assert.Equal(PersistentStateErrors.ServiceAccountPathIsFile, Assert.Throws<OperationException>(() => Repair()).ErrorId);
    }

    [Fact]
    public void A_dangling_link_at_the_path_is_left_for_the_operator()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(_path)!);
        File.CreateSymbolicLink(_path, "/nowhere");

        Assert.Equal(PersistentStateErrors.ServiceAccountPathBlocked, Assert.Throws<OperationException>(() => Repair()).ErrorId);
        Assert.Equal("/nowhere", new FileInfo(_path).LinkTarget);
    }

    [Fact]
    public void A_missing_source_is_rejected_without_creating_a_dangling_link()
    {
        Directory.Delete(_source, recursive: true);

        Assert.Equal(PersistentStateErrors.ServiceAccountSourceMissing, Assert.Throws<OperationException>(() => Repair()).ErrorId);
        Assert.False(Directory.Exists(_root.Root + "/var"));
    }

    [Fact]
    public void Relative_paths_and_non_Linux_are_rejected()
    {
        var relative = Assert.Throws<OperationException>(() => new ServiceAccountMountRepairer()
            .Repair(new RepairServiceAccountMountRequest("var/run/secrets", _source), new RecordingOperationContext()));
        Assert.Equal(PersistentStateErrors.ServiceAccountPathNotAbsolute, relative.ErrorId);

        Assert.Equal(PersistentStateErrors.UnsupportedPlatform,
            Assert.Throws<OperationException>(() => Repair(platform: new FakePlatform(false))).ErrorId);
        Assert.False(Directory.Exists(_root.Root + "/var"));
    }

    [Fact]
    public void Defaults_are_the_kubelet_path_and_the_cm_container_source()
    {
        var request = new RepairServiceAccountMountRequest();

        Assert.Equal("/var/run/secrets/kubernetes.io/serviceaccount", request.Path);
        Assert.Equal("/secret", request.Source);
    }
}
