return 0; // benchmarks are added per issue: see docs/benchmarks.md
