namespace OptimGen;

/// <summary>
/// How a moment keeps its values between steps. Whatever the format, the fused update computes in float32: each
/// block of elements is widened to floats, updated, and written back in the moment's format in the same pass.
/// </summary>
public enum StorageFormat
{
    /// <summary>4 bytes per value: IEEE float32, exact (the default).</summary>
    Float32,

    /// <summary>2 bytes per value: bfloat16, rounded to nearest even when written (relative error at most 2^-8).</summary>
    BFloat16,

    /// <summary>
    /// About 1 byte per value: 8-bit codes of a block-wise quantization (blocks of 256 values, each with a float32
    /// absmax), with the signed map for a moment the formula lets go negative and the unsigned one otherwise
    /// (see <see cref="Storage.BlockQuantization"/>).
    /// </summary>
    Quantized8,
}
