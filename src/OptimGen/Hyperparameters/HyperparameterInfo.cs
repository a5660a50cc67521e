using System;
using System.Globalization;

namespace OptimGen;

/// <summary>The C# type of a hyperparameter.</summary>
public enum HyperparameterType
{
    /// <summary><see cref="float"/>.</summary>
    Float,

    /// <summary><see cref="double"/>.</summary>
    Double,

    /// <summary><see cref="int"/>.</summary>
    Int,

    /// <summary><see cref="bool"/>, read and written as 1 or 0.</summary>
    Bool,
}

/// <summary>
/// One hyperparameter of an optimizer, as the generator describes it: the property's name, its type, its interval and
/// its default. Parameter groups, schedules and checkpoints handle hyperparameters through this table, by index.
/// </summary>
/// <param name="Name">The public property's name, such as <c>LearningRate</c>.</param>
/// <param name="Type">The property's type.</param>
/// <param name="Interval">The interval in the declaration's notation, or null for any number.</param>
/// <param name="Lower">The lower bound (negative infinity without an interval).</param>
/// <param name="LowerInclusive">Whether <paramref name="Lower"/> is allowed.</param>
/// <param name="Upper">The upper bound (positive infinity without an interval).</param>
/// <param name="UpperInclusive">Whether <paramref name="Upper"/> is allowed.</param>
/// <param name="Default">The declaration's initial value (1 or 0 for a bool).</param>
public sealed record HyperparameterInfo(
    string Name,
    HyperparameterType Type,
    string? Interval,
    double Lower,
    bool LowerInclusive,
    double Upper,
    bool UpperInclusive,
    double Default)
{
    /// <summary>Whether the property accepts <paramref name="value"/> (a bool takes 0 or 1, an int a whole number).</summary>
    public bool Accepts(double value) => Type switch
    {
        HyperparameterType.Bool => value is 0d or 1d,
        HyperparameterType.Int => Math.Floor(value) == value && value >= int.MinValue && value <= int.MaxValue && InInterval(value),
        HyperparameterType.Float => !double.IsNaN(value) && InInterval((float)value),
        _ => !double.IsNaN(value) && InInterval(value),
    };

    /// <summary>What <see cref="Accepts"/> requires, in words: "in [0, 1)", "0 or 1", "a number".</summary>
    public string Requirement => Type switch
    {
        HyperparameterType.Bool => "0 (false) or 1 (true)",
        HyperparameterType.Int => Interval is null ? "a whole number" : $"a whole number in {Interval}",
        _ => Interval is null ? "a number" : $"in {Interval}",
    };

    /// <summary>Throws unless the property accepts <paramref name="value"/>; the message starts with <paramref name="context"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is not accepted.</exception>
    internal void Check(double value, string context)
    {
        if (!Accepts(value))
        {
            throw new ArgumentOutOfRangeException(Name, value, string.Create(CultureInfo.InvariantCulture,
                $"{context}: {Name} must be {Requirement}, but was {value:R}."));
        }
    }

    private bool InInterval(double value)
        => (LowerInclusive ? value >= Lower : value > Lower) && (UpperInclusive ? value <= Upper : value < Upper);
}
