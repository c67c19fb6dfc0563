// The sandbox API server's command line; the server itself lands with the sandbox issue.
Console.Error.WriteLine("ClusterOps.Sandbox: not implemented yet");
return 1;
