using System;
using System.Collections.Generic;

namespace OptimGen.Benchmarks.Configuration;

/// <summary>
/// The tensor lengths the benchmarks run at. BenchmarkDotNet reads them in the host process while it builds the
/// cases, so the dry job can keep only the smallest and finish in seconds.
/// </summary>
public static class Sizes
{
    /// <summary>Set by <see cref="Program"/> for <c>--job dry</c>.</summary>
    public static bool Dry { get; set; }

    /// <summary>4K (in L1/L2), 64K (L2), 1M (L3 or memory) and 16M (memory) floats.</summary>
    public static IEnumerable<int> All => Dry ? [4096] : [4096, 65536, 1 << 20, 1 << 24];

    /// <summary>The sizes where threads can pay for their hand-off: 1M and 16M floats.</summary>
    public static IEnumerable<int> Large => Dry ? [1 << 20] : [1 << 20, 1 << 24];

    /// <summary>One thread and every core; one value on a one-core machine.</summary>
    public static IEnumerable<int> Threads => Environment.ProcessorCount > 1 ? [1, Environment.ProcessorCount] : [1];
}
