using System.Globalization;
using Microsoft.CodeAnalysis.CSharp;
using OptimGen.Generators.Model;

namespace OptimGen.Generators.Emission;

/// <summary>How the emitter spells names, types and numbers in C#: the one place where model values become text.</summary>
internal static class CSharp
{
    /// <summary>A name as an identifier: a user's name that is a keyword (<c>@float</c>) keeps its <c>@</c>.</summary>
    public static string Id(string name) => SyntaxFacts.GetKeywordKind(name) == SyntaxKind.None ? name : "@" + name;

    /// <summary>The C# keyword of a scalar type.</summary>
    public static string Keyword(ScalarType type) => type switch
    {
        ScalarType.Float => "float",
        ScalarType.Double => "double",
        ScalarType.Int => "int",
        _ => "bool",
    };

    /// <summary>The C# keyword of the element type the loop computes in.</summary>
    public static string Keyword(ElementType type) => type switch
    {
        _ => "float",
    };

    /// <summary>A double literal of exactly <paramref name="value"/>.</summary>
    public static string DoubleLiteral(double value) => value switch
    {
        double.NaN => "double.NaN",
        double.PositiveInfinity => "double.PositiveInfinity",
        double.NegativeInfinity => "double.NegativeInfinity",
        _ => Number(value.ToString("R", CultureInfo.InvariantCulture)) + "d",
    };

    /// <summary>A round-trip number as people write it: 1e-8 rather than 1E-08.</summary>
    public static string Number(string roundTrip)
    {
        var e = roundTrip.IndexOf('E');
        if (e < 0)
        {
            return roundTrip;
        }

        var exponent = int.Parse(roundTrip.Substring(e + 1), CultureInfo.InvariantCulture);
        return roundTrip.Substring(0, e) + "e" + exponent.ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>A float literal of <paramref name="value"/> rounded to float.</summary>
    public static string FloatLiteral(double value)
    {
        var single = (float)value;
        return single switch
        {
            float.NaN => "float.NaN",
            float.PositiveInfinity => "float.PositiveInfinity",
            float.NegativeInfinity => "float.NegativeInfinity",
            _ => Number(single.ToString("R", CultureInfo.InvariantCulture)) + "f",
        };
    }

    /// <summary>A literal of the given scalar type, as a default is shown in documentation or assigned.</summary>
    public static string Literal(double value, ScalarType type) => type switch
    {
        ScalarType.Float => FloatLiteral(value),
        ScalarType.Double => DoubleLiteral(value),
        ScalarType.Int => ((int)value).ToString(CultureInfo.InvariantCulture),
        _ => value != 0 ? "true" : "false",
    };

    /// <summary>A string literal, quoted and escaped.</summary>
    public static string String(string text) => SymbolDisplay.FormatLiteral(text, quote: true);

    public static string Bool(bool value) => value ? "true" : "false";

    /// <summary>Text for an XML documentation comment.</summary>
    public static string Xml(string text) => text.Replace("&", "&amp;").Replace("<", "&lt;").Replace(">", "&gt;");

    /// <summary>An interval in the notation the attributes and messages use: [0, 1), (0, inf).</summary>
    public static string Interval(IntervalModel interval)
        => (interval.LowerInclusive ? "[" : "(") + Bound(interval.Lower) + ", " + Bound(interval.Upper) + (interval.UpperInclusive ? "]" : ")");

    private static string Bound(double bound) => bound switch
    {
        double.PositiveInfinity => "inf",
        double.NegativeInfinity => "-inf",
        _ => Number(bound.ToString("R", CultureInfo.InvariantCulture)),
    };
}
