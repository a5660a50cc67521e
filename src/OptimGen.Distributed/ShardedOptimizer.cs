using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using OptimGen.Distributed.Mpi;
using OptimGen.Distributed.Partitioning;

namespace OptimGen.Distributed;

/// <summary>
/// Data-parallel training with the optimizer state sharded across the processes of an MPI job (ZeRO stage 1):
/// every process keeps all parameters and computes gradients on its own batch into the full gradient arrays; each
/// <see cref="Step"/> averages the gradients (each process receives only its range of the flat parameter space),
/// steps that range with the wrapped optimizer's generated loop, and sends the new values of its range to every
/// process. The wrapped optimizer holds moments for its range only: state memory per process falls as 1/N.
/// </summary>
/// <remarks>
/// The gradient average of an element is <c>(g[0] + g[1] + ... + g[N-1]) / N</c> in float, added in rank order,
/// whatever the timing: the result equals a single process that averages the same per-rank gradients in that order,
/// bit for bit (see docs/distributed.md for the one exception, per-tensor sums of a tensor cut across processes).
/// Every process must create it with the same tensors, optimizer type, hyperparameters and options, and call the
/// same steps, saves and loads in the same order; the first step checks the first part and fails on every process
/// with a message naming the difference.
/// </remarks>
public sealed unsafe partial class ShardedOptimizer : IShardCollective
{
    /// <summary>The largest message, in floats (4 MiB): large transfers go in messages of this size, far below MPI's int count limit.</summary>
    public const int MessageElements = 1 << 20;

    private readonly MpiProcessGroup processes;
    private readonly FlatTensors flat;
    private readonly (float[] Parameter, float[] Gradient)[]? userArrays;
    private readonly int[] groupOf;
    private readonly int[] slotTensor;
    private readonly ShardPiece[] pieces;
    private readonly float* parameters;
    private readonly float* gradients;
    private readonly float[] shardGradientArray;
    private readonly float* shardGradients;
    private readonly float[] stagingArray;
    private readonly float* staging;
    private readonly int messageLength;
    private readonly int[] requests;
    private readonly byte[] checkMine = new byte[2 * sizeof(double)];
    private readonly byte[] checkAll;
    private double[] sumsMine = [];
    private byte[] sumsAll = [];
    private bool layoutChecked;

    /// <summary>
    /// Shards <paramref name="optimizer"/>'s state over <paramref name="processes"/> for the tensors of
    /// <paramref name="tensors"/>: parameters and gradients are read and written in place, with no copy.
    /// </summary>
    /// <param name="processes">The MPI job.</param>
    /// <param name="optimizer">Any OptimGen optimizer with its hyperparameters, options and groups set, and no tensors registered: this wrapper registers this process's pieces in it.</param>
    /// <param name="tensors">Every tensor of the model, the same on every process.</param>
    /// <param name="groups">The group (index into <see cref="Optimizer.Groups"/>) of each tensor; null: the default group for all.</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">The optimizer has tensors already, or a collective; a group index is out of range; the tensors are too small to share.</exception>
    public ShardedOptimizer(MpiProcessGroup processes, Optimizer optimizer, FlatTensors tensors, IReadOnlyList<int>? groups = null)
        : this(processes, optimizer, tensors ?? throw new ArgumentNullException(nameof(tensors)), null, groups)
    {
    }

    /// <summary>
    /// Shards <paramref name="optimizer"/>'s state over <paramref name="processes"/> for separate parameter and
    /// gradient arrays. The wrapper keeps a flat copy of them (one <see cref="FlatTensors"/>): each step copies the
    /// gradients in and the parameters out. Give a <see cref="FlatTensors"/> to avoid the copies and the memory.
    /// </summary>
    /// <inheritdoc cref="ShardedOptimizer(MpiProcessGroup, Optimizer, FlatTensors, IReadOnlyList{int})"/>
    public ShardedOptimizer(MpiProcessGroup processes, Optimizer optimizer, IReadOnlyList<(float[] Parameter, float[] Gradient)> tensors, IReadOnlyList<int>? groups = null)
        : this(processes, optimizer, Mirror(tensors), Copy(tensors), groups)
    {
    }

