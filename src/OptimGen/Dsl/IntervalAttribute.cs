using System;

namespace OptimGen;

/// <summary>
/// Put by the generator on each hyperparameter property with an interval: the values its setter accepts, in the
/// notation of <see cref="HyperparameterAttribute.Interval"/>. OptimGen's analyzer reads it to report, at compile
/// time, a constant assigned outside it (OPTG014), in the declaring project and in any project that uses the optimizer.
/// </summary>
[AttributeUsage(AttributeTargets.Property, Inherited = false)]
public sealed class IntervalAttribute : Attribute
{
    /// <summary>The interval, such as <c>"[0, 1)"</c>.</summary>
    public IntervalAttribute(string interval)
    {
        Interval = interval;
    }

    /// <summary>The interval, such as <c>"[0, 1)"</c>.</summary>
    public string Interval { get; }
}
