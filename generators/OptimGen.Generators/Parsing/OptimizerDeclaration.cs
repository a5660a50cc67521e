using System.Collections.Generic;
using System.Collections.Immutable;
using OptimGen.Generators.Helpers;
using OptimGen.Generators.Model;

namespace OptimGen.Generators.Parsing;

/// <summary>
/// What <see cref="OptimizerParser.ReadDeclaration"/> found in a declaration without errors: its parts by meaning,
/// the formula read into statements, and the name scope that already holds every user name. It lives only inside
/// the generator's transform (it is not cached): the generator's <c>ModelBuilder</c> turns it into the model.
/// </summary>
internal sealed record OptimizerDeclaration(
    EquatableArray<string> Namespace,
    string ClassName,
    string HintName,
    string UpdateMethodName,
    string? OncePerStepMethodName,
    string ParamName,
    string GradName,
    IReadOnlyList<HyperparameterModel> Hyperparameters,
    IReadOnlyList<StepStateDeclaration> StepStates,
    IReadOnlyList<MomentDeclaration> Moments,
    ImmutableArray<Statement> Statements,
    IReadOnlyList<StateStore> StateStores,
    IReadOnlyList<RuleModel> Rules,
    IReadOnlyList<string> SumSources,
    ISet<string> ParametersRead,
    ISet<string> ParametersWritten,
    NameScope Names);

/// <summary>A [StepState] field: the expression formulas read it as, and its starting value.</summary>
internal sealed record StepStateDeclaration(StepState Value, StartingValue Initial);

/// <summary>A moment: its name in the generated code and in <c>MomentNames</c>, when it exists and how it starts.</summary>
/// <param name="Condition">The per-step condition under which it exists, or null when it always does.</param>
internal sealed record MomentDeclaration(string Name, string DisplayName, Expr? Condition, Hyperparameter? When, StartingValue? Initial, int Storage = 0, bool NonNegative = false);

/// <summary>A step-state field the formula (or the once-per-step method) assigns, with its value at the end of the step.</summary>
/// <param name="InFormula">Whether the update method itself assigns it (so that its scalar reference runs each element from the start value).</param>
internal sealed record StateStore(StepState State, PerStepLocal Value, bool InFormula);
