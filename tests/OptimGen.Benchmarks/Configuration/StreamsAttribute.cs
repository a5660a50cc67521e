using System;

namespace OptimGen.Benchmarks.Configuration;

/// <summary>
/// How many float arrays a benchmark class's loops read and write per element (every pass counted), for the
/// summary's bandwidth column: the bytes the floor has to move.
/// </summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class StreamsAttribute(int reads, int writes) : Attribute
{
    /// <summary>Arrays read per element.</summary>
    public int Reads { get; } = reads;

    /// <summary>Arrays written per element.</summary>
    public int Writes { get; } = writes;

    /// <summary>Bytes moved per element.</summary>
    public int BytesPerElement => (Reads + Writes) * sizeof(float);
}
