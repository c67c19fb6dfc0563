using System.Diagnostics;
using ClusterOps.Kubernetes.Auth;
using ClusterOps.Kubernetes.Config;
using ClusterOps.Kubernetes.Errors;
using ClusterOps.Kubernetes.Http;
using ClusterOps.Kubernetes.Input;

namespace ClusterOps.Tests.Kubernetes.Input;

/// <summary>
/// Issue 13 §3: a credential file (tokenFile, client certificate/key, CA) or any other file we read that is a FIFO
/// or a device ends in a clear error at once, instead of hanging (FIFO: open blocks until a writer comes) or
/// growing without bound (/dev/zero).
/// </summary>
public sealed class BoundedFileTests : IDisposable
{
    private static readonly TimeSpan Hang = TimeSpan.FromSeconds(20);
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    internal static string MakeFifo(TempDir dir, string name)
    {
        var path = dir.Combine(name);
        using var mkfifo = Process.Start(new ProcessStartInfo("mkfifo", [path]) { UseShellExecute = false })!;
        mkfifo.WaitForExit();
        Assert.Equal(0, mkfifo.ExitCode);
        return path;
    }

    /// <summary>True when <paramref name="task"/> ends (in any way) within <see cref="Hang"/>.</summary>
    internal static bool Finishes(Task task) => Task.WhenAny(task, Task.Delay(Hang)).GetAwaiter().GetResult() == task;

    private static UserEntry TokenFileUser(string path) => new() { Name = "alice", SourceFile = "/kubeconfig", TokenFile = path };

    private static readonly ClusterEntry Cluster = new() { Name = "c", Server = "https://127.0.0.1:1" };