    private ShardedOptimizer(MpiProcessGroup processes, Optimizer optimizer, FlatTensors tensors, (float[], float[])[]? arrays, IReadOnlyList<int>? groups)
    {
        ArgumentNullException.ThrowIfNull(processes);
        ArgumentNullException.ThrowIfNull(optimizer);
        if (optimizer.Parameters.Count > 0)
        {
            throw new ArgumentException($"The optimizer has {optimizer.Parameters.Count} tensors registered: give the sharded optimizer an optimizer without tensors; it registers this process's pieces itself.", nameof(optimizer));
        }

        if (optimizer.ShardCollective is not null)
        {
            throw new ArgumentException("The optimizer is sharded already (its ShardCollective is set).", nameof(optimizer));
        }

        var lengths = new int[tensors.Count];
        for (var i = 0; i < lengths.Length; i++)
        {
            lengths[i] = tensors.Length(i);
        }

        groupOf = new int[lengths.Length];
        if (groups is not null)
        {
            if (groups.Count != lengths.Length)
            {
                throw new ArgumentException($"{groups.Count} group indices for {lengths.Length} tensors.", nameof(groups));
            }

            for (var i = 0; i < groupOf.Length; i++)
            {
                groupOf[i] = groups[i] >= 0 && groups[i] < optimizer.Groups.Count ? groups[i]
                    : throw new ArgumentException($"Tensor {i} names group {groups[i]}, but the optimizer has {optimizer.Groups.Count} groups (add them with AddGroup first).", nameof(groups));
            }
        }

        this.processes = processes;
        Optimizer = optimizer;
        flat = tensors;
        userArrays = arrays;
        Partition = new FlatPartition(lengths, processes.Size);
        // A FlatTensors' blocks live on the pinned object heap: their addresses never change, so MPI can be handed them.
        parameters = (float*)Unsafe.AsPointer(ref MemoryMarshal.GetReference(flat.Parameters));
        gradients = (float*)Unsafe.AsPointer(ref MemoryMarshal.GetReference(flat.Gradients));

        var rank = processes.Rank;
        var start = Partition.Start(rank);
        var ownLength = Partition.End(rank) - start;
        (shardGradientArray, var shardStart) = Pinned(processes.Size == 1 ? 0 : ownLength);
        shardGradients = (float*)shardStart;
        messageLength = Math.Min(MessageElements, ownLength);
        (stagingArray, var stagingStart) = Pinned((processes.Size - 1) * messageLength);
        staging = (float*)stagingStart;

        // The most requests one transfer posts: the parameters' all-gather, every range in messages both ways.
        var messages = 0;
        for (var peer = 0; peer < processes.Size; peer++)
        {
            messages += (Partition.End(peer) - Partition.Start(peer) + MessageElements - 1) / MessageElements;
        }

        requests = new int[2 * messages * Math.Max(1, processes.Size - 1) + 2 * processes.Size];
        checkAll = new byte[processes.Size * checkMine.Length];

        pieces = [.. Partition.Pieces(rank)];
        slotTensor = new int[pieces.Length];
        for (var i = 0; i < pieces.Length; i++)
        {
            var piece = pieces[i];
            var parameter = ParameterMemory(piece.Tensor).Slice(piece.Start, piece.Length);
            // One process averages nothing (x / 1 is x): its pieces read the gradients where the model wrote them.
            var gradient = processes.Size == 1
                ? flat.Gradient(piece.Tensor).Slice(piece.Start, piece.Length)
                : shardGradientArray.AsMemory(ShardOffset + piece.FlatOffset - start, piece.Length);
            optimizer.AddShard(optimizer.Groups[groupOf[piece.Tensor]], parameter, gradient, Partition.Length(piece.Tensor));
            slotTensor[optimizer.Parameters.Count - 1] = piece.Tensor;
        }

        optimizer.ShardCollective = this;
    }

    /// <summary>The wrapped optimizer, which holds this process's pieces of the tensors and their state.</summary>
    public Optimizer Optimizer { get; }

    /// <summary>The ranges of the flat parameter space each process steps.</summary>
    public FlatPartition Partition { get; }

    /// <summary>The MPI job.</summary>
    public MpiProcessGroup Processes => processes;

    /// <summary>Where the time of the last <see cref="Step"/> went on this process.</summary>
    public StepTiming LastStepTiming { get; private set; }

    /// <summary>The steps taken (skipped ones included).</summary>
    public long Steps { get; private set; }

    /// <summary>
    /// The bytes of optimizer state this process holds: the moments of its pieces in their storage formats (float32,
    /// bfloat16, or 8-bit codes and a float32 absmax per block of 256), and 8 bytes per piece of step count and step state.
    /// </summary>
    public long StateBytes
    {
        get
        {
            long bytes = 0;
            foreach (var tensor in Optimizer.Parameters)
            {
                for (var moment = 0; moment < tensor.MomentCount; moment++)
                {
                    if (tensor.HasMoment(moment))
                    {
                        bytes += tensor.MomentFormat(moment) switch
                        {
                            StorageFormat.BFloat16 => 2L * tensor.Length,
                            StorageFormat.Quantized8 => tensor.Length + 4L * Storage.BlockQuantization.BlockCount(tensor.Length),
                            _ => 4L * tensor.Length,
                        };
                    }
                }

                bytes += 8L * (1 + tensor.StepState.Length);
            }

            return bytes;
        }
    }

