using System;

namespace OptimGen;

/// <summary>
/// A rule between hyperparameters of an optimizer declaration, as a C# condition over their field names:
/// <c>[Requires("!nesterov || (momentum > 0 &amp;&amp; dampening == 0)", Message = "Nesterov momentum requires a momentum and zero dampening")]</c>.
/// The generated <c>Apply</c> checks it before a step writes anything and throws <see cref="InvalidOperationException"/>
/// naming the rule and the values; the analyzer reports an object initializer that breaks it at compile time (OPTG017).
/// </summary>
/// <remarks>
/// The condition may use the hyperparameters, number and bool literals, <c>+ - * /</c>, comparisons, <c>!</c>,
/// <c>&amp;&amp;</c>, <c>||</c> and parentheses.
/// </remarks>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class RequiresAttribute(string condition) : Attribute
{
    /// <summary>The condition the hyperparameters must meet.</summary>
    public string Condition { get; } = condition;

    /// <summary>What breaking the rule means, in the words a user knows (PyTorch's message, say); optional.</summary>
    public string? Message { get; init; }
}
