using System;

namespace OptimGen;

/// <summary>A registered parameter tensor: its values, its gradient, its moments and its step count.</summary>
public sealed class ParameterTensor
{
    private readonly float[]?[] moments;
    private readonly double[] stepState;
    private long stepCount;

    internal ParameterTensor(Memory<float> value, Memory<float> gradient, int momentCount, int stepStateCount, ParameterGroup group, int index)
    {
        Group = group;
        Index = index;
        Value = value;
        Gradient = gradient;
        moments = new float[]?[momentCount];
        stepState = new double[stepStateCount];
    }

    /// <summary>The group the tensor steps with.</summary>
    public ParameterGroup Group { get; }

    /// <summary>The tensor's position in its group's <see cref="ParameterGroup.Tensors"/>.</summary>
    public int Index { get; }

    /// <summary>The parameter's values, updated in place by each step.</summary>
    public Memory<float> Value { get; }

    /// <summary>The gradient the next step reads.</summary>
    public Memory<float> Gradient { get; }

    /// <summary>The number of elements.</summary>
    public int Length => Value.Length;

    /// <summary>The number of steps applied to this tensor (PyTorch's per-parameter <c>step</c>).</summary>
    public long StepCount { get => stepCount; internal set => stepCount = value; }

    /// <summary>The step count's storage, which a checkpoint writes as bytes.</summary>
    internal ref readonly long StepCountField => ref stepCount;

    /// <summary>The number of moments (see <see cref="Optimizer.MomentNames"/>), whether or not they have memory.</summary>
    public int MomentCount => moments.Length;

    /// <summary>
    /// The values of moment <paramref name="index"/> (see <see cref="Optimizer.MomentNames"/>), or an empty span
    /// while a flag keeps that moment switched off.
    /// </summary>
    public Span<float> Moment(int index) => moments[index];

    /// <summary>Whether moment <paramref name="index"/> has memory.</summary>
    public bool HasMoment(int index) => moments[index] is not null;

    /// <summary>
    /// The per-step scalar state of this tensor (see <see cref="Optimizer.StepStateNames"/>), such as NAdam's
    /// product of momentum coefficients; empty for optimizers without any.
    /// </summary>
    public Span<double> StepState => stepState;

    /// <summary>Gives moment <paramref name="index"/> memory; whether it had none before.</summary>
    internal bool Allocate(int index)
    {
        if (moments[index] is not null)
        {
            return false;
        }

        moments[index] = new float[Length];
        return true;
    }
}
