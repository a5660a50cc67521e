using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace OptimGen;

/// <summary>
/// Blocks whose slices start on cache lines: a pinned array (the pinned object heap never moves it, so an offset
/// computed once keeps its alignment) and the offset of its first 64-byte boundary.
/// </summary>
internal static class AlignedBlock
{
    /// <summary>The alignment of every block and slice, in bytes: one cache line, and one 512-bit vector.</summary>
    public const int Alignment = 64;

    /// <summary>The alignment in floats: float slices are padded to multiples of it.</summary>
    public const int Floats = Alignment / sizeof(float);

    /// <summary><paramref name="length"/> floats rounded up to a whole number of cache lines.</summary>
    public static int Padded(int length) => Padded<float>(length);

    /// <summary><paramref name="length"/> elements of <typeparamref name="T"/> rounded up to a whole number of cache lines.</summary>
    public static int Padded<T>(int length)
        where T : unmanaged
    {
        var perLine = Alignment / Unsafe.SizeOf<T>();
        return checked((length + perLine - 1) / perLine * perLine);
    }

    /// <summary>
    /// A zeroed pinned float array with room for <paramref name="length"/> floats from <c>Offset</c>, the first element
    /// whose address is a multiple of 64.
    /// </summary>
    public static (float[] Array, int Offset) Allocate(int length) => Allocate<float>(length);

    /// <summary>The same as <see cref="Allocate(int)"/> for elements of <typeparamref name="T"/> (1, 2 or 4 bytes).</summary>
    public static (T[] Array, int Offset) Allocate<T>(int length)
        where T : unmanaged
    {
        var size = Unsafe.SizeOf<T>();
        var perLine = Alignment / size;
        var array = GC.AllocateArray<T>(checked(length + perLine - 1), pinned: true);
        var handle = GCHandle.Alloc(array, GCHandleType.Pinned);
        try
        {
            var address = (long)handle.AddrOfPinnedObject();
            var misalignment = (int)(address % Alignment);
            return (array, misalignment == 0 ? 0 : (Alignment - misalignment) / size);
        }
        finally
        {
            handle.Free();
        }
    }
}
