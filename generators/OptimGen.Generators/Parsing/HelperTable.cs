using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;

namespace OptimGen.Generators.Parsing;

/// <summary>
/// The formula helpers, read from the [FormulaHelper] methods of OptimGen.Optimizer: the runtime library declares
/// them once and this table follows.
/// </summary>
internal sealed class HelperTable
{
    public const string OptimizerTypeName = "OptimGen.Optimizer";
    public const string FormulaHelperAttributeName = "OptimGen.FormulaHelperAttribute";

    private readonly Dictionary<string, Helper> helpers;

    private HelperTable(Dictionary<string, Helper> helpers) => this.helpers = helpers;

    public string Names => string.Join(", ", helpers.Keys);

    public static HelperTable From(INamedTypeSymbol optimizerType)
    {
        var helpers = new Dictionary<string, Helper>();
        foreach (var method in optimizerType.GetMembers().OfType<IMethodSymbol>())
        {
            var attribute = method.GetAttributes().FirstOrDefault(a => a.AttributeClass?.ToDisplayString() == FormulaHelperAttributeName);
            if (attribute is null || helpers.ContainsKey(method.Name))
            {
                continue;
            }

            var expansion = attribute.NamedArguments.FirstOrDefault(a => a.Key == "Expansion").Value.Value as string;
            var sumsOverTensor = attribute.NamedArguments.FirstOrDefault(a => a.Key == "SumsOverTensor").Value.Value is true;
            var hasStepForm = optimizerType.GetMembers(method.Name).OfType<IMethodSymbol>().Any(m =>
                m.Parameters.Length == method.Parameters.Length
                && m.Parameters.All(p => p.Type.SpecialType == SpecialType.System_Double));
            helpers.Add(method.Name, new Helper(
                method.Name, expansion, method.Parameters.Select(p => p.Name).ToImmutableArray(), hasStepForm, sumsOverTensor));
        }

        return new HelperTable(helpers);
    }

    public bool TryGet(string name, out Helper helper) => helpers.TryGetValue(name, out helper!);
}

/// <summary>One formula helper.</summary>
/// <param name="Expansion">C# the call is replaced with (over the parameter names), or null for a lane intrinsic.</param>
/// <param name="HasStepForm">Whether a double overload exists, for calls on per-step values.</param>
/// <param name="SumsOverTensor">Whether the helper is the per-tensor sum of its argument.</param>
internal sealed record Helper(string Name, string? Expansion, ImmutableArray<string> Parameters, bool HasStepForm, bool SumsOverTensor);
