using System.Text;
using ClusterOps.Core.Common;
using ClusterOps.Core.Scheduling;
using ClusterOps.Kubernetes.Config;
using ClusterOps.Kubernetes.Errors;
using ClusterOps.Kubernetes.Input;
using ClusterOps.Tests.Infrastructure;

namespace ClusterOps.Tests.Kubernetes.Input;

/// <summary>
/// Issue 13 §3: hostile YAML through every loader (Test-SchedulePolicy/Get-ScheduleTrigger -Path files and
/// kubeconfigs) ends in a clear error naming the file and the bound, in bounded memory, on any stack.
/// </summary>
public sealed class YamlBombTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    /// <summary>The 103-byte file of the issue that killed pwsh with a stack overflow.</summary>
    private const string SelfReference = "x: &r {y: *r}\n";

    /// <summary>Nine levels of nine aliases: 9^9 (387 million) "lol"s once expanded, 342 bytes written.</summary>
    internal static readonly string BillionLaughs = """
        a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
        b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
        c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
        d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
        e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
        f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
        g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
        h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
        i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]
        """ + "\n";

    private static string FlowNesting(int levels) => "x: " + new string('[', levels) + new string(']', levels) + "\n";

    private static string BlockNesting(int levels)
    {
        var text = new StringBuilder();
        for (var i = 0; i < levels; i++)
            text.Append(' ', i).Append("k:\n");
        return text.Append(' ', levels).Append("v\n").ToString();
    }

    /// <summary>
    /// Runs <paramref name="action"/> on a thread with a 256 KiB stack (a quarter of the smallest default thread
    /// stack, Windows' 1 MiB): any recursion per nesting level would overflow it and kill the test host, which
    /// fails the run loudly. Returns what it threw.
    /// </summary>
    private static Exception? OnSmallStack(Action action)
    {
        Exception? caught = null;
        var thread = new Thread(() =>
        {
            try { action(); }
            catch (Exception ex) { caught = ex; }
        }, 256 * 1024);
        thread.Start();
        thread.Join();
        return caught;
    }

    /// <summary>Bytes allocated by this thread while <paramref name="action"/> runs: expansion would show here.</summary>
    private static long Allocated(Action action)
    {
        var before = GC.GetAllocatedBytesForCurrentThread();
        action();
        return GC.GetAllocatedBytesForCurrentThread() - before;
    }

    [Fact]
    public void A_self_referencing_alias_in_a_policy_file_is_refused_naming_the_file()
    {
        var path = _dir.Write("cycle.yaml", SelfReference);

        var error = Assert.Throws<OperationException>(() => SchedulePolicyYaml.LoadFile(path));

        Assert.Equal(SchedulePolicyYaml.InputRefused, error.ErrorId);
        Assert.Equal(InputLimit.AliasCycle, Assert.IsType<InputLimitException>(error.InnerException).Limit);
        Assert.Contains(path, error.Message);
        Assert.Contains("'*r'", error.Message);
        Assert.Contains("line 1", error.Message);
    }

    [Fact]
    public void A_self_referencing_alias_in_a_kubeconfig_is_a_kubeconfig_error()
    {
        var path = _dir.Write("config", "apiVersion: v1\nclusters: &c [{name: a, cluster: {server: https://x, more: *c}}]\n");

        var error = Assert.Throws<KubeConfigException>(() => KubeConfigLoader.Load(path));

        Assert.Equal(path, error.File);
        Assert.Equal(2, error.Line);
        Assert.Contains("cyclic", error.Message);
    }

    [Fact]
    public void An_alias_to_a_complete_node_is_still_read_and_expanded()
    {
        // Aliases are legal YAML; only the cyclic and the explosive ones are refused.
        var obj = Assert.Single(SchedulePolicyYaml.ReadObjects(new StringReader("base: &b {retain: 3, times: [1, 2]}\ncopy: *b\n")));
        Assert.Equal("""{"base":{"retain":3,"times":[1,2]},"copy":{"retain":3,"times":[1,2]}}""", obj.ToJsonString());
    }

    [Fact]
    public void Billion_laughs_is_refused_at_the_node_bound_without_expanding()
    {
        var path = _dir.Write("laughs.yaml", BillionLaughs);
        Assert.InRange(new FileInfo(path).Length, 300, 1024); // the issue's file was 638 bytes

        OperationException? error = null;
        var allocated = Allocated(() => error = Assert.Throws<OperationException>(() => SchedulePolicyYaml.LoadFile(path)));

        Assert.Equal(SchedulePolicyYaml.InputRefused, error!.ErrorId);
        Assert.Equal(InputLimit.Nodes, Assert.IsType<InputLimitException>(error.InnerException).Limit);
        Assert.StartsWith($"The schedule policy file '{path}' expands to more than 1,000,000 nodes", error.Message);
        // Before the bound it grew to 3.9 GB; counting, not building, keeps it to a few kilobytes of events.
        Assert.True(allocated < 8L * 1024 * 1024, $"allocated {allocated:N0} bytes");
    }

    [Fact]
    public void Billion_laughs_in_a_kubeconfig_on_KUBECONFIG_is_a_kubeconfig_error_naming_that_file()
    {
        var good = _dir.Write("good", "apiVersion: v1\ncurrent-context: a\n");
        var bomb = _dir.Write("bomb", "apiVersion: v1\npreferences:\n" + string.Join("\n", BillionLaughs.Split('\n').Select(l => "  " + l)));
        var env = new KubeEnvironment(v => v == "KUBECONFIG" ? good + Path.PathSeparator + bomb : null, "/nonexistent-home", "/nonexistent-sa");

        var error = Assert.Throws<KubeConfigException>(() => KubeConfigLoader.Load(null, env));

        Assert.Equal(bomb, error.File);
        Assert.StartsWith($"The kubeconfig file '{bomb}' expands to more than 1,000,000 nodes", error.Message);
    }

    [Theory]
    [InlineData(20_000)]
    [InlineData(100_000)]
    public void Deep_flow_nesting_is_refused_on_a_small_stack(int levels)
    {
        var path = _dir.Write("deep.yaml", FlowNesting(levels));

        var error = OnSmallStack(() => SchedulePolicyYaml.LoadFile(path));

        var refused = Assert.IsType<OperationException>(error);
        Assert.Equal(InputLimit.Depth, Assert.IsType<InputLimitException>(refused.InnerException).Limit);
        Assert.Contains(path, refused.Message);
        Assert.Contains("1,000 levels", refused.Message);
    }

    [Fact]
    public void Deep_block_nesting_in_a_kubeconfig_is_refused_on_a_small_stack()
    {
        var path = _dir.Write("config", "apiVersion: v1\npreferences:\n" + string.Join("\n", BlockNesting(5000).Split('\n').Select(l => "  " + l)));

        var error = OnSmallStack(() => KubeConfigLoader.Load(path));

        var refused = Assert.IsType<KubeConfigException>(error);
        Assert.Equal(path, refused.File);
        Assert.Equal(InputLimit.Depth, Assert.IsType<InputLimitException>(refused.InnerException).Limit);
    }

    [Fact]
    public void Nesting_of_exactly_the_bound_is_read_and_converted_without_recursion()
    {
        // 1 mapping + 999 lists = 1,000 levels: allowed; one more is not.
        var atBound = FlowNesting(InputLimits.MaxDepth - 1);
        var overBound = FlowNesting(InputLimits.MaxDepth);

        Exception? error = OnSmallStack(() =>
        {
            var root = Assert.Single(BoundedYaml.Parse(atBound, "at-bound"));
            var json = BoundedYaml.ToJson(root, s => System.Text.Json.Nodes.JsonValue.Create(s.Value))!;
            var depth = 0;
            for (var node = json["x"]; node is System.Text.Json.Nodes.JsonArray a; node = a.Count > 0 ? a[0] : null)
                depth++;
            Assert.Equal(InputLimits.MaxDepth - 1, depth);
        });
        Assert.Null(error);

        var over = Assert.Throws<InputLimitException>(() => BoundedYaml.Parse(overBound, "over-bound"));
        Assert.Equal(InputLimit.Depth, over.Limit);
        Assert.Equal("over-bound", over.InputName);
    }

    [Fact]
    public void An_alias_counts_with_the_depth_of_the_node_it_names()
    {
        // Two 600-deep halves: each within the bound, the alias puts one inside the other (1,200 levels expanded).
        var yaml = "a: &deep " + new string('[', 600) + new string(']', 600) + "\nb: " + new string('[', 600) + "*deep" + new string(']', 600) + "\n";

        var error = Assert.Throws<InputLimitException>(() => BoundedYaml.Parse(yaml, "aliased-depth"));

        Assert.Equal(InputLimit.Depth, error.Limit);
        Assert.Equal(2, error.Line);
    }

    [Fact]
    public void Node_bound_allows_just_under_a_million_and_refuses_just_over()
    {
        // A 1,000-item list (1,001 nodes) used n+1 times inside a root list: 1 + 1,001 * (n + 1) nodes.
        static string Uses(int aliases) =>
            "- &a [" + string.Join(",", Enumerable.Repeat("1", 1000)) + "]\n" + string.Concat(Enumerable.Repeat("- *a\n", aliases));

        Assert.Single(BoundedYaml.Parse(Uses(997), "under"));          // 998,999 nodes
        var over = Assert.Throws<InputLimitException>(() => BoundedYaml.Parse(Uses(999), "over")); // 1,001,001
        Assert.Equal(InputLimit.Nodes, over.Limit);
    }

    [Fact]
    public void The_node_bound_counts_across_all_documents_of_a_file()
    {
        // Anchors are per document, but the budget is the file's: many documents cannot add up past it.
        var doc = "- &a [" + string.Join(",", Enumerable.Repeat("1", 1000)) + "]\n" + string.Concat(Enumerable.Repeat("- *a\n", 300));
        var error = Assert.Throws<InputLimitException>(() => BoundedYaml.Parse(string.Join("---\n", Enumerable.Repeat(doc, 4)), "docs"));
        Assert.Equal(InputLimit.Nodes, error.Limit);
    }

    [Fact]
    public void Anchors_do_not_leak_into_the_next_document()
    {
        var error = Assert.Throws<YamlInputException>(() => BoundedYaml.Parse("a: &x 1\n---\nb: *x\n", "two-docs"));
        Assert.Equal(3, error.Line);
        Assert.Contains("'*x'", error.Message);
    }

    [Fact]
    public void A_duplicate_key_is_invalid_yaml_with_its_line_not_a_raw_exception()
    {
        var error = Assert.Throws<OperationException>(() => SchedulePolicyYaml.ReadObjects(new StringReader("kind: SchedulePolicy\nmetadata: {name: a}\nkind: Other\n"), "dup.yaml"));
        Assert.Equal(SchedulePolicyYaml.YamlInvalid, error.ErrorId);
        Assert.Contains("line 3", error.Message);
        Assert.Contains("'kind' appears twice", error.Message);
    }

    [Fact]
    public void An_oversized_policy_file_is_refused_before_it_is_read()
    {
        var path = _dir.Combine("huge.yaml");
        using (var f = File.Create(path))
            f.SetLength(InputLimits.MaxYamlFileBytes + 1); // sparse: costs no disk

        var allocated = Allocated(() =>
        {
            var error = Assert.Throws<OperationException>(() => SchedulePolicyYaml.LoadFile(path));
            Assert.Equal(SchedulePolicyYaml.InputRefused, error.ErrorId);
            Assert.Contains("16 MiB", error.Message);
            Assert.Contains(path, error.Message);
        });
        Assert.True(allocated < 1024 * 1024, $"allocated {allocated:N0} bytes");
    }

    [Fact]
    public void A_file_of_exactly_the_size_bound_is_read()
    {
        // A comment line padded to the bound: the limit is inclusive.
        var path = _dir.Combine("big.yaml");
        var head = "apiVersion: v1\nkind: ConfigMap\n#";
        File.WriteAllText(path, head + new string('x', (int)InputLimits.MaxYamlFileBytes - head.Length));
        Assert.Equal(InputLimits.MaxYamlFileBytes, new FileInfo(path).Length);

        // Read and parsed to the end: it only lacks a policy.
        Assert.Equal(SchedulePolicyYaml.NoPolicyInFile, Assert.Throws<OperationException>(() => SchedulePolicyYaml.LoadFile(path)).ErrorId);
        File.AppendAllText(path, "x");
        Assert.Equal(SchedulePolicyYaml.InputRefused, Assert.Throws<OperationException>(() => SchedulePolicyYaml.LoadFile(path)).ErrorId);
    }

    [UnixFact]
    public async Task A_policy_path_that_is_a_fifo_is_refused_at_once()
    {
        var fifo = BoundedFileTests.MakeFifo(_dir, "policy.yaml");
        var context = new RecordingOperationContext();

        var run = Task.Run(() => OfflineScheduleOperations.TestFile(fifo, quiet: false, context));

        Assert.True(BoundedFileTests.Finishes(run), "Test-SchedulePolicy hung on a FIFO");
        await run;
        var (error, target) = Assert.Single(context.Errors);
        Assert.Equal(SchedulePolicyYaml.InputRefused, Assert.IsType<OperationException>(error).ErrorId);
        Assert.Contains("named pipe", error.Message);
        Assert.Equal(fifo, target);
    }

    [Fact]
    public void Test_SchedulePolicy_reports_a_bomb_as_a_non_terminating_error_and_checks_the_next_file()
    {
        var bomb = _dir.Write("bomb.yaml", SelfReference);
        var context = new RecordingOperationContext();

        OfflineScheduleOperations.TestFile(bomb, quiet: false, context);

        var (error, target) = Assert.Single(context.Errors);
        Assert.Equal(SchedulePolicyYaml.InputRefused, Assert.IsType<OperationException>(error).ErrorId);
        Assert.Equal(bomb, target);
    }
}
