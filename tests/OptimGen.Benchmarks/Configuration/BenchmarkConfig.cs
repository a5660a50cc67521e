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
    public static Job Measured { get; } = MeasuredTiming.WithToolchain(InProcessEmitToolchain.Instance).WithId("Measured");

    /// <summary>The measured job's timing, each case in a process of its own (BenchmarkDotNet's default toolchain).</summary>
    public static Job MeasuredOutOfProcess { get; } = MeasuredTiming.WithId("MeasuredOutOfProcess");

    private static Job MeasuredTiming => Job.Default
        .WithLaunchCount(1)
        .WithWarmupCount(3)
        .WithIterationCount(15)
        .WithIterationTime(TimeInterval.FromMilliseconds(50))
        .WithEvaluateOverhead(false);

    /// <summary>
    /// Each case once, in this process (no project to build, no child process): it checks that every benchmark sets
    /// up, runs and allocates nothing, not how fast.
    /// </summary>
    public static Job Dry { get; } = Job.Dry
        .WithToolchain(InProcessEmitToolchain.Instance)
        .WithId("Dry");

    /// <summary>
    /// The configuration for <paramref name="dry"/> or the measured job, with allocations and medians. With
    /// <paramref name="outOfProcess"/>, BenchmarkDotNet's default toolchain runs each case in a process of its own:
    /// its memory column then counts that process's allocations alone (in this process it also counts the host's
    /// background work, a few bytes per call). The build of that child project takes minutes on two cores, so its
    /// timeout is raised from BenchmarkDotNet's two minutes.
    /// </summary>
    public static IConfig Create(bool dry, bool outOfProcess = false)
    {
        var job = (dry, outOfProcess) switch
        {
            (true, false) => Dry,
            (true, true) => Job.Dry.WithId("DryOutOfProcess"),
            (false, false) => Measured,
            _ => MeasuredOutOfProcess,
        };

        var config = ManualConfig.Create(DefaultConfig.Instance)
            .AddJob(job)
            .WithBuildTimeout(System.TimeSpan.FromMinutes(20))
            .AddDiagnoser(MemoryDiagnoser.Default)
            .AddColumn(StatisticColumn.Median)
            .HideColumns(Column.Job, Column.Error);
        // A test runs the dry job from its Debug build; the measured job keeps the check against unoptimized code.
        return dry ? config.WithOptions(ConfigOptions.DisableOptimizationsValidator) : config;
    }
}
