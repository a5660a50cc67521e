using System.Globalization;

namespace OptimGen.Generators.Parsing;

/// <summary>A parsed interval: bounds as doubles (infinite where open-ended).</summary>
internal readonly record struct Interval(double Lower, bool LowerInclusive, double Upper, bool UpperInclusive)
{
    public bool Contains(double value)
        => (LowerInclusive ? value >= Lower : value > Lower) && (UpperInclusive ? value <= Upper : value < Upper);
}

/// <summary>Reads interval notation: "[0, 1)", "(0, inf)", "[-1, 1]", "(-inf, inf)".</summary>
internal static class IntervalParser
{
    public static bool TryParse(string text, out Interval interval, out string error)
    {
        interval = default;
        var trimmed = text.Trim();
        if (trimmed.Length < 2 || (trimmed[0] != '[' && trimmed[0] != '(') || (trimmed[trimmed.Length - 1] != ']' && trimmed[trimmed.Length - 1] != ')'))
        {
            error = "write it as [a, b], [a, b), (a, b] or (a, b)";
            return false;
        }

        var parts = trimmed.Substring(1, trimmed.Length - 2).Split(',');
        if (parts.Length != 2)
        {
            error = "an interval has two bounds separated by a comma";
            return false;
        }

        if (!TryParseBound(parts[0], out var lower) || !TryParseBound(parts[1], out var upper))
        {
            error = "a bound is a number, inf or -inf";
            return false;
        }

        interval = new Interval(lower, trimmed[0] == '[', upper, trimmed[trimmed.Length - 1] == ']');
        if (lower > upper || (lower == upper && !(interval.LowerInclusive && interval.UpperInclusive)))
        {
            error = "it contains no value";
            return false;
        }

        error = "";
        return true;
    }

    private static bool TryParseBound(string text, out double value)
    {
        var bound = text.Trim().ToLowerInvariant();
        switch (bound)
        {
            case "inf" or "+inf" or "infinity" or "+infinity" or "∞" or "+∞":
                value = double.PositiveInfinity;
                return true;
            case "-inf" or "-infinity" or "-∞":
                value = double.NegativeInfinity;
                return true;
            default:
                return double.TryParse(bound, NumberStyles.Float, CultureInfo.InvariantCulture, out value) && !double.IsNaN(value) && !double.IsInfinity(value);
        }
    }

}
