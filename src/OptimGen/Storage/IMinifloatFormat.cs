using System.Runtime.Intrinsics;

namespace OptimGen.Storage;

/// <summary>
/// The code arithmetic of one 8-bit minifloat map, for a normalized value (value / absmax) one lane at a time and a
/// vector at a time. Every lane of a vector form gives exactly the scalar result; <see cref="BlockQuantization"/> is
/// generic over the two implementations so that each gets loops of its own.
/// </summary>
/// <remarks>
/// The encoders are exact for every input except a NaN, which <see cref="BlockQuantization"/> never encodes (a block
/// holding one stores no codes but zeros); <see cref="QuantizationMap.Encode"/> maps NaN to 0 before calling them.
/// </remarks>
internal interface IMinifloatFormat
{
    /// <summary>The code of <paramref name="normalized"/>, 0 to 255.</summary>
    static abstract int Encode(float normalized);

    /// <summary>The codes of 4 normalized values.</summary>
    static abstract Vector128<int> Encode(Vector128<float> normalized);

    /// <summary>The codes of 8 normalized values.</summary>
    static abstract Vector256<int> Encode(Vector256<float> normalized);

    /// <summary>The codes of 16 normalized values.</summary>
    static abstract Vector512<int> Encode(Vector512<float> normalized);

    /// <summary>The normalized value of <paramref name="code"/> (0 to 255).</summary>
    static abstract float Decode(int code);

    /// <summary>The normalized values of 4 codes (each 0 to 255).</summary>
    static abstract Vector128<float> Decode(Vector128<int> codes);

    /// <summary>The normalized values of 8 codes (each 0 to 255).</summary>
    static abstract Vector256<float> Decode(Vector256<int> codes);

    /// <summary>The normalized values of 16 codes (each 0 to 255).</summary>
    static abstract Vector512<float> Decode(Vector512<int> codes);
}
