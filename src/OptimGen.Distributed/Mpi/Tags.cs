namespace OptimGen.Distributed.Mpi;

/// <summary>
/// The message tags of each kind of transfer. Messages of one tag between two processes arrive in the order they
/// were sent (MPI's non-overtaking rule), so the chunks of one transfer need no tags of their own.
/// </summary>
internal static class Tags
{
    public const int Gradients = 11;
    public const int Parameters = 12;
    public const int GradientCheck = 13;
    public const int TensorSums = 14;
    public const int Fingerprint = 15;
    public const int Barrier = 16;
    public const int Checkpoint = 17;
}
