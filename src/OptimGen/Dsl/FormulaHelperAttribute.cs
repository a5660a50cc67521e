using System;

namespace OptimGen;

/// <summary>
/// Marks a method of <see cref="Optimizer"/> that update formulas may call. This attribute is the generator's table
/// of helpers: a helper either has a same-named static method on <see cref="Lanes.ILane{TSelf}"/> (its vector form)
/// and a double overload (its per-step form), or an <see cref="Expansion"/> in terms of other helpers, or it is
/// a per-tensor reduction (<see cref="SumsOverTensor"/>).
/// </summary>
[AttributeUsage(AttributeTargets.Method, Inherited = false)]
public sealed class FormulaHelperAttribute : Attribute
{
    /// <summary>
    /// A C# expression over the helper's parameter names, <c>StepNumber</c> and other helpers that the generator
    /// substitutes for the call, so that its per-step parts are hoisted out of the loop.
    /// </summary>
    public string? Expansion { get; set; }

    /// <summary>
    /// Whether the helper is the per-tensor sum of its element-wise argument: a value that is the same for every
    /// element, known only after a read pass over the tensor. The generator emits that pass before the update
    /// loop; the scalar reference runs the update method twice per element, first to sum, then to update.
    /// </summary>
    public bool SumsOverTensor { get; set; }
}
