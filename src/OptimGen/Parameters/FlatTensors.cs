using System;

namespace OptimGen;

/// <summary>
/// Parameters and gradients of many tensors in two flat blocks: one 64-byte aligned block holds every parameter,
/// another every gradient, each tensor's slice starting on a 64-byte boundary. Register them all at once with
/// <see cref="Optimizer.Add(FlatTensors)"/> or <see cref="ParameterGroup.Add(FlatTensors)"/>; a model that reads and
/// writes these slices steps over memory laid out as the optimizer's own moments are.
/// </summary>
public sealed class FlatTensors
{
    private readonly int[] lengths;
    private readonly int[] offsets;
    private readonly float[] parameters;
    private readonly float[] gradients;
    private readonly int parameterStart;
    private readonly int gradientStart;
    private readonly int totalLength;

    /// <summary>Allocates the two blocks, zeroed, for tensors of the given lengths (in elements).</summary>
    /// <exception cref="ArgumentNullException"><paramref name="lengths"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A length is negative.</exception>
    /// <exception cref="OverflowException">The tensors do not fit in one array.</exception>
    public FlatTensors(params int[] lengths)
    {
        ArgumentNullException.ThrowIfNull(lengths);
        this.lengths = (int[])lengths.Clone();
        offsets = new int[lengths.Length];
        var total = 0;
        for (var i = 0; i < lengths.Length; i++)
        {
            if (lengths[i] < 0)
            {
                throw new ArgumentOutOfRangeException(nameof(lengths), lengths[i], $"The length of tensor {i} is negative.");
            }

            offsets[i] = total;
            total = checked(total + AlignedBlock.Padded(lengths[i]));
        }

        totalLength = total;
        (parameters, parameterStart) = AlignedBlock.Allocate(total);
        (gradients, gradientStart) = AlignedBlock.Allocate(total);
    }

    /// <summary>The number of tensors.</summary>
    public int Count => lengths.Length;

    /// <summary>
    /// Every parameter, as one span: the tensors back to back in order, each followed by zeros up to the next
    /// multiple of 16 elements (the padding that keeps every slice 64-byte aligned).
    /// </summary>
    public Span<float> Parameters => parameters.AsSpan(parameterStart, totalLength);

    /// <summary>The parameter block as memory (padding included).</summary>
    internal Memory<float> ParameterBlock => parameters.AsMemory(parameterStart, totalLength);

    /// <summary>The gradient block as memory (padding included).</summary>
    internal Memory<float> GradientBlock => gradients.AsMemory(gradientStart, totalLength);

    /// <summary>Every gradient, as one span, laid out as <see cref="Parameters"/> (padding included).</summary>
    public Span<float> Gradients => gradients.AsSpan(gradientStart, totalLength);

    /// <summary>The number of elements of tensor <paramref name="index"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">No tensor has that index.</exception>
    public int Length(int index) => lengths[Check(index)];

    /// <summary>The parameter values of tensor <paramref name="index"/>: its 64-byte aligned slice of the parameter block.</summary>
    /// <exception cref="ArgumentOutOfRangeException">No tensor has that index.</exception>
    public Memory<float> Parameter(int index) => parameters.AsMemory(parameterStart + offsets[Check(index)], lengths[index]);

    /// <summary>The gradient of tensor <paramref name="index"/>: its 64-byte aligned slice of the gradient block.</summary>
    /// <exception cref="ArgumentOutOfRangeException">No tensor has that index.</exception>
    public Memory<float> Gradient(int index) => gradients.AsMemory(gradientStart + offsets[Check(index)], lengths[index]);

    private int Check(int index) => (uint)index < (uint)lengths.Length ? index
        : throw new ArgumentOutOfRangeException(nameof(index), index, $"There are {lengths.Length} tensors.");
}
