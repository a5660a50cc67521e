using OptimGen.Generators.Helpers;

namespace OptimGen.Generators.Model;

/// <summary>A formula statement. <paramref name="Source"/> is its text in the formula on one line, for comments.</summary>
internal abstract record Statement(string Source);

/// <summary>An element-wise local declared with a value.</summary>
internal sealed record Declaration(string Name, Expr Value, string Source) : Statement(Source);

/// <summary>An assignment of an element-wise value (compound assignments are expanded).</summary>
internal sealed record Assignment(string Target, Expr Value, string Source) : Statement(Source);

/// <summary>An if on a per-step condition (a flag test once lowered).</summary>
internal sealed record IfStatement(Expr Condition, EquatableArray<Statement> Then, EquatableArray<Statement> Else, string Source)
    : Statement(Source);

/// <summary>Adds the argument of a per-tensor sum to its lane accumulator (read pass only).</summary>
internal sealed record SumAccumulation(TensorSum Sum, string Accumulator, string Source) : Statement(Source);
