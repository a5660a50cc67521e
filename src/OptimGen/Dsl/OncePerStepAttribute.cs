using System;

namespace OptimGen;

/// <summary>
/// Marks the method that advances the <see cref="StepStateAttribute"/> fields: <c>void Advance()</c>, run once per
/// tensor per step, before the update loop, with <c>StepNumber</c> set to the step being applied. It is ordinary C#,
/// run as written (it is not vectorized); what it assigns to step-state fields is kept for the next step.
/// </summary>
[AttributeUsage(AttributeTargets.Method, Inherited = false)]
public sealed class OncePerStepAttribute : Attribute;
