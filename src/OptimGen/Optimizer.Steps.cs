using System;
using System.Collections.Generic;
using System.Numerics;
using System.Runtime.InteropServices;
using System.Threading;
using OptimGen.Storage;

namespace OptimGen;

// Step() around the generated update: groups, schedules, clipping, the non-finite guard, and the flag that keeps a
// save or a load from running during a step.
public abstract partial class Optimizer
{
    private readonly List<ParameterGroup> groups = [];
    private HyperparameterInfo[]? hyperparameters;
    private double[] savedValues = [];
    private double[] groupValues = [];
    private float[] referenceBuffer = [];
    private double? maxGradientNorm;
    private double? maxGradientValue;
    private int busy;

    /// <summary>
    /// The hyperparameters, in declaration order: name, type, interval, default. Groups, schedules and checkpoints
    /// name hyperparameters by these names (the property names, such as <c>LearningRate</c>).
    /// </summary>
    public IReadOnlyList<HyperparameterInfo> Hyperparameters => hyperparameters ??= DescribeHyperparameters();

    /// <summary>
    /// The parameter groups; <c>Groups[0]</c> is the default group that <see cref="Add(float[], float[])"/> fills.
    /// The optimizer's hyperparameter properties are the values every group uses unless it sets its own: setting
    /// one changes every group that does not (PyTorch's defaults, applied to the groups that take them).
    /// </summary>
    public IReadOnlyList<ParameterGroup> Groups
    {
        get
        {
            _ = DefaultGroup;
            return groups;
        }
    }

    /// <summary>The number of steps skipped because a gradient held a NaN or an infinity.</summary>
    public long SkippedSteps { get; private set; }

    /// <summary>
    /// Clips the gradients by their global L2 norm over every tensor of the optimizer before each step, as PyTorch's
    /// <c>clip_grad_norm_</c>: when the norm exceeds it, each gradient is scaled by <c>max / (norm + 1e-6)</c>. The
    /// scale is applied where the fused loop loads the gradient; the gradient arrays are not written. Null: off.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is not positive and finite.</exception>
    public double? MaxGradientNorm
    {
        get => maxGradientNorm;
        set => maxGradientNorm = value is null or (> 0 and < double.PositiveInfinity) ? value
            : throw new ArgumentOutOfRangeException(nameof(MaxGradientNorm), value, "MaxGradientNorm must be positive and finite, or null.");
    }

    /// <summary>
    /// Clamps every gradient element into <c>[-max, max]</c> before each step, as PyTorch's <c>clip_grad_value_</c>,
    /// in place in the gradient arrays (before norm clipping when both are on). Null: off.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is not positive and finite.</exception>
    public double? MaxGradientValue
    {
        get => maxGradientValue;
        set => maxGradientValue = value is null or (> 0 and < double.PositiveInfinity) ? value
            : throw new ArgumentOutOfRangeException(nameof(MaxGradientValue), value, "MaxGradientValue must be positive and finite, or null.");
    }

    /// <summary>
    /// Skips a step whose gradients hold a NaN or an infinity anywhere: nothing is written, <see cref="SkippedSteps"/>
    /// counts it and <see cref="StepResult.Skipped"/> says so. Off, it costs nothing; on, one read pass over the
    /// gradients, shared with norm clipping.
    /// </summary>
    public bool SkipNonFiniteSteps { get; set; }

    /// <summary>
    /// The factor the generated loop multiplies each gradient element by where it loads it: 1, except during a step
    /// that clips by norm. Generated code reads it; an update formula never does.
    /// </summary>
    [System.ComponentModel.EditorBrowsable(System.ComponentModel.EditorBrowsableState.Never)]
    protected float GradientScale { get; private set; } = 1f;

    private ParameterGroup DefaultGroup
    {
        get
        {
            if (groups.Count == 0)
            {
                groups.Add(new ParameterGroup(this, 0, Hyperparameters.Count));
            }

            return groups[0];
        }
    }

    /// <summary>
    /// Adds a parameter group with its own values of the hyperparameters named in <paramref name="values"/> (property
    /// names, such as <c>"WeightDecay"</c>); the others follow the optimizer's properties. Groups may be added at any
    /// time; a new group's tensors start from step 0, as in PyTorch.
    /// </summary>
    /// <exception cref="ArgumentException">A name is not a hyperparameter of this optimizer.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A value is outside its hyperparameter's interval.</exception>
    public ParameterGroup AddGroup(IReadOnlyDictionary<string, double>? values = null)
    {
        var indices = new List<(int Index, double Value)>();
        foreach (var (name, value) in values ?? new Dictionary<string, double>())
        {
            var index = HyperparameterIndex(name);
            Hyperparameters[index].Check(value, $"Group {groups.Count}");
            indices.Add((index, value));
        }

        ParameterGroup? group = null;
        WhileIdle(() =>
        {
            _ = DefaultGroup;
            group = new ParameterGroup(this, groups.Count, Hyperparameters.Count);
            groups.Add(group);
        });
        foreach (var (index, value) in indices)
        {
            group![Hyperparameters[index].Name] = value;
        }

        return group!;
    }

