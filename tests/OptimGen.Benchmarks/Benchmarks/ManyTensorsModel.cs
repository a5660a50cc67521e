namespace OptimGen.Benchmarks.Benchmarks;

/// <summary>
/// The many-tensor model: 2,000 tensors of 512 floats (biases, norms, small layers) and 20 of 65,536 (the big
/// matrices), 2,334,720 floats in all: the per-tensor cost of a step shows against one tensor of that length.
/// </summary>
public static class ManyTensorsModel
{
    /// <summary>The number of small tensors.</summary>
    public const int SmallCount = 2000;

    /// <summary>The length of a small tensor.</summary>
    public const int SmallLength = 512;

    /// <summary>The number of large tensors.</summary>
    public const int LargeCount = 20;

    /// <summary>The length of a large tensor.</summary>
    public const int LargeLength = 65536;

    /// <summary>The model's floats in all.</summary>
    public const int TotalLength = SmallCount * SmallLength + LargeCount * LargeLength;

    /// <summary>Every tensor's length, small ones first.</summary>
    public static int[] Lengths()
    {
        var lengths = new int[SmallCount + LargeCount];
        for (var i = 0; i < lengths.Length; i++)
        {
            lengths[i] = i < SmallCount ? SmallLength : LargeLength;
        }

        return lengths;
    }
}
