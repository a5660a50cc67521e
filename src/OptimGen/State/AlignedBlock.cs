using System;
using System.Runtime.InteropServices;

namespace OptimGen;

/// <summary>
/// Float blocks whose slices start on cache lines: a pinned array (the pinned object heap never moves it, so an
/// offset computed once keeps its alignment) and the offset of its first 64-byte boundary.
/// </summary>
internal static class AlignedBlock
{
    /// <summary>The alignment of every block and slice, in bytes: one cache line, and one 512-bit vector.</summary>
    public const int Alignment = 64;

    /// <summary>The alignment in floats: slices are padded to multiples of it.</summary>
    public const int Floats = Alignment / sizeof(float);

    /// <summary><paramref name="length"/> rounded up to a whole number of cache lines of floats.</summary>
    public static int Padded(int length) => checked((length + Floats - 1) / Floats * Floats);

    /// <summary>
    /// A zeroed pinned array with room for <paramref name="length"/> floats from <c>Offset</c>, the first element
    /// whose address is a multiple of 64.
    /// </summary>
    public static (float[] Array, int Offset) Allocate(int length)
    {
        var array = GC.AllocateArray<float>(checked(length + Floats - 1), pinned: true);
        var handle = GCHandle.Alloc(array, GCHandleType.Pinned);
        try
        {
            var address = (long)handle.AddrOfPinnedObject();
            var misalignment = (int)(address % Alignment);
            return (array, misalignment == 0 ? 0 : (Alignment - misalignment) / sizeof(float));
        }
        finally
        {
            handle.Free();
        }
    }
}
