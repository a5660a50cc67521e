using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using OptimGen.Storage;

namespace OptimGen;

// Step() in chunks: the per-step values once per tensor slot, then the per-tensor sums and the update over fixed
// chunks of every tensor, run on the calling thread and on the shared worker threads (ChunkPool).
public abstract partial class Optimizer : IChunkWork
{
    /// <summary>
    /// Below this many elements in all tensors together, <see cref="Step()"/> runs on the calling thread alone,
    /// whatever <see cref="DegreeOfParallelism"/> says: waking workers would cost more than it saves.
    /// </summary>
    public const int ParallelStepThreshold = 1 << 17;

    /// <summary>
    /// The elements of one chunk: tensors are split at multiples of it (so at multiples of 16 floats, on 64-byte
    /// boundaries), and the per-tensor sums add the chunks' partial sums in chunk order, so that a step's result
    /// never depends on the number of threads.
    /// </summary>
    public const int ChunkLength = 1 << 14;

    private int degreeOfParallelism = Environment.ProcessorCount;
    private int[] chunkTensor = [];
    private int[] chunkStart = [];
    private int[] firstChunk = [];
    private long[] chunkOffset = [];
    private int[] participantRanges = [];
    private int plannedTensors;
    private long plannedElements;
    private ChunkPhase phase;

    private enum ChunkPhase
    {
        Sums,
        Update,
    }

    /// <summary>
    /// How many threads one <see cref="Step()"/> may use: the calling thread and up to this many minus one of the worker
    /// threads all optimizers share (background threads, started at first use; nothing to dispose). 1 keeps every
    /// step on the calling thread; steps over fewer than <see cref="ParallelStepThreshold"/> elements stay there
    /// anyway. Whatever the value, a step writes exactly the same bits.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is less than 1.</exception>
    public int DegreeOfParallelism
    {
        get => degreeOfParallelism;
        set => degreeOfParallelism = value >= 1 ? value
            : throw new ArgumentOutOfRangeException(nameof(DegreeOfParallelism), value, "DegreeOfParallelism must be at least 1 (1: the calling thread only).");
    }

    /// <summary>
    /// Whether the per-step values depend on the tensor (its step state, or its length), so that each tensor
    /// computes its own; otherwise the tensors of a group at the same step share one computation.
    /// </summary>
    protected virtual bool HasPerTensorStepValues => false;

    /// <summary>Whether the update needs per-tensor sums (a read pass) before it writes.</summary>
    protected virtual bool HasTensorSums => false;

    /// <summary>Makes room for the step values of <paramref name="tensors"/> tensors and the partial sums of <paramref name="chunks"/> chunks.</summary>
    protected virtual void ReserveStepSlots(int tensors, int chunks)
    {
    }

    /// <summary>
    /// Computes the step values of <paramref name="tensor"/> (whose step count has been advanced) into slot
    /// <paramref name="slot"/>, with its group's hyperparameters in the fields, or copies them from slot
    /// <paramref name="shareFrom"/>, an earlier tensor of the group at the same step, when that is not -1.
    /// Advances the tensor's step state. Runs on the calling thread.
    /// </summary>
    /// <exception cref="InvalidOperationException">The generator did not complete this class (see its OPTG diagnostics).</exception>
    protected virtual void PrepareTensorStep(ParameterTensor tensor, int slot, int shareFrom) => throw Incomplete();

    /// <summary>
    /// Adds up the per-tensor sums of the elements of <paramref name="window"/> into partial <paramref name="chunk"/>
    /// (from zero at the chunk's first window). May run on any thread.
    /// </summary>
    protected virtual void SumChunk(scoped in ElementWindow window, int slot, int chunk)
    {
    }

    /// <summary>
    /// Adds the partial sums of the tensor's <paramref name="chunks"/> chunks from <paramref name="firstChunk"/>, in
    /// order, and completes its step values (and step state) from them, with the group's hyperparameters in the fields.
    /// </summary>
    protected virtual void CompleteTensorStep(ParameterTensor tensor, int slot, int firstChunk, int chunks)
    {
        Span<double> totals = stackalloc double[TensorSumCount];
        TotalTensorSums(firstChunk, chunks, totals);
        CompleteTensorStep(tensor, slot, totals);
    }

    /// <summary>Updates the elements of <paramref name="window"/> with slot <paramref name="slot"/>'s values. May run on any thread.</summary>
    /// <exception cref="InvalidOperationException">The generator did not complete this class (see its OPTG diagnostics).</exception>
    protected virtual void UpdateChunk(scoped in ElementWindow window, int slot) => throw Incomplete();

    /// <summary>A reference to element <paramref name="start"/> of <paramref name="span"/>, for the generated loops (not checked: an empty span's moment is never read).</summary>
    [System.ComponentModel.EditorBrowsable(System.ComponentModel.EditorBrowsableState.Never)]
    protected static ref float ElementAt(Span<float> span, int start) => ref Unsafe.Add(ref MemoryMarshal.GetReference(span), start);