    /// <summary>The table behind <see cref="Hyperparameters"/>; the generator overrides it.</summary>
    protected virtual HyperparameterInfo[] DescribeHyperparameters() => [];

    /// <summary>The current value of hyperparameter <paramref name="index"/>, as a double (a bool as 1 or 0).</summary>
    /// <exception cref="ArgumentOutOfRangeException">No hyperparameter has that index.</exception>
    protected virtual double GetHyperparameter(int index) => throw new ArgumentOutOfRangeException(nameof(index), index, "No hyperparameter has this index.");

    /// <summary>Sets hyperparameter <paramref name="index"/> through its property, which checks the value.</summary>
    /// <exception cref="ArgumentOutOfRangeException">No hyperparameter has that index, or the value is outside its interval.</exception>
    protected virtual void SetHyperparameter(int index, double value) => throw new ArgumentOutOfRangeException(nameof(index), index, "No hyperparameter has this index.");

    internal double CurrentValue(int index) => GetHyperparameter(index);

    internal int HyperparameterIndex(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var table = Hyperparameters;
        for (var i = 0; i < table.Count; i++)
        {
            if (table[i].Name == name)
            {
                return i;
            }
        }

        var known = new List<string>();
        foreach (var info in table)
        {
            known.Add(info.Name);
        }

        throw new ArgumentException($"{GetType().Name} has no hyperparameter '{name}'; its hyperparameters are {string.Join(", ", known)}.", nameof(name));
    }

    /// <summary>Runs <paramref name="action"/> while no step, save or load runs, and keeps them out meanwhile.</summary>
    internal void WhileIdle(Action action)
    {
        Enter();
        try
        {
            action();
        }
        finally
        {
            Exit();
        }
    }

    internal ParameterTensor Register(ParameterGroup group, Memory<float> parameter, Memory<float> gradient)
    {
        CheckPair(parameter.Length, gradient.Length, parameter.Span.Overlaps(gradient.Span));
        return Register(group, TensorMemory.Float32(parameter, gradient));
    }

    internal ParameterTensor Register(ParameterGroup group, Memory<BFloat16> parameter, Memory<BFloat16> gradient, bool masterCopy)
    {
        CheckPair(parameter.Length, gradient.Length, parameter.Span.Overlaps(gradient.Span));
        Memory<float> master = default;
        if (masterCopy)
        {
            master = new float[parameter.Length];
            BFloat16Span.ToSingle(parameter.Span, master.Span);
        }

        return Register(group, TensorMemory.BFloat16(parameter, gradient, master));
    }

    private static void CheckPair(int parameterLength, int gradientLength, bool overlap)
    {
        if (parameterLength != gradientLength)
        {
            throw new ArgumentException(
                $"The gradient has {gradientLength} elements but the parameter has {parameterLength}.", "gradient");
        }

        if (overlap)
        {
            throw new ArgumentException("The parameter and its gradient share memory.", "gradient");
        }
    }

    private ParameterTensor Register(ParameterGroup group, TensorMemory memory)
    {
        ParameterTensor? tensor = null;
        WhileIdle(() =>
        {
            foreach (var other in parameters)
            {
                if (memory.Overlaps(other.RegisteredMemory))
                {
                    throw new ArgumentException($"The parameter or its gradient overlaps the memory of tensor {other.Index} of group {other.Group.Index}: a tensor is registered once.", "parameter");
                }
            }

            tensor = NewTensor(group, memory);
            WithGroupValues(group, () => AllocateActiveMoments(tensor));
        });
        return tensor!;
    }

    internal IReadOnlyList<ParameterTensor> RegisterAll(ParameterGroup group, FlatTensors flat)
    {
        ArgumentNullException.ThrowIfNull(flat);
        var added = new ParameterTensor[flat.Count];
        WhileIdle(() =>
        {
            // The two blocks are checked whole: their tensors cannot overlap each other.
            foreach (var other in parameters)
            {
                if (TensorMemory.Float32(flat.ParameterBlock, flat.GradientBlock).Overlaps(other.RegisteredMemory))
                {
                    throw new ArgumentException($"These flat tensors overlap the memory of tensor {other.Index} of group {other.Group.Index}: they are registered already.", nameof(flat));
                }
            }

            for (var i = 0; i < added.Length; i++)
            {
                added[i] = NewTensor(group, TensorMemory.Float32(flat.Parameter(i), flat.Gradient(i)));
            }

            WithGroupValues(group, () =>
            {
                foreach (var tensor in added)
                {
                    AllocateActiveMoments(tensor);
                }
            });
        });
        return added;
    }

