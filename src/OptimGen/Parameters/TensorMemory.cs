using System;
using OptimGen.Storage;

namespace OptimGen;

/// <summary>
/// The memory a tensor is registered with: float32 parameter and gradient; or bfloat16 ones, with or without a
/// float32 master copy of the values (then <see cref="Value"/>).
/// </summary>
internal readonly record struct TensorMemory(Memory<float> Value, Memory<float> Gradient, Memory<BFloat16> BFloat16Value, Memory<BFloat16> BFloat16Gradient, bool IsBFloat16)
{
    public int Length => IsBFloat16 ? BFloat16Value.Length : Value.Length;

    public static TensorMemory Float32(Memory<float> value, Memory<float> gradient) => new(value, gradient, default, default, false);

    public static TensorMemory BFloat16(Memory<BFloat16> value, Memory<BFloat16> gradient, Memory<float> master) => new(master, default, value, gradient, true);

    /// <summary>Whether any of this memory overlaps <paramref name="other"/>'s registered memory.</summary>
    public bool Overlaps(TensorMemory other)
        => Bytes(Value).Overlaps(Bytes(other.Value)) || Bytes(Value).Overlaps(Bytes(other.Gradient))
            || Bytes(Gradient).Overlaps(Bytes(other.Value)) || Bytes(Gradient).Overlaps(Bytes(other.Gradient))
            || Bytes(BFloat16Value).Overlaps(Bytes(other.BFloat16Value)) || Bytes(BFloat16Value).Overlaps(Bytes(other.BFloat16Gradient))
            || Bytes(BFloat16Gradient).Overlaps(Bytes(other.BFloat16Value)) || Bytes(BFloat16Gradient).Overlaps(Bytes(other.BFloat16Gradient));

    private static ReadOnlySpan<byte> Bytes<T>(Memory<T> memory)
        where T : unmanaged
        => System.Runtime.InteropServices.MemoryMarshal.AsBytes((ReadOnlySpan<T>)memory.Span);
}
