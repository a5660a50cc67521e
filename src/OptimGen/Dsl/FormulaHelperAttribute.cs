using System;

namespace OptimGen;

/// <summary>
/// Marks a method of <see cref="Optimizer"/> that update formulas may call. This attribute is the generator's table
/// of helpers: a helper either has a same-named static method on <see cref="Lanes.ILane{TSelf}"/> (its vector form)
/// and a double overload (its per-step form), or an <see cref="Expansion"/> in terms of other helpers.
/// </summary>
[AttributeUsage(AttributeTargets.Method, Inherited = false)]
public sealed class FormulaHelperAttribute : Attribute
{
    /// <summary>
    /// A C# expression over the helper's parameter names, <c>StepNumber</c> and other helpers that the generator
    /// substitutes for the call, so that its per-step parts are hoisted out of the loop.
    /// </summary>
    public string? Expansion { get; set; }
}