    /// <summary>Ask the credentials for a header as a request would, failing (not hanging) if that blocks.</summary>
    private static async Task<Exception> ApplyFails(KubeCredentials credentials)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "https://127.0.0.1:1/api");
        var apply = Task.Run(async () => await credentials.ApplyAsync(request, new KubeLog(_ => { }, _ => { }), CancellationToken.None));
        var finished = await Task.WhenAny(apply, Task.Delay(Hang));
        Assert.True(finished == apply, "reading the token file hung");
        return await Assert.ThrowsAnyAsync<Exception>(() => apply);
    }

    [UnixFact]
    public async Task A_tokenFile_that_is_a_fifo_is_refused_without_hanging()
    {
        var fifo = MakeFifo(_dir, "token");

        var error = Assert.IsType<KubeAuthException>(await ApplyFails(KubeCredentials.Create(TokenFileUser(fifo), Cluster)));

        Assert.Contains(fifo, error.Message);
        Assert.Contains("named pipe (FIFO), not a regular file", error.Message);
    }

    [UnixFact]
    public async Task A_tokenFile_that_is_dev_zero_is_refused_without_reading_it()
    {
        var before = GC.GetTotalAllocatedBytes(precise: false);

        var error = Assert.IsType<KubeAuthException>(await ApplyFails(KubeCredentials.Create(TokenFileUser("/dev/zero"), Cluster)));

        Assert.Contains("'/dev/zero' is a character device", error.Message);
        // Process-wide (other tests run too), so only a loose bound: the old read grew without limit.
        Assert.True(GC.GetTotalAllocatedBytes(precise: false) - before < 512L * 1024 * 1024);
    }

    [UnixFact]
    public async Task A_symbolic_link_to_dev_zero_is_judged_by_its_target()
    {
        // Service-account tokens are symlinks (..data/token); what counts is the file they lead to.
        var link = _dir.Combine("token-link");
        File.CreateSymbolicLink(link, "/dev/zero");

        var error = Assert.IsType<KubeAuthException>(await ApplyFails(KubeCredentials.Create(TokenFileUser(link), Cluster)));

        Assert.Contains("character device", error.Message);
    }

    [Fact]
    public async Task A_tokenFile_over_the_credential_bound_is_refused_and_a_symlinked_small_one_is_read()
    {
        var big = _dir.Combine("big-token");
        using (var f = File.Create(big))
            f.SetLength(InputLimits.MaxCredentialFileBytes + 1);

        var error = Assert.IsType<KubeAuthException>(await ApplyFails(KubeCredentials.Create(TokenFileUser(big), Cluster)));
        Assert.Contains("at most 1 MiB", error.Message);

        var small = _dir.Write("data/token", "  tok-123\n");
        var link = _dir.Combine("token");
        File.CreateSymbolicLink(link, small);
        using var request = new HttpRequestMessage(HttpMethod.Get, "https://127.0.0.1:1/api");
        await KubeCredentials.Create(TokenFileUser(link), Cluster).ApplyAsync(request, new KubeLog(_ => { }, _ => { }), CancellationToken.None);
        Assert.Equal("Bearer tok-123", request.Headers.Authorization!.ToString());
    }

    [UnixFact]
    public void A_client_key_that_is_a_fifo_is_a_kubeconfig_error_at_once()
    {
        var key = MakeFifo(_dir, "client.key");
        var cert = _dir.Write("client.crt", "never parsed: reading the key fails first");
        var user = new UserEntry { Name = "bob", SourceFile = "/kubeconfig", ClientCertificate = cert, ClientKey = key };

        var create = Task.Run(() => KubeCredentials.Create(user, Cluster));

        Assert.True(Finishes(create), "reading the client key hung");
        var error = Assert.IsType<KubeConfigException>(create.Exception!.InnerException);
        Assert.Contains("client-key file", error.Message);
        Assert.Contains("named pipe", error.Message);
    }

    [UnixFact]
    public void A_certificate_authority_that_is_a_device_is_a_kubeconfig_error()
    {
        var cluster = Cluster with { CertificateAuthority = "/dev/zero", SourceFile = "/kubeconfig" };

        var error = Assert.Throws<KubeConfigException>(() => TlsTrust.For(cluster, new Uri("https://127.0.0.1:1")));

        Assert.Contains("certificate-authority file '/dev/zero'", error.Message);
        Assert.Contains("character device", error.Message);
    }

    [UnixFact]
    public void A_kubeconfig_that_is_a_fifo_is_a_kubeconfig_error_at_once()
    {
        var fifo = MakeFifo(_dir, "config");

        var load = Task.Run(() => KubeConfigLoader.Load(fifo));

        Assert.True(Finishes(load), "loading a FIFO kubeconfig hung");
        var error = Assert.IsType<KubeConfigException>(load.Exception!.InnerException);
        Assert.Equal(fifo, error.File);
        Assert.Contains("named pipe", error.Message);
    }

    [Fact]
    public void A_directory_is_refused_as_not_a_regular_file()
    {
        var error = Assert.Throws<InputLimitException>(() => BoundedFile.ReadText(_dir.Path, 1024, "token file"));
        Assert.Equal(InputLimit.NotRegularFile, error.Limit);
        Assert.Contains("is a directory", error.Message);
    }

    [Fact]
    public void A_missing_file_is_the_usual_file_not_found()
    {
        Assert.Throws<FileNotFoundException>(() => BoundedFile.ReadText(_dir.Combine("absent"), 1024, "token file"));
    }

    [Fact]
    public void Reading_honours_cancellation()
    {
        var path = _dir.Write("token", "t");
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();

        Assert.ThrowsAny<OperationCanceledException>(() => BoundedFile.ReadText(path, 1024, "token file", cancelled.Token));
    }

    [Fact]
    public void Text_is_decoded_as_File_ReadAllText_does_and_the_bound_is_inclusive()
    {
        var path = _dir.Combine("bom");
        File.WriteAllBytes(path, [0xEF, 0xBB, 0xBF, (byte)'o', (byte)'k']);

        Assert.Equal("ok", BoundedFile.ReadText(path, 5, "token file"));
        Assert.Equal(InputLimit.FileSize, Assert.Throws<InputLimitException>(() => BoundedFile.ReadText(path, 4, "token file")).Limit);
    }

    [UnixFact]
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    public void The_persistent_state_marker_is_read_through_the_bounded_reader()
    {
        if (!OperatingSystem.IsLinux())
            return;
        var fifo = MakeFifo(_dir, ".clusterops-state");

        var read = Task.Run(() => ClusterOps.Core.PersistentState.LinuxFileSystem.Instance.ReadFile(fifo));

        Assert.True(Finishes(read), "reading a FIFO marker hung");
        Assert.Equal(InputLimit.NotRegularFile, Assert.IsType<InputLimitException>(read.Exception!.InnerException).Limit);
    }
}