    void IChunkWork.RunChunk(int chunk)
    {
        var slot = chunkTensor[chunk];
        var tensor = parameters[slot];
        var start = chunkStart[chunk];
        var length = Math.Min(ChunkLength, tensor.Length - start);
        if (!tensor.HasCompactStorage)
        {
            RunWindow(new ElementWindow(tensor, start, length, [], 0, startsChunk: true), slot, chunk);
            return;
        }

        // Compact storage: a window of whole 8-bit blocks at a time widened into floats on the stack, updated, and
        // narrowed back, so that memory is read and written once (an 8-bit block gets its new absmax from the whole
        // block before its codes are written). Four blocks a window keep the per-window calls rare and the buffers in L1.
        const int Window = 4 * BlockQuantization.BlockLength;
        var buffer = WindowBuffer(ElementWindow.BufferLength(tensor, Window));
        var random = RoundingStream(tensor);
        for (var at = start; at < start + length; at += Window)
        {
            var window = new ElementWindow(tensor, at, Math.Min(Window, start + length - at), buffer, Window, startsChunk: at == start);
            window.Widen();
            RunWindow(window, slot, chunk);
            if (phase == ChunkPhase.Update)
            {
                window.Narrow(parameterRounding, in random);
            }
        }
    }

    // Each thread's window buffer, kept between steps: a stack buffer would be zeroed at every chunk.
    [ThreadStatic]
    private static float[]? windowBuffer;

    private static Span<float> WindowBuffer(int length)
    {
        if (windowBuffer is null || windowBuffer.Length < length)
        {
            windowBuffer = new float[length];
        }

        return windowBuffer.AsSpan(0, length);
    }

    private void RunWindow(scoped in ElementWindow window, int slot, int chunk)
    {
        if (phase == ChunkPhase.Sums)
        {
            SumChunk(in window, slot, chunk);
        }
        else
        {
            UpdateChunk(in window, slot);
        }
    }

    // The chunks of every tensor, in registration order; laid out again only when tensors were registered.
    private void PlanChunks()
    {
        if (plannedTensors == parameters.Count)
        {
            return;
        }

        var count = 0;
        long elements = 0;
        foreach (var tensor in parameters)
        {
            count += (tensor.Length + ChunkLength - 1) / ChunkLength;
            elements += tensor.Length;
        }

        chunkTensor = new int[count];
        chunkStart = new int[count];
        chunkOffset = new long[count + 1];
        participantRanges = [];
        firstChunk = new int[parameters.Count + 1];
        var chunk = 0;
        for (var slot = 0; slot < parameters.Count; slot++)
        {
            firstChunk[slot] = chunk;
            for (var start = 0; start < parameters[slot].Length; start += ChunkLength)
            {
                chunkTensor[chunk] = slot;
                chunkStart[chunk] = start;
                chunkOffset[chunk + 1] = chunkOffset[chunk] + Math.Min(ChunkLength, parameters[slot].Length - start);
                chunk++;
            }
        }

        firstChunk[parameters.Count] = chunk;
        plannedTensors = parameters.Count;
        plannedElements = elements;
    }

    // The participants' ranges of chunks, each about as many elements as the next (whole chunks, in order); made
    // again only when the plan or the number of participants changes.
    private int[] Ranges(int participants)
    {
        if (participantRanges.Length == participants + 1)
        {
            return participantRanges;
        }

        var ranges = new int[participants + 1];
        var total = chunkOffset[^1];
        var chunk = 0;
        for (var p = 1; p < participants; p++)
        {
            var target = total * p / participants;
            while (chunk < chunkTensor.Length && chunkOffset[chunk] < target)
            {
                chunk++;
            }

            ranges[p] = chunk;
        }

        ranges[participants] = chunkTensor.Length;
        return participantRanges = ranges;
    }

    // One generated step of every tensor: per group on this thread the state and the step values, then the sums
    // (chunks, then their totals per tensor in chunk order), then the update chunks.
    private void StepInChunks()
    {
        PlanChunks();
        ReserveStepSlots(parameters.Count, chunkTensor.Length);
        foreach (var group in groups)
        {
            LoadValues(group);
            var shareFrom = -1;
            var tensors = group.Tensors;
            for (var t = 0; t < tensors.Count; t++)
            {
                var tensor = tensors[t];
                AdvanceTensor(tensor);
                if (tensor.Length == 0)
                {
                    // No chunk: the span API steps it whole (its step state, say).
                    Step(tensor);
                    continue;
                }

                var shared = shareFrom >= 0 && parameters[shareFrom].StepCount == tensor.StepCount;
                PrepareTensorStep(tensor, tensor.Slot, shared ? shareFrom : -1);
                if (!shared && !HasPerTensorStepValues)
                {
                    shareFrom = tensor.Slot;
                }
            }

            RestoreValues();
        }

        var ranges = Ranges(plannedElements >= ParallelStepThreshold ? Math.Max(1, Math.Min(degreeOfParallelism, chunkTensor.Length)) : 1);
        if (HasTensorSums)
        {
            phase = ChunkPhase.Sums;
            ChunkPool.Run(this, ranges);
            if (shardCollective is not null)
            {
                CompleteTensorStepsAcrossShards(firstChunk);
            }
            else
            {
                foreach (var group in groups)
                {
                    LoadValues(group);
                    var tensors = group.Tensors;
                    for (var t = 0; t < tensors.Count; t++)
                    {
                        var tensor = tensors[t];
                        if (tensor.Length > 0)
                        {
                            CompleteTensorStep(tensor, tensor.Slot, firstChunk[tensor.Slot], firstChunk[tensor.Slot + 1] - firstChunk[tensor.Slot]);
                        }
                    }

                    RestoreValues();
                }
            }
        }

        phase = ChunkPhase.Update;
        ChunkPool.Run(this, ranges);
    }
}
