using System;
using System.Runtime.InteropServices;

namespace OptimGen.Benchmarks.Buffers;

/// <summary>
/// <c>count</c> float buffers of one length, carved from one pinned block so that each starts 64-byte aligned and at
/// its own offset modulo 4096. Buffers that share a page offset make the CPU's store-to-load check see false
/// dependencies between them (4K aliasing), which costs 1.5-3x on a streaming loop; large arrays allocated one by
/// one all start at the same page offset, so every kernel here reads and writes buffers from this type.
/// </summary>
public sealed class StaggeredBuffers
{
    // 80 floats = 320 bytes: five cache lines, so eight buffers use eight distinct offsets in 4096 bytes.
    private const int StaggerFloats = 80;
    private const int PageFloats = 1024;
    private const int LineFloats = 16;

    private readonly float[] block;
    private readonly int[] starts;

    /// <summary>Allocates <paramref name="count"/> zeroed buffers of <paramref name="length"/> floats.</summary>
    public StaggeredBuffers(int count, int length)
    {
        Length = length;
        var stride = (length + PageFloats - 1) / PageFloats * PageFloats + PageFloats;
        block = GC.AllocateArray<float>(stride * count + StaggerFloats * count + LineFloats, pinned: true);
        var address = (long)Marshal.UnsafeAddrOfPinnedArrayElement(block, 0);
        var align = (int)((64 - address % 64) % 64) / sizeof(float);
        starts = new int[count];
        for (var i = 0; i < count; i++)
        {
            starts[i] = align + i * stride + i * StaggerFloats;
        }
    }

    /// <summary>The number of floats in each buffer.</summary>
    public int Length { get; }

    /// <summary>The number of buffers.</summary>
    public int Count => starts.Length;

    /// <summary>Buffer <paramref name="index"/>.</summary>
    public Span<float> this[int index] => block.AsSpan(starts[index], Length);

    /// <summary>Buffer <paramref name="index"/> as memory, for <see cref="Optimizer.Add(Memory{float}, Memory{float})"/>.</summary>
    public Memory<float> Memory(int index) => block.AsMemory(starts[index], Length);

    /// <summary>The start address of buffer <paramref name="index"/> modulo 4096, for the checks of the layout.</summary>
    public int PageOffset(int index) => (int)((long)Marshal.UnsafeAddrOfPinnedArrayElement(block, starts[index]) % 4096);

    /// <summary>
    /// Fills buffer <paramref name="index"/> with values of optimizer-like magnitudes, the same for the same seed;
    /// in [0, 1) where <paramref name="nonNegative"/> (a second moment), in [-0.5, 0.5) otherwise.
    /// </summary>
    public void Fill(int index, int seed, bool nonNegative = false)
    {
        var random = new Random(seed);
        var offset = nonNegative ? 0.0 : 0.5;
        var span = this[index];
        for (var i = 0; i < span.Length; i++)
        {
            span[i] = (float)(random.NextDouble() - offset);
        }
    }
}
