using System;
using System.Diagnostics;
using System.Threading;
using static MPI.Unsafe;

namespace OptimGen.Distributed.Mpi;

/// <summary>
/// The processes of one MPI job (MPI_COMM_WORLD): this process's rank, their number, and the transfers a sharded
/// optimizer runs between them, each bounded in time by <see cref="CommunicationTimeout"/>. Start it once per
/// process, before any other MPI call, and dispose of it at the end (MPI_Finalize).
/// </summary>
/// <remarks>
/// Every wait polls the requests (MPI_Testall) instead of blocking in MPI, so that a process whose peer has stopped
/// or hangs gives up after <see cref="CommunicationTimeout"/> with a <see cref="TimeoutException"/> instead of waiting
/// forever. A process that dies is normally seen sooner: MPICH's launcher (hydra) ends the whole job when one
/// process exits without MPI_Finalize.
/// </remarks>
public sealed unsafe class MpiProcessGroup : IDisposable
{
    // MPI_THREAD_SERIALIZED, as MPICH (and Microsoft MPI) number the thread levels.
    private const int ThreadSerialized = 2;

    private static MpiProcessGroup? current;
    private readonly bool initializedHere;
    private MPI_Status[] statuses = new MPI_Status[16];
    private TimeSpan communicationTimeout = TimeSpan.FromMinutes(5);
    private bool disposed;
    private bool faulted;

    private MpiProcessGroup(bool initializedHere)
    {
        this.initializedHere = initializedHere;
        Check(MPI_Comm_rank(MPI_COMM_WORLD, out var rank), "MPI_Comm_rank");
        Check(MPI_Comm_size(MPI_COMM_WORLD, out var size), "MPI_Comm_size");
        Rank = rank;
        Size = size;
    }

    /// <summary>This process's rank, from 0.</summary>
    public int Rank { get; }

    /// <summary>The number of processes.</summary>
    public int Size { get; }

    /// <summary>
    /// How long one transfer may wait for the other processes before it throws <see cref="TimeoutException"/>
    /// (default 5 minutes; the variable <c>OPTIMGEN_MPI_TIMEOUT_SECONDS</c> sets it at <see cref="Start"/>).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is not positive.</exception>
    public TimeSpan CommunicationTimeout
    {
        get => communicationTimeout;
        set => communicationTimeout = value > TimeSpan.Zero ? value
            : throw new ArgumentOutOfRangeException(nameof(CommunicationTimeout), value, "The timeout must be positive.");
    }

    /// <summary>
    /// Initializes MPI (unless the application did already) and returns the process group of this job. A process
    /// started without <c>mpiexec</c> is a job of one.
    /// </summary>
    /// <exception cref="InvalidOperationException">A group was started already in this process and not disposed of.</exception>
    /// <exception cref="DllNotFoundException">No MPI library was found.</exception>
    public static MpiProcessGroup Start()
    {
        if (current is not null)
        {
            throw new InvalidOperationException("MPI is started already in this process: use that MpiProcessGroup (MPI can be initialized once per process).");
        }

        MpiLibrary.EnsureResolver();
        Check(MPI_Finalized(out var finalized), "MPI_Finalized");
        if (finalized != 0)
        {
            throw new InvalidOperationException("MPI was finalized already in this process, and MPI cannot be started twice: keep one MpiProcessGroup for the whole program.");
        }

        Check(MPI_Initialized(out var initialized), "MPI_Initialized");
        if (initialized == 0)
        {
            // Serialized: MPI may be called from any thread, one at a time (Step() may run on any thread, never on two).
            var argc = 0;
            byte** argv = null;
            Check(MPI_Init_thread(ref argc, ref argv, ThreadSerialized, out _), "MPI_Init_thread");
        }

        var group = new MpiProcessGroup(initialized == 0);
        var seconds = Environment.GetEnvironmentVariable("OPTIMGEN_MPI_TIMEOUT_SECONDS");
        if (double.TryParse(seconds, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var value) && value > 0)
        {
            group.CommunicationTimeout = TimeSpan.FromSeconds(value);
        }

        return current = group;
    }

    /// <summary>Ends the whole job at once (MPI_Abort): every process exits with <paramref name="exitCode"/>.</summary>
    public void Abort(int exitCode) => MPI_Abort(MPI_COMM_WORLD, exitCode);

    /// <summary>Waits until every process has called it (a barrier, bounded by <see cref="CommunicationTimeout"/>).</summary>
    /// <exception cref="TimeoutException">Another process did not arrive in time.</exception>
    public void Barrier()
    {
        Span<byte> all = stackalloc byte[Size];
        AllGather([1], all, Tags.Barrier, "a barrier");
    }

    /// <summary>
    /// Finalizes MPI if <see cref="Start"/> initialized it. After a transfer timed out it ends the whole job instead
    /// (MPI_Abort, exit code 1): the other processes may be stuck in a transfer that can never complete, and MPICH's
    /// launcher ends them only when a process aborts or exits without finalizing.
    /// </summary>
    public void Dispose()
    {
        if (disposed)
        {
            return;
        }

        disposed = true;
        current = null;
        if (faulted)
        {
            Console.Error.WriteLine($"Rank {Rank} of {Size}: a transfer timed out; ending the whole job (MPI_Abort).");
            Console.Error.Flush();
            Abort(1);
        }

        if (initializedHere)
        {
            MPI_Finalize();
        }
    }

