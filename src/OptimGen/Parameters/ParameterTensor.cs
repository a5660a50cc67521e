using System;
using OptimGen.Storage;

namespace OptimGen;

/// <summary>A registered parameter tensor: its values, its gradient, its moments and its step count.</summary>
public sealed class ParameterTensor
{
    private readonly MomentStore store;
    private readonly MomentSlice[] moments;
    private readonly bool[] allocated;
    private readonly bool[] placed;
    private readonly float[] startingValues;
    private readonly double[] stepState;
    private long stepCount;

    internal ParameterTensor(TensorMemory memory, MomentStore store, int momentCount, int stepStateCount, ParameterGroup group, int index, int slot)
    {
        this.store = store;
        Group = group;
        Index = index;
        Slot = slot;
        Value = memory.Value;
        Gradient = memory.Gradient;
        BFloat16Value = memory.BFloat16Value;
        BFloat16Gradient = memory.BFloat16Gradient;
        ParameterFormat = memory.IsBFloat16 ? StorageFormat.BFloat16 : StorageFormat.Float32;
        Length = memory.Length;
        moments = new MomentSlice[momentCount];
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

    /// <summary>
    /// The parameter's float32 values, updated in place by each step: the registered ones, or, for a bfloat16
    /// parameter registered with a master copy, the optimizer's float32 copy (empty for one without).
    /// </summary>
    public Memory<float> Value { get; }

    /// <summary>The float32 gradient the next step reads (empty for a bfloat16 gradient).</summary>
    public Memory<float> Gradient { get; }

    /// <summary>The bfloat16 parameter values a step rounds its result into (empty for a float32 parameter).</summary>
    public Memory<BFloat16> BFloat16Value { get; }

    /// <summary>The bfloat16 gradient the next step reads (empty for a float32 parameter).</summary>
    public Memory<BFloat16> BFloat16Gradient { get; }

    /// <summary>The registered memory, for the overlap checks.</summary>
    internal TensorMemory RegisteredMemory => new(Value, Gradient, BFloat16Value, BFloat16Gradient, ParameterFormat == StorageFormat.BFloat16);

    /// <summary>The format of the registered parameter and gradient: float32, or bfloat16.</summary>
    public StorageFormat ParameterFormat { get; }

    /// <summary>Whether the step updates float32 values in place: a float32 parameter, or a bfloat16 one's master copy.</summary>
    internal bool HasFloatValues => ParameterFormat == StorageFormat.Float32 || Value.Length == Length;

    /// <summary>Whether the gradient is float32.</summary>
    internal bool HasFloatGradient => ParameterFormat == StorageFormat.Float32;

    /// <summary>Whether anything of the tensor is stored compactly, so that a step widens it into a buffer.</summary>
    internal bool HasCompactStorage
    {
        get
        {
            if (ParameterFormat != StorageFormat.Float32)
            {
                return true;
            }

            foreach (var moment in moments)
            {
                if (!moment.IsFloat32 && moment.Length > 0)
                {
                    return true;
                }
            }

            return false;
        }
    }

    /// <summary>The number of elements.</summary>
    public int Length { get; }

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
    /// to a new block (values included) at the next access, so take the span again after either. A moment kept in a
    /// compact format has no float32 values to hand out: read it with <see cref="ReadMoment"/>.
    /// </summary>
    /// <exception cref="InvalidOperationException">The moment is stored as bfloat16 or 8-bit codes (see <see cref="MomentFormat"/>).</exception>
    public Span<float> Moment(int index)
    {
        store.EnsureLayout();
        var slice = moments[index];
        if (slice.IsFloat32 || slice.Length == 0)
        {
            return slice.IsFloat32 ? slice.Floats : [];
        }

        throw new InvalidOperationException(
            $"Moment {index} is stored as {slice.Format}, not as float32 values: read it with ReadMoment and write it with WriteMoment, or store it as Float32 (Optimizer.SetMomentStorage).");
    }

    /// <summary>The format moment <paramref name="index"/> is stored in.</summary>
    public StorageFormat MomentFormat(int index)
    {
        store.EnsureLayout();
        return moments[index].Format;
    }

    /// <summary>
    /// Copies the values of moment <paramref name="index"/>, widened to float32 whatever its format, into
    /// <paramref name="destination"/>, which must be as long as the tensor (or empty while the moment is switched off).
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="destination"/> has another length.</exception>
    public void ReadMoment(int index, Span<float> destination)
    {
        store.EnsureLayout();
        var slice = moments[index];
        SpanChecks.SameLength(destination.Length, slice.Length, nameof(destination));
        slice.Read(0, destination);
    }

    /// <summary>
    /// Sets the values of moment <paramref name="index"/> from float32 <paramref name="values"/>, rounded or quantized
    /// to its format; <paramref name="values"/> must be as long as the tensor (or empty while the moment is switched off).
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="values"/> has another length.</exception>
    public void WriteMoment(int index, ReadOnlySpan<float> values)
    {
        store.EnsureLayout();
        var slice = moments[index];
        SpanChecks.SameLength(values.Length, slice.Length, nameof(values));
        slice.Write(0, values);
    }

    /// <summary>Moment <paramref name="index"/>'s storage as a step uses it, after the step laid the blocks out.</summary>
    internal ref readonly MomentSlice StoredMoment(int index) => ref moments[index];

    /// <summary>Moment <paramref name="index"/>'s storage as the checkpoints use it, laid out.</summary>
    internal MomentSlice MomentSlice(int index)
    {
        store.EnsureLayout();
        return moments[index];
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

    /// <summary>Moves moment <paramref name="index"/> into <paramref name="slice"/> of a new block: its values (converted to the slice's format), or its starting value.</summary>
    internal void MoveMoment(int index, MomentSlice slice)
    {
        var old = moments[index];
        if (placed[index] && old.IsFloat32 && slice.IsFloat32)
        {
            old.Floats.CopyTo(slice.Floats);
        }
        else if (placed[index])
        {
            var values = new float[Length];
            old.Read(0, values);
            slice.Write(0, values);
        }
        else if (BitConverter.SingleToInt32Bits(startingValues[index]) != 0)
        {
            slice.Fill(startingValues[index]);
        }

        moments[index] = slice;
        placed[index] = true;
    }
}