    private ParameterTensor NewTensor(ParameterGroup group, TensorMemory memory)
    {
        var tensor = new ParameterTensor(memory, Moments, MomentNames.Count, StepStateNames.Count, group, group.Tensors.Count, parameters.Count);
        parameters.Add(tensor);
        group.AddTensor(tensor);
        return tensor;
    }

    /// <summary>Runs <paramref name="action"/> with the group's hyperparameter values in the fields, then restores them.</summary>
    internal void WithGroupValues(ParameterGroup group, Action action)
    {
        var count = Hyperparameters.Count;
        var saved = new double[count];
        for (var i = 0; i < count; i++)
        {
            saved[i] = GetHyperparameter(i);
        }

        try
        {
            for (var i = 0; i < count; i++)
            {
                SetHyperparameter(i, group.Value(i));
            }

            action();
        }
        finally
        {
            for (var i = 0; i < count; i++)
            {
                SetHyperparameter(i, saved[i]);
            }
        }
    }

    private void Enter()
    {
        if (Interlocked.CompareExchange(ref busy, 1, 0) != 0)
        {
            throw new InvalidOperationException(
                $"The optimizer '{GetType().Name}' is busy with a step, a save, a load or a registration on another thread; these run one at a time.");
        }
    }

    private void Exit() => Volatile.Write(ref busy, 0);

    private StepResult StepAll(bool reference)
    {
        Enter();
        try
        {
            if (parameters.Count == 0)
            {
                throw new InvalidOperationException($"Step() on '{GetType().Name}' with no tensors: register parameters with Add first.");
            }

            foreach (var group in groups)
            {
                group.CheckSchedules();
            }

            CheckGroupRules();

            var norm = double.NaN;
            var scale = 1f;
            if (SkipNonFiniteSteps || maxGradientNorm is not null || maxGradientValue is not null)
            {
                var (finite, sumOfSquares) = ReadGradients(maxGradientValue is { } limit ? (float)limit : float.PositiveInfinity);
                shardCollective?.CombineGradientCheck(ref finite, ref sumOfSquares);
                norm = Math.Sqrt(sumOfSquares);
                if (!finite && SkipNonFiniteSteps)
                {
                    SkippedSteps++;
                    return new StepResult(Skipped: true, norm);
                }

                if (maxGradientValue is { } clamp)
                {
                    ClampGradients((float)clamp);
                }

                if (maxGradientNorm is { } max)
                {
                    // clip_grad_norm_: clip_coef = max_norm / (total_norm + 1e-6), clamped to 1.
                    scale = (float)Math.Min(max / (norm + 1e-6), 1d);
                }
            }

            StepGroups(reference, scale);
            return new StepResult(Skipped: false, norm);
        }
        finally
        {
            Exit();
        }
    }

    // Each group's values against the declaration's [Requires] rules, before anything (a clamped gradient) is written.
    private void CheckGroupRules()
    {
        if (!HasHyperparameterRules)
        {
            return;
        }

        SaveValues();
        try
        {
            foreach (var group in groups)
            {
                LoadValues(group);
                CheckHyperparameterRules();
            }
        }
        finally
        {
            RestoreValues();
        }
    }

    private void StepGroups(bool reference, float scale)
    {
        SaveValues();
        GradientScale = scale;
        try
        {
            // Moments a flag switched on take their places first, so that the blocks are laid out once.
            foreach (var group in groups)
            {
                LoadValues(group);
                var tensors = group.Tensors;
                for (var t = 0; t < tensors.Count; t++)
                {
                    var tensor = tensors[t];
                    AllocateActiveMoments(tensor);
                }

                RestoreValues();
            }

            Moments.EnsureLayout();
            if (reference)
            {
                foreach (var group in groups)
                {
                    LoadValues(group);
                    var tensors = group.Tensors;
                    for (var t = 0; t < tensors.Count; t++)
                    {
                        var tensor = tensors[t];
                        AdvanceTensor(tensor);
                        ReferenceTensor(tensor);
                    }

                    RestoreValues();
                }
            }
            else
            {
                StepInChunks();
            }

            foreach (var group in groups)
            {
                group.AdvanceSchedules();
            }
        }
        finally
        {
            GradientScale = 1f;
            RestoreValues();
        }
    }

    // The optimizer's own values, kept while a group's are in the fields (arrays reused: no allocation per step).
    private void SaveValues()
    {
        var count = Hyperparameters.Count;
        if (savedValues.Length != count)
        {
            savedValues = new double[count];
            groupValues = new double[count];
        }

        for (var i = 0; i < count; i++)
        {
            savedValues[i] = GetHyperparameter(i);
        }
    }

