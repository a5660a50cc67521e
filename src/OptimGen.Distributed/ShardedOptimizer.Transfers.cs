using System;
using System.Numerics;
using System.Runtime.CompilerServices;
using OptimGen.Distributed.Mpi;

namespace OptimGen.Distributed;

// The two large transfers of a step, point to point with a fixed order of addition: the gradients' reduce-scatter
// and the parameters' all-gather. Each process sends and receives (N-1)/N of the flat space per transfer.
public sealed unsafe partial class ShardedOptimizer
{
    // Each process sends every other process that process's range of its gradients; this process receives its own
    // range from every other process, message by message, and adds the N contributions of each element in rank
    // order: ((g[0] + g[1]) + ...) + g[N-1], then divides by N. MPI's own reduce-scatter adds in an order the
    // implementation chooses, which is why it is not used.
    private void ReduceScatterGradients()
    {
        var rank = processes.Rank;
        var size = processes.Size;
        if (size == 1)
        {
            return;
        }

        var start = Partition.Start(rank);
        var end = Partition.End(rank);
        var sends = 0;
        for (var peer = 0; peer < size; peer++)
        {
            if (peer != rank)
            {
                processes.PostSends(gradients + Partition.Start(peer), Partition.End(peer) - Partition.Start(peer), peer, Tags.Gradients, MessageElements, requests, ref sends);
            }
        }

        var receiveRequests = requests.AsSpan(sends);
        for (var chunk = start; chunk < end; chunk += messageLength)
        {
            var length = Math.Min(messageLength, end - chunk);
            var receives = 0;
            for (var peer = 0; peer < size; peer++)
            {
                if (peer != rank)
                {
                    processes.PostReceives(Staging(peer), length, peer, Tags.Gradients, messageLength, receiveRequests, ref receives);
                }
            }

            processes.WaitAll(receiveRequests[..receives], "the gradients' reduce-scatter");
            Average(chunk, length);
        }

        processes.WaitAll(requests.AsSpan(0, sends), "the gradients' reduce-scatter");
    }

    // The parameters of this range go to every other process; every other range arrives in place.
    private void AllGatherParameters()
    {
        var rank = processes.Rank;
        var size = processes.Size;
        if (size == 1)
        {
            return;
        }

        var used = 0;
        for (var peer = 0; peer < size; peer++)
        {
            if (peer != rank)
            {
                processes.PostReceives(parameters + Partition.Start(peer), Partition.End(peer) - Partition.Start(peer), peer, Tags.Parameters, MessageElements, requests, ref used);
            }
        }

        var start = Partition.Start(rank);
        for (var peer = 0; peer < size; peer++)
        {
            if (peer != rank)
            {
                processes.PostSends(parameters + start, Partition.End(rank) - start, peer, Tags.Parameters, MessageElements, requests, ref used);
            }
        }

        processes.WaitAll(requests.AsSpan(0, used), "the parameters' all-gather");
    }

    // Where peer's contribution to the current message lands.
    private float* Staging(int peer) => staging + (long)(peer < processes.Rank ? peer : peer - 1) * messageLength;

    // Contribution of process q to flat positions [chunk, chunk + length): its own gradients for this process.
    private float* Contribution(int q, int chunk) => q == processes.Rank ? gradients + chunk : Staging(q);

    private void Average(int chunk, int length)
    {
        var size = processes.Size;
        var target = new Span<float>(shardGradients + (chunk - Partition.Start(processes.Rank)), length);
        new ReadOnlySpan<float>(Contribution(0, chunk), length).CopyTo(target);
        for (var q = 1; q < size; q++)
        {
            Add(target, new ReadOnlySpan<float>(Contribution(q, chunk), length));
        }

        Divide(target, size);
    }

    // target[i] += source[i], element by element in float: the same bits as the scalar sum.
    private static void Add(Span<float> target, ReadOnlySpan<float> source)
    {
        var i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            ref var t = ref target[0];
            ref var s = ref Unsafe.AsRef(in source[0]);
            for (; i <= target.Length - Vector<float>.Count; i += Vector<float>.Count)
            {
                var sum = Vector.LoadUnsafe(ref t, (nuint)i) + Vector.LoadUnsafe(ref s, (nuint)i);
                sum.StoreUnsafe(ref t, (nuint)i);
            }
        }

        for (; i < target.Length; i++)
        {
            target[i] += source[i];
        }
    }

    // target[i] /= n, correctly rounded (exact when n is a power of two).
    private static void Divide(Span<float> target, int n)
    {
        var divisor = (float)n;
        var i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            ref var t = ref target[0];
            var d = new Vector<float>(divisor);
            for (; i <= target.Length - Vector<float>.Count; i += Vector<float>.Count)
            {
                (Vector.LoadUnsafe(ref t, (nuint)i) / d).StoreUnsafe(ref t, (nuint)i);
            }
        }

        for (; i < target.Length; i++)
        {
            target[i] /= divisor;
        }
    }
}
