namespace OptimGen.Generators.Model;

/// <summary>
/// The value a moment or a step-state field holds before a tensor's first step: a number, or a hyperparameter read
/// when the tensor takes that step.
/// </summary>
/// <param name="Number">The number, when <paramref name="HyperparameterField"/> is null.</param>
internal sealed record StartingValue(double Number, string? HyperparameterField);
