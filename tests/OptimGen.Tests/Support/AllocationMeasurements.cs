using Xunit;

namespace OptimGen.Tests.Support;

/// <summary>
/// The tests that count allocated bytes run alone. Even a count for the current thread alone moves when another
/// test's allocations set off a collection mid-measurement: the thread's unused allocation buffer (about 8 KB) is then
/// counted as allocated, which once failed a catalog step that allocates nothing.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class AllocationMeasurements
{
    public const string Name = "Allocation measurements";
}