    // A group's values into the fields: all read first, then all set, as a group's value may follow the optimizer's.
    private void LoadValues(ParameterGroup group)
    {
        for (var i = 0; i < groupValues.Length; i++)
        {
            groupValues[i] = group.Value(i);
        }

        for (var i = 0; i < groupValues.Length; i++)
        {
            SetHyperparameter(i, groupValues[i]);
        }
    }

    private void RestoreValues()
    {
        for (var i = 0; i < savedValues.Length; i++)
        {
            SetHyperparameter(i, savedValues[i]);
        }
    }

    // PyTorch's state initialization at a tensor's first step, then its step count.
    private void AdvanceTensor(ParameterTensor tensor)
    {
        if (tensor.StepCount == 0)
        {
            Initialize(tensor);
        }

        tensor.StepCount++;
    }

    // The scalar reference over one whole tensor: what is stored compactly is widened into a buffer the optimizer
    // keeps (this path is for checking, not speed), the declared method runs on floats, and the result is narrowed
    // back exactly as Step() narrows it, 8-bit blocks and stochastic rounding included.
    private void ReferenceTensor(ParameterTensor tensor)
    {
        var length = ElementWindow.BufferLength(tensor, tensor.Length);
        if (length == 0)
        {
            ReferenceStep(tensor, new ElementWindow(tensor, 0, tensor.Length, [], 0, startsChunk: true));
            return;
        }

        if (referenceBuffer.Length < length)
        {
            referenceBuffer = new float[length];
        }

        var window = new ElementWindow(tensor, 0, tensor.Length, referenceBuffer.AsSpan(0, length), tensor.Length, startsChunk: true);
        window.Widen();
        ReferenceStep(tensor, in window);
        window.Narrow(parameterRounding, RoundingStream(tensor));
    }

    // One read pass over every gradient: whether all are finite (x - x is 0 for a finite x, NaN otherwise) and the
    // sum of squares, in float lanes moved into double every block so that rounding stays local. bfloat16 gradients
    // are widened a block at a time.
    private (bool Finite, double SumOfSquares) ReadGradients(float limit)
    {
        var checkSum = Vector<float>.Zero;
        double total = 0;
        Span<float> widened = stackalloc float[1024];
        foreach (var tensor in parameters)
        {
            if (tensor.HasFloatGradient)
            {
                ReadGradient(tensor.Gradient.Span, limit, ref checkSum, ref total);
                continue;
            }

            var gradient = tensor.BFloat16Gradient.Span;
            for (var start = 0; start < gradient.Length; start += widened.Length)
            {
                var part = widened[..Math.Min(widened.Length, gradient.Length - start)];
                BFloat16Span.ToSingle(gradient.Slice(start, part.Length), part);
                ReadGradient(part, limit, ref checkSum, ref total);
            }
        }

        var finite = Vector.Sum(checkSum) == 0f;
        return (finite, total);
    }

    private static void ReadGradient(ReadOnlySpan<float> gradient, float limit, ref Vector<float> checkSum, ref double total)
    {
        var clamp = limit < float.PositiveInfinity;
        var high = new Vector<float>(limit);
        var low = -high;
        var vectors = MemoryMarshal.Cast<float, Vector<float>>(gradient);
        for (var start = 0; start < vectors.Length; start += 64)
        {
            var squares = Vector<float>.Zero;
            var block = vectors[start..Math.Min(start + 64, vectors.Length)];
            if (clamp)
            {
                foreach (var x in block)
                {
                    checkSum += x - x;
                    var clamped = Vector.Min(Vector.Max(x, low), high);
                    squares += clamped * clamped;
                }
            }
            else
            {
                foreach (var x in block)
                {
                    checkSum += x - x;
                    squares += x * x;
                }
            }

            total += Vector.Sum(squares);
        }

        for (var i = vectors.Length * Vector<float>.Count; i < gradient.Length; i++)
        {
            var x = gradient[i];
            checkSum += new Vector<float>(x - x);
            if (clamp)
            {
                x = Math.Clamp(x, -limit, limit);
            }

            total += x * x;
        }
    }

    // In place; a bfloat16 gradient is clamped to the limit rounded to bfloat16 (to nearest even).
    private void ClampGradients(float limit)
    {
        foreach (var tensor in parameters)
        {
            if (!tensor.HasFloatGradient)
            {
                var halves = tensor.BFloat16Gradient.Span;
                for (var i = 0; i < halves.Length; i++)
                {
                    var x = halves[i].ToSingle();
                    if (Math.Abs(x) > limit)
                    {
                        halves[i] = BFloat16.FromSingle(Math.Clamp(x, -limit, limit));
                    }
                }

                continue;
            }

            var gradient = tensor.Gradient.Span;
            for (var i = 0; i < gradient.Length; i++)
            {
                gradient[i] = Math.Clamp(gradient[i], -limit, limit);
            }
        }
    }
}
