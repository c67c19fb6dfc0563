// Benchmarks land with the benchmark issue.
Console.WriteLine("ClusterOps.Bench: no scenarios yet");
return 0;
