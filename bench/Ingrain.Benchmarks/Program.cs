using BenchmarkDotNet.Running;

// `make bench ARGS="--filter *"` runs the BenchmarkDotNet suites in this assembly. Custom one-run
// measurements (they print their own tables) are dispatched by name before BenchmarkDotNet sees the args.
if (args.Length > 0 && Ingrain.Benchmarks.CustomBenchmarks.TryRun(args))
{
    return 0;
}
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
return 0;
