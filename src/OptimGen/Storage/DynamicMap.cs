using System;

namespace OptimGen.Storage;

/// <summary>
/// Builds the 256 values of the dynamic quantization maps, after bitsandbytes' <c>create_dynamic_map</c> (Dettmers et
/// al. 2022, "8-bit Optimizers via Block-wise Quantization"; the dynamic tree type of Dettmers 2016).
/// </summary>
/// <remarks>
/// A code is read as: a sign bit (signed map only), then a run of z zero bits giving the decimal exponent -z, then an
/// indicator one bit, then the remaining bits b as a linear fraction: 2^b values, the midpoints of 2^b equal intervals
/// of [0.1, 1], times 10^-z. With 7 bits after the sign (signed) z runs 0..6 and b = 6 - z; unsigned, the fraction has
/// one bit more, b = 7 - z. That gives 127 magnitudes per sign (signed) or 254 (unsigned); 0 and 1 complete the map.
/// Signed, bitsandbytes fills its last slot with +1 only, so -1 is missing there and the smallest negative magnitude,
/// -0.55e-6, is present; here that one entry is -1 instead, so a block whose largest magnitude is negative round-trips
/// it exactly (normalized values in (-1.625e-6, 0) then decode as 0). Entries are computed in double and rounded once to
/// float, so one may differ from bitsandbytes' float32 arithmetic in the last bit. The map is sorted; a code is an index.
/// </remarks>
internal static class DynamicMap
{
    private const int ExponentRuns = 7;

    /// <summary>The 256 entries, ascending: the signed map when <paramref name="signed"/>, else the unsigned one.</summary>
    public static float[] Create(bool signed)
    {
        var map = new float[256];
        var count = 0;
        for (var i = 0; i < ExponentRuns; i++)
        {
            var fractions = signed ? 1 << i : 1 << (i + 1);
            var decade = Math.Pow(10, i - (ExponentRuns - 1));
            for (var k = 0; k < fractions; k++)
            {
                var value = decade * (0.1 + 0.9 * (k + 0.5) / fractions);
                map[count++] = (float)value;

                // The one negative entry bitsandbytes has and this map trades for -1 (see the remarks).
                if (signed && i > 0)
                {
                    map[count++] = (float)-value;
                }
            }
        }

        map[count++] = 0f;
        map[count++] = 1f;
        if (signed)
        {
            map[count++] = -1f;
        }

        if (count != map.Length)
        {
            throw new InvalidOperationException($"The dynamic map has {count} entries, not 256.");
        }

        Array.Sort(map);
        return map;
    }
}
