using System;

namespace OptimGen;

/// <summary>
/// Marks a field of an optimizer declaration as a hyperparameter. The field's initializer is its default; the
/// generator adds a public property, named in PascalCase, whose setter checks <see cref="Interval"/>.
/// </summary>
/// <remarks>
/// Hyperparameters are <see cref="float"/>, <see cref="double"/>, <see cref="int"/> or <see cref="bool"/>.
/// The interval uses mathematical notation: <c>"[0, 1)"</c>, <c>"(0, inf)"</c>, <c>"[-1, 1]"</c>; <c>inf</c> and
/// <c>-inf</c> name the infinities. A bool hyperparameter takes no interval.
/// </remarks>
[AttributeUsage(AttributeTargets.Field, Inherited = false)]
public sealed class HyperparameterAttribute : Attribute
{
    /// <summary>A hyperparameter with no range restriction beyond being a number (NaN is always rejected).</summary>
    public HyperparameterAttribute()
    {
        Interval = null;
    }

    /// <summary>A hyperparameter whose values must lie in <paramref name="interval"/>.</summary>
    public HyperparameterAttribute(string interval)
    {
        Interval = interval;
    }

    /// <summary>The allowed values, in interval notation, or null for any number.</summary>
    public string? Interval { get; }
}