    /// <summary>Every process's <paramref name="mine"/> (all of one length), in rank order, into <paramref name="all"/>.</summary>
    internal void AllGather(ReadOnlySpan<byte> mine, Span<byte> all, int tag, string operation)
    {
        var length = mine.Length;
        mine.CopyTo(all.Slice(Rank * length, length));
        if (Size == 1)
        {
            return;
        }

        Span<int> requests = stackalloc int[2 * (Size - 1)];
        var count = 0;
        fixed (byte* source = mine)
        fixed (byte* target = all)
        {
            for (var peer = 0; peer < Size; peer++)
            {
                if (peer != Rank)
                {
                    Check(MPI_Irecv((IntPtr)(target + (long)peer * length), length, MPI_BYTE, peer, tag, MPI_COMM_WORLD, out requests[count++]), "MPI_Irecv");
                    Check(MPI_Isend((IntPtr)source, length, MPI_BYTE, peer, tag, MPI_COMM_WORLD, out requests[count++]), "MPI_Isend");
                }
            }

            WaitAll(requests[..count], operation);
        }
    }

    /// <summary>Every process's <paramref name="mine"/> (of any length), in rank order.</summary>
    internal string[] AllGather(string mine, int tag, string operation)
    {
        var bytes = System.Text.Encoding.UTF8.GetBytes(mine);
        var lengths = new byte[Size * sizeof(int)];
        AllGather(BitConverter.GetBytes(bytes.Length), lengths, tag, operation);
        var longest = 0;
        for (var q = 0; q < Size; q++)
        {
            longest = Math.Max(longest, BitConverter.ToInt32(lengths, q * sizeof(int)));
        }

        var padded = new byte[longest];
        bytes.CopyTo(padded, 0);
        var all = new byte[Size * longest];
        AllGather(padded, all, tag, operation);
        var texts = new string[Size];
        for (var q = 0; q < Size; q++)
        {
            texts[q] = System.Text.Encoding.UTF8.GetString(all, q * longest, BitConverter.ToInt32(lengths, q * sizeof(int)));
        }

        return texts;
    }

    /// <summary>Starts sending <paramref name="count"/> floats in messages of at most <paramref name="messageLength"/>.</summary>
    internal void PostSends(float* data, long count, int peer, int tag, int messageLength, Span<int> requests, ref int used)
    {
        for (long start = 0; start < count; start += messageLength)
        {
            var length = (int)Math.Min(messageLength, count - start);
            Check(MPI_Isend((IntPtr)(data + start), length, MPI_FLOAT, peer, tag, MPI_COMM_WORLD, out requests[used++]), "MPI_Isend");
        }
    }

    /// <summary>Starts receiving <paramref name="count"/> floats in messages of at most <paramref name="messageLength"/>.</summary>
    internal void PostReceives(float* data, long count, int peer, int tag, int messageLength, Span<int> requests, ref int used)
    {
        for (long start = 0; start < count; start += messageLength)
        {
            var length = (int)Math.Min(messageLength, count - start);
            Check(MPI_Irecv((IntPtr)(data + start), length, MPI_FLOAT, peer, tag, MPI_COMM_WORLD, out requests[used++]), "MPI_Irecv");
        }
    }

    /// <summary>
    /// Waits for <paramref name="requests"/> by polling, so that a peer that never answers costs at most
    /// <see cref="CommunicationTimeout"/>. Allocates nothing once the status buffer is large enough.
    /// </summary>
    /// <exception cref="TimeoutException">The requests did not complete in time.</exception>
    internal void WaitAll(Span<int> requests, string operation)
    {
        if (requests.Length == 0)
        {
            return;
        }

        if (statuses.Length < requests.Length)
        {
            statuses = new MPI_Status[requests.Length];
        }

        var started = Stopwatch.GetTimestamp();
        var limit = (long)(communicationTimeout.TotalSeconds * Stopwatch.Frequency);
        var polls = 0;
        fixed (int* handles = requests)
        {
            while (true)
            {
                Check(MPI_Testall(requests.Length, handles, out var done, statuses), "MPI_Testall");
                if (done != 0)
                {
                    return;
                }

                if (++polls == 64)
                {
                    polls = 0;
                    if (Stopwatch.GetTimestamp() - started > limit)
                    {
                        faulted = true;
                        throw new TimeoutException(
                            $"Rank {Rank} of {Size} waited {communicationTimeout.TotalSeconds:0.###} s for the other processes in {operation}: a process has stopped, "
                            + "is stuck or is running different code. Every process must call the same steps, saves and loads in the same order.");
                    }

                    // Processes may outnumber the cores: let the peers run.
                    Thread.Yield();
                }
            }
        }
    }

    internal static void Check(int code, string function)
    {
        if (code != 0)
        {
            throw new InvalidOperationException($"{function} failed with MPI error code {code}.");
        }
    }
}
