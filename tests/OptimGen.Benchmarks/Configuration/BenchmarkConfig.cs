using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using Perfolizer.Horology;

namespace OptimGen.Benchmarks.Configuration;

/// <summary>The two jobs: the measured run behind docs/performance.md, and the dry run CI keeps compiling and running.</summary>
public static class BenchmarkConfig
{
    /// <summary>
    /// The measured job: one launch, 3 warmups and 15 iterations of about 50 ms each (the pilot stage picks the
    /// invocation count per case, thousands at 4K, one or two at 16M), so the whole catalog runs in about ten
    /// minutes on two cores. Overhead evaluation is skipped: a call costs nanoseconds against microseconds. The
    /// cases run in this process: BenchmarkDotNet's default toolchain rebuilds the runtime, the generator and this
    /// project for a child process without the shared compiler, which takes minutes on two cores, for no gain to
    /// loops that allocate nothing (each case gets a fresh instance and its own buffers, and warms up first).
    /// </summary>
    public static Job Measured { get; } = Job.Default
        .WithLaunchCount(1)
        .WithWarmupCount(3)
        .WithIterationCount(15)
        .WithIterationTime(TimeInterval.FromMilliseconds(50))
        .WithEvaluateOverhead(false)
        .WithToolchain(InProcessEmitToolchain.Instance)
        .WithId("Measured");

    /// <summary>
    /// Each case once, in this process (no project to build, no child process): it checks that every benchmark sets
    /// up, runs and allocates nothing, not how fast.
    /// </summary>
    public static Job Dry { get; } = Job.Dry
        .WithToolchain(InProcessEmitToolchain.Instance)
        .WithId("Dry");

    /// <summary>The configuration for <paramref name="dry"/> or the measured job, with allocations and medians.</summary>
    public static IConfig Create(bool dry)
    {
        var config = ManualConfig.Create(DefaultConfig.Instance)
            .AddJob(dry ? Dry : Measured)
            .AddDiagnoser(MemoryDiagnoser.Default)
            .AddColumn(StatisticColumn.Median)
            .HideColumns(Column.Job, Column.Error);
        // A test runs the dry job from its Debug build; the measured job keeps the check against unoptimized code.
        return dry ? config.WithOptions(ConfigOptions.DisableOptimizationsValidator) : config;
    }
}
