using System;

namespace OptimGen;

/// <summary>
/// Marks a <c>ref float</c> parameter of the update method as per-element optimizer state (a moment): one value per
/// parameter element, kept across steps, set to its <see cref="Initial"/> value (zero unless given) before a
/// tensor's first step.
/// </summary>
[AttributeUsage(AttributeTargets.Parameter, Inherited = false)]
public sealed class MomentAttribute : Attribute
{
    /// <summary>
    /// The name of a hyperparameter (use <c>nameof</c>): the moment exists only while it is true (a bool) or non-zero
    /// (a number), and takes no memory otherwise. While it does not exist the formula reads it as zero and its
    /// writes are dropped.
    /// </summary>
    public string? When { get; set; }

    /// <summary>
    /// The moment's value before the first step: the name of a number hyperparameter (use <c>nameof</c>), read when
    /// the tensor takes its first step, or a number written as a C# literal, such as <c>"1e-6"</c>. Zero if not given.
    /// </summary>
    public string? Initial { get; set; }

    /// <summary>
    /// How the moment is stored between steps: float32 (the default), bfloat16, or 8-bit block-quantized. An
    /// optimizer instance can change it (<see cref="Optimizer.SetMomentStorage(string, StorageFormat)"/>); the update
    /// always computes in float32.
    /// </summary>
    public StorageFormat Storage { get; set; }
}
