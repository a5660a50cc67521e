using System;

namespace OptimGen;

/// <summary>
/// Marks a <c>double</c> or <c>float</c> field of an optimizer declaration as per-step scalar state: one value per
/// parameter tensor, kept across steps with the tensor (like PyTorch's scalar per-parameter state, such as NAdam's
/// <c>mu_product</c>), advanced by the <see cref="OncePerStepAttribute"/> method before each step's loop and read by
/// the update formula as a per-step value.
/// </summary>
/// <remarks>
/// The field's initializer is the value before the first step, unless <see cref="Initial"/> names a hyperparameter.
/// Before the method runs, the generated code loads the field from the tensor being stepped; afterwards it stores it
/// back. The formula may read the field but not assign it.
/// </remarks>
[AttributeUsage(AttributeTargets.Field, Inherited = false)]
public sealed class StepStateAttribute : Attribute
{
    /// <summary>
    /// The name of a number hyperparameter (use <c>nameof</c>) whose value, when the tensor takes its first step, is
    /// the state's starting value. Leave it unset to start from the field's initializer.
    /// </summary>
    public string? Initial { get; set; }
}
