namespace OptimGen.Benchmarks.Reporting;

/// <summary>
/// One case of the summary: its median time per call, the bandwidth that implies for the bytes its floor moves, and
/// its ratios to the floor, to the TensorPrimitives composition and to the hand-written kernel of the same group
/// (null where the group has none).
/// </summary>
public sealed record SummaryRow(
    string Case, string Method, string Parameters, double MedianNanoseconds, double? GigabytesPerSecond,
    double? ToBaseline, double? ToTensorPrimitives, double? ToHandWritten, long? AllocatedBytes);
