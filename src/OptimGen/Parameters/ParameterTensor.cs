using System;

namespace OptimGen;

/// <summary>A registered parameter tensor: its values, its gradient, its moments and its step count.</summary>
public sealed class ParameterTensor
{
    private readonly MomentStore store;
    private readonly Memory<float>[] moments;
    private readonly bool[] allocated;
    private readonly bool[] placed;
    private readonly float[] startingValues;
    private readonly double[] stepState;
    private long stepCount;

    internal ParameterTensor(Memory<float> value, Memory<float> gradient, MomentStore store, int momentCount, int stepStateCount, ParameterGroup group, int index, int slot)
    {
        this.store = store;
        Group = group;
        Index = index;
        Slot = slot;
        Value = value;
        Gradient = gradient;
        moments = new Memory<float>[momentCount];
        allocated = new bool[momentCount];
        placed = new bool[momentCount];
        startingValues = new float[momentCount];
        stepState = new double[stepStateCount];
    }

    /// <summary>The group the tensor steps with.</summary>
    public ParameterGroup Group { get; }

    /// <summary>The tensor's position in its group's <see cref="ParameterGroup.Tensors"/>.</summary>
    public int Index { get; }

    /// <summary>The tensor's position in <see cref="Optimizer.Parameters"/>.</summary>
    internal int Slot { get; }

    /// <summary>The parameter's values, updated in place by each step.</summary>
    public Memory<float> Value { get; }

    /// <summary>The gradient the next step reads.</summary>
    public Memory<float> Gradient { get; }

    /// <summary>The number of elements.</summary>
    public int Length => Value.Length;

    /// <summary>
    /// The number of elements of the whole tensor, which a formula reads as <c>ElementCount</c>: <see cref="Length"/>,
    /// or, for a shard (<see cref="Optimizer.AddShard"/>), the length of the tensor it is a slice of.
    /// </summary>
    public int ElementCount => WholeLength ?? Length;

    /// <summary>The whole tensor's length when this is a shard of it.</summary>
    internal int? WholeLength { get; set; }

    /// <summary>The number of steps applied to this tensor (PyTorch's per-parameter <c>step</c>).</summary>
    public long StepCount { get => stepCount; internal set => stepCount = value; }

    /// <summary>The step count's storage, which a checkpoint writes as bytes.</summary>
    internal ref readonly long StepCountField => ref stepCount;

    /// <summary>The number of moments (see <see cref="Optimizer.MomentNames"/>), whether or not they have memory.</summary>
    public int MomentCount => moments.Length;

    /// <summary>
    /// The values of moment <paramref name="index"/> (see <see cref="Optimizer.MomentNames"/>), or an empty span
    /// while a flag keeps that moment switched off. The values are a slice of the block that holds this moment for
    /// every tensor of the optimizer, 64-byte aligned; registering more tensors, or switching a moment on, moves them
    /// to a new block (values included) at the next access, so take the span again after either.
    /// </summary>
    public Span<float> Moment(int index)
    {
        store.EnsureLayout();
        return moments[index].Span;
    }

    /// <summary>Whether moment <paramref name="index"/> has memory.</summary>
    public bool HasMoment(int index) => allocated[index];

    /// <summary>
    /// The per-step scalar state of this tensor (see <see cref="Optimizer.StepStateNames"/>), such as NAdam's
    /// product of momentum coefficients; empty for optimizers without any.
    /// </summary>
    public Span<double> StepState => stepState;

    /// <summary>
    /// Gives moment <paramref name="index"/> memory, holding <paramref name="startingValue"/> everywhere, at the next
    /// layout of its block; whether it had none before.
    /// </summary>
    internal bool Allocate(int index, float startingValue = 0f)
    {
        if (allocated[index])
        {
            return false;
        }

        allocated[index] = true;
        startingValues[index] = startingValue;
        store.Invalidate(index);
        return true;
    }

    /// <summary>Moves moment <paramref name="index"/> into <paramref name="slice"/> of a new block: its values, or its starting value.</summary>
    internal void MoveMoment(int index, Memory<float> slice)
    {
        if (placed[index])
        {
            moments[index].Span.CopyTo(slice.Span);
        }
        else if (BitConverter.SingleToInt32Bits(startingValues[index]) != 0)
        {
            slice.Span.Fill(startingValues[index]);
        }

        moments[index] = slice;
        placed[index] = true;
    }
}
