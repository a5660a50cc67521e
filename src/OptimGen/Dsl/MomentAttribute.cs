using System;

namespace OptimGen;

/// <summary>
/// Marks a <c>ref float</c> parameter of the update method as per-element optimizer state (a moment): one value per
/// parameter element, kept across steps, zero at the start.
/// </summary>
[AttributeUsage(AttributeTargets.Parameter, Inherited = false)]
public sealed class MomentAttribute : Attribute
{
    /// <summary>
    /// The name of a bool hyperparameter (use <c>nameof</c>): the moment exists only while it is true, and takes no
    /// memory otherwise. While it is false the formula reads the moment as zero and its writes are dropped.
    /// </summary>
    public string? When { get; set; }
}