    /// <summary>
    /// The bytes of the buffers the sharding adds on this process: the averaged gradient of its range, the receive
    /// buffer of the average and, for separate arrays, the flat copy of parameters and gradients.
    /// </summary>
    public long BufferBytes => 4L * (shardGradientArray.Length + stagingArray.Length) + (userArrays is null ? 0 : 8L * flat.Parameters.Length);

    /// <summary>The bytes this process sends per step: its gradients of every other range, and its range's parameters to every other process.</summary>
    public long BytesSentPerStep
    {
        get
        {
            var own = (long)Partition.End(processes.Rank) - Partition.Start(processes.Rank);
            return 4L * ((Partition.FlatLength - own) + own * (processes.Size - 1));
        }
    }

    private int ShardOffset => (int)(((nint)shardGradients - (nint)Unsafe.AsPointer(ref shardGradientArray[0])) / sizeof(float));

    /// <summary>
    /// One training step on every process: averages the gradients (this process receives its range), steps its
    /// range (clipping and the non-finite guard over all processes' gradients), and gathers every range's new
    /// parameters into the parameter memory of every process. Allocates nothing after the first step.
    /// </summary>
    /// <returns>As <see cref="Optimizer.Step()"/>: the global gradient norm (when measured) and whether the step was skipped; the same on every process.</returns>
    /// <exception cref="InvalidOperationException">The processes were set up differently (the first step checks); or as <see cref="Optimizer.Step()"/>.</exception>
    /// <exception cref="TimeoutException">Another process did not take part within <see cref="MpiProcessGroup.CommunicationTimeout"/>.</exception>
    public StepResult Step()
    {
        if (!layoutChecked)
        {
            CheckLayout();
            layoutChecked = true;
        }

        if (userArrays is not null)
        {
            CopyGradientsIn();
        }

        var started = Stopwatch.GetTimestamp();
        ReduceScatterGradients();
        var averaged = Stopwatch.GetTimestamp();
        var result = Optimizer.Step();
        var updated = Stopwatch.GetTimestamp();
        if (!result.Skipped)
        {
            AllGatherParameters();
        }

        LastStepTiming = new StepTiming(Stopwatch.GetElapsedTime(started, averaged), Stopwatch.GetElapsedTime(averaged, updated), Stopwatch.GetElapsedTime(updated));

        if (userArrays is not null)
        {
            CopyParametersOut();
        }

        Steps++;
        return result;
    }

    private Memory<float> ParameterMemory(int tensor) => flat.Parameter(tensor);

    private static (float[] Array, nint Start) Pinned(int length)
    {
        var array = GC.AllocateArray<float>(length + FlatPartition.Alignment, pinned: true);
        var address = (nint)Unsafe.AsPointer(ref array[0]);
        var misalignment = (int)(address % 64);
        var offset = misalignment == 0 ? 0 : (64 - misalignment) / sizeof(float);
        return (array, (nint)Unsafe.AsPointer(ref array[offset]));
    }

    private static FlatTensors Mirror(IReadOnlyList<(float[] Parameter, float[] Gradient)> tensors)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        var lengths = new int[tensors.Count];
        for (var i = 0; i < lengths.Length; i++)
        {
            var (parameter, gradient) = tensors[i];
            if (parameter is null || gradient is null)
            {
                throw new ArgumentNullException(nameof(tensors), $"Tensor {i} has a null parameter or gradient array.");
            }

            if (parameter.Length != gradient.Length)
            {
                throw new ArgumentException($"Tensor {i}'s gradient has {gradient.Length} elements but its parameter has {parameter.Length}.", nameof(tensors));
            }

            lengths[i] = parameter.Length;
        }

        var mirror = new FlatTensors(lengths);
        for (var i = 0; i < lengths.Length; i++)
        {
            tensors[i].Parameter.CopyTo(mirror.Parameter(i));
        }

        return mirror;
    }

    private static (float[], float[])[] Copy(IReadOnlyList<(float[] Parameter, float[] Gradient)> tensors)
    {
        var copy = new (float[], float[])[tensors.Count];
        for (var i = 0; i < copy.Length; i++)
        {
            copy[i] = tensors[i];
        }

        return copy;
    }

    private void CopyGradientsIn()
    {
        for (var i = 0; i < userArrays!.Length; i++)
        {
            userArrays[i].Gradient.CopyTo(flat.Gradient(i));
        }

        // The parameters of this range may have been changed by the application since the last step.
        foreach (var piece in pieces)
        {
            userArrays[piece.Tensor].Parameter.AsSpan(piece.Start, piece.Length).CopyTo(flat.Parameter(piece.Tensor).Span.Slice(piece.Start, piece.Length));
        }
    }

    private void CopyParametersOut()
    {
        for (var i = 0; i < userArrays!.Length; i++)
        {
            flat.Parameter(i).Span.CopyTo(userArrays[i].Parameter);
        }
    }
}
