using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using OptimGen.Storage;

namespace OptimGen;

/// <summary>
/// Elements [<see cref="Start"/>, <see cref="Start"/> + <see cref="Length"/>) of one tensor as the generated loop
/// reads and writes them: float32. Whatever is stored as float32 (the parameter, the gradient, a moment) is used in
/// place; whatever is stored compactly (bfloat16, 8-bit codes) is widened into a buffer before the loop runs and
/// narrowed back after it. Generated code calls this; an update formula never does.
/// </summary>
[System.ComponentModel.EditorBrowsable(System.ComponentModel.EditorBrowsableState.Never)]
public readonly ref struct ElementWindow
{
    private readonly ParameterTensor tensor;

    // [parameter | gradient | moment 0 | moment 1 | ...], `segment` floats each; empty when nothing is compact.
    private readonly Span<float> buffer;
    private readonly int segment;

    internal ElementWindow(ParameterTensor tensor, int start, int length, Span<float> buffer, int segment, bool startsChunk)
    {
        this.tensor = tensor;
        this.buffer = buffer;
        this.segment = segment;
        Start = start;
        Length = length;
        StartsChunk = startsChunk;
    }

    /// <summary>The first element of the window.</summary>
    public int Start { get; }

    /// <summary>The number of elements.</summary>
    public int Length { get; }

    /// <summary>Whether this is the first window of a chunk (the partial sums of the chunk start from zero).</summary>
    public bool StartsChunk { get; }

    /// <summary>The window's first parameter value.</summary>
    public ref float Parameter => ref tensor.HasFloatValues ? ref Element(tensor.Value.Span) : ref Segment(0);

    /// <summary>The window's first gradient value.</summary>
    public ref float Gradient => ref tensor.HasFloatGradient ? ref Element(tensor.Gradient.Span) : ref Segment(1);

    /// <summary>The parameter values of the window.</summary>
    public Span<float> Parameters => MemoryMarshal.CreateSpan(ref Parameter, Length);

    /// <summary>The gradient values of the window.</summary>
    public Span<float> Gradients => MemoryMarshal.CreateSpan(ref Gradient, Length);

    /// <summary>The buffer a window over <paramref name="length"/> elements of <paramref name="tensor"/> needs: none when everything is float32.</summary>
    internal static int BufferLength(ParameterTensor tensor, int length) => tensor.HasCompactStorage ? (2 + tensor.MomentCount) * length : 0;

    /// <summary>The window's first value of moment <paramref name="index"/> (not to be read while the moment is switched off).</summary>
    public ref float Moment(int index)
    {
        ref readonly var slice = ref tensor.StoredMoment(index);
        return ref slice.IsFloat32 ? ref Element(slice.Floats) : ref Segment(2 + index);
    }

    /// <summary>The values of moment <paramref name="index"/> in the window; empty while the moment is switched off.</summary>
    public Span<float> Moments(int index)
        => tensor.HasMoment(index) ? MemoryMarshal.CreateSpan(ref Moment(index), Length) : [];

    /// <summary>Widens whatever is stored compactly into the buffer: the parameter (unless a float32 master copy stands in), the gradient, the moments.</summary>
    internal void Widen()
    {
        if (!tensor.HasFloatValues)
        {
            BFloat16Span.ToSingle(tensor.BFloat16Value.Span.Slice(Start, Length), buffer.Slice(0, Length));
        }

        if (!tensor.HasFloatGradient)
        {
            BFloat16Span.ToSingle(tensor.BFloat16Gradient.Span.Slice(Start, Length), buffer.Slice(segment, Length));
        }

        for (var index = 0; index < tensor.MomentCount; index++)
        {
            ref readonly var slice = ref tensor.StoredMoment(index);
            if (!slice.IsFloat32 && slice.Length > 0)
            {
                slice.Read(Start, buffer.Slice((2 + index) * segment, Length));
            }
        }
    }

    /// <summary>
    /// Narrows what the loop wrote back into the compact forms: the moments, and the bfloat16 parameter values, from
    /// the buffer or from the float32 master copy, rounded as <paramref name="rounding"/> says with
    /// <paramref name="random"/> drawn at each element's index.
    /// </summary>
    internal void Narrow(BFloat16Rounding rounding, in CounterRandom random)
    {
        for (var index = 0; index < tensor.MomentCount; index++)
        {
            ref readonly var slice = ref tensor.StoredMoment(index);
            if (!slice.IsFloat32 && slice.Length > 0)
            {
                slice.Write(Start, buffer.Slice((2 + index) * segment, Length));
            }
        }

        if (tensor.ParameterFormat == StorageFormat.BFloat16)
        {
            var values = Parameters;
            var destination = tensor.BFloat16Value.Span.Slice(Start, Length);
            if (rounding == BFloat16Rounding.Stochastic)
            {
                BFloat16Span.FromSingleStochastic(values, destination, in random, (uint)Start);
            }
            else
            {
                BFloat16Span.FromSingle(values, destination);
            }
        }
    }

    private ref float Element(Span<float> span) => ref Unsafe.Add(ref MemoryMarshal.GetReference(span), Start);

    private ref float Segment(int index) => ref Unsafe.Add(ref MemoryMarshal.GetReference(buffer), index * segment);
}
