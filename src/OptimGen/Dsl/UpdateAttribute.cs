using System;

namespace OptimGen;

/// <summary>
/// Marks the per-element update formula of an optimizer declaration. Its shape is
/// <c>void Update(ref float param, float grad, [Moment] ref float m, ...)</c>: the parameter, its gradient, then one
/// <c>ref float</c> per moment. The body is ordinary C#; it runs as the scalar reference implementation and the
/// generator translates it into the vectorized loop.
/// </summary>
[AttributeUsage(AttributeTargets.Method, Inherited = false)]
public sealed class UpdateAttribute : Attribute;
