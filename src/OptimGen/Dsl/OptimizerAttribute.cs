using System;

namespace OptimGen;

/// <summary>
/// Marks a partial class as an optimizer declaration. The source generator completes the class: a property per
/// hyperparameter, parameter registration, <see cref="Optimizer.Step()"/> and a fused, vectorized update loop.
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class OptimizerAttribute : Attribute;
