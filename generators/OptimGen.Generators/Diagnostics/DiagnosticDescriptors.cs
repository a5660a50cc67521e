using Microsoft.CodeAnalysis;

namespace OptimGen.Generators.Diagnostics;

/// <summary>
/// Every diagnostic OptimGen reports. IDs are banded by kind: OPTG0xx declarations (class, hyperparameters, update
/// method, moments, step state, and OPTG014 for the values code assigns to them), OPTG1xx formulas. Each ID has a
/// section in the README, which its help link opens.
/// </summary>
internal static class DiagnosticDescriptors
{
    public const string HelpLinkBase = "https://github.com/optimgen/optimgen/blob/main/README.md#";

    private const string Declaration = "OptimGen.Declaration";
    private const string Formula = "OptimGen.Formula";
    private const string Usage = "OptimGen.Usage";

    public static readonly DiagnosticDescriptor NotPartial = Error(
        "OPTG001", Declaration,
        "Optimizer class must be partial",
        "The optimizer '{0}' must be declared partial so that the generator can complete it");

    public static readonly DiagnosticDescriptor UnsupportedClassShape = Error(
        "OPTG002", Declaration,
        "Optimizer class must be a non-generic top-level class",
        "The optimizer '{0}' is {1}; declare optimizers as non-generic classes directly in a namespace");

    public static readonly DiagnosticDescriptor WrongBaseClass = Error(
        "OPTG003", Declaration,
        "Optimizer class must derive from OptimGen.Optimizer",
        "The optimizer '{0}' derives from '{1}'; declare it as 'partial class {0} : Optimizer' so that the formula helpers resolve");

    public static readonly DiagnosticDescriptor InvalidHyperparameterField = Error(
        "OPTG004", Declaration,
        "Hyperparameter must be an instance field of type float, double, int or bool",
        "Hyperparameter '{0}' is {1}; hyperparameters are mutable instance fields of type float, double, int or bool");

    public static readonly DiagnosticDescriptor MalformedInterval = Error(
        "OPTG005", Declaration,
        "Malformed hyperparameter interval",
        "'{0}' is not a valid interval for hyperparameter '{1}': {2}");

    public static readonly DiagnosticDescriptor DefaultOutOfRange = Error(
        "OPTG006", Declaration,
        "Hyperparameter default outside its interval",
        "The default value {0} of hyperparameter '{1}' is outside its interval {2}");

    public static readonly DiagnosticDescriptor UpdateMethodCount = Error(
        "OPTG007", Declaration,
        "Optimizer needs exactly one [Update] method",
        "The optimizer '{0}' {1}; declare exactly one method marked [Update]");

    public static readonly DiagnosticDescriptor UpdateMethodShape = Error(
        "OPTG008", Declaration,
        "Update method has the wrong shape",
        "The update method {0}; its shape is void Update(ref float param, float grad, [Moment] ref float m, ...)");

    public static readonly DiagnosticDescriptor InvalidMomentCondition = Error(
        "OPTG009", Declaration,
        "Moment condition must name a hyperparameter",
        "Moment '{0}' exists only when '{1}', which is not a bool or numeric hyperparameter of this optimizer");

    public static readonly DiagnosticDescriptor GeneratedNameTaken = Error(
        "OPTG010", Declaration,
        "A name the generated code needs is taken",
        "The generated code needs the name '{0}' for {1}, but {2}");

    public static readonly DiagnosticDescriptor InvalidStepStateField = Error(
        "OPTG011", Declaration,
        "Step state must be an instance field of type double or float",
        "Step state '{0}' is {1}; step state is a mutable instance field of type double or float, started by a constant initializer or a hyperparameter");

    public static readonly DiagnosticDescriptor OncePerStepMethodShape = Error(
        "OPTG012", Declaration,
        "The [OncePerStep] method has the wrong shape",
        "The [OncePerStep] method '{0}' {1}; declare one instance method 'void {0}()' that assigns the [StepState] fields");

    public static readonly DiagnosticDescriptor InvalidInitialValue = Error(
        "OPTG013", Declaration,
        "Starting value must be a number or a number hyperparameter",
        "'{0}' is not a valid starting value for '{1}': give the name of a float, double or int hyperparameter (use nameof) or a number that a float holds, such as \"1e-6\"");

    public static readonly DiagnosticDescriptor HyperparameterValueOutOfRange = Error(
        "OPTG014", Usage,
        "Hyperparameter value outside its interval",
        "{0} is outside the interval {1} of '{2}', so the setter would throw ArgumentOutOfRangeException");

    public static readonly DiagnosticDescriptor MalformedRule = Error(
        "OPTG016", Declaration,
        "Malformed [Requires] rule",
        "The rule '{0}' cannot be checked: {1}");

    public static readonly DiagnosticDescriptor RuleBroken = Error(
        "OPTG017", Usage,
        "Hyperparameter values break a rule of the optimizer",
        "These values break {0}'s rule '{1}'{2}");

    public static readonly DiagnosticDescriptor InvalidMomentStorage = Error(
        "OPTG018", Declaration,
        "Moment storage must be a StorageFormat member",
        "Moment '{0}' is declared with storage {1}, which is not StorageFormat.Float32, BFloat16 or Quantized8");

    public static readonly DiagnosticDescriptor UnsupportedConstruct = Error(
        "OPTG101", Formula,
        "Unsupported construct in an update formula",
        "{0} is not supported in an update formula: {1}");

    public static readonly DiagnosticDescriptor UseFormulaHelper = Error(
        "OPTG102", Formula,
        "Use the formula helper instead of System.Math",
        "Use {0} instead of {1}: formulas call OptimGen's helpers, which the generator can vectorize");

    public static readonly DiagnosticDescriptor UnknownCall = Error(
        "OPTG103", Formula,
        "Only formula helpers can be called in an update formula",
        "'{0}' cannot be called in an update formula; the helpers are {1}");

    public static readonly DiagnosticDescriptor ElementWiseIfCondition = Error(
        "OPTG104", Formula,
        "An if condition must be the same for every element",
        "The condition '{0}' depends on element values, so it cannot choose a branch once per step; write the choice as a conditional expression (c ? a : b), Min or Max, which become vector selects");

    public static readonly DiagnosticDescriptor ReadOnlyInFormula = Error(
        "OPTG105", Formula,
        "Value cannot be assigned in an update formula",
        "'{0}' cannot be assigned in an update formula: {1}");

    public static readonly DiagnosticDescriptor ElementWiseDouble = Error(
        "OPTG106", Formula,
        "Element-wise values are float",
        "Local '{0}' is {1} but depends on element values; element-wise values in a formula are float");

    public static readonly DiagnosticDescriptor MomentNeverWritten = Warning(
        "OPTG107", Formula,
        "Moment is never written",
        "Moment '{0}' is never written by the update formula, so it keeps its initial value");

    public static readonly DiagnosticDescriptor HyperparameterNeverRead = Warning(
        "OPTG108", Formula,
        "Hyperparameter is never read",
        "Hyperparameter '{0}' is never read by the update formula, a moment condition, a starting value or the [OncePerStep] method");

    public static readonly DiagnosticDescriptor UnsupportedReference = Error(
        "OPTG109", Formula,
        "Value cannot be read in an update formula",
        "'{0}' cannot be read in an update formula; a formula reads the parameter, the gradient, moments, its locals, hyperparameters, [StepState] fields, constants, StepNumber and ElementCount");

    public static readonly DiagnosticDescriptor MisplacedTensorSum = Error(
        "OPTG110", Formula,
        "Per-tensor sum cannot be used here",
        "'{0}' {1}");

    public static readonly DiagnosticDescriptor LiteralOutOfFloatRange = Error(
        "OPTG111", Formula,
        "Number does not fit in float",
        "'{0}' is a double that float cannot hold, but it takes part in an element-wise (float) computation; use a number within float's range (about 3.4e38), or keep it in per-step code");

    // Reported once per compilation, after all of it is seen, so that its location does not depend on analysis order.
    public static readonly DiagnosticDescriptor SlowDebugBuild = new(
        "OPTG015",
        "Optimizers run slowly in Debug builds",
        "Generated loops run about 30x slower in Debug builds; benchmark and train in Release",
        Usage,
        DiagnosticSeverity.Info,
        isEnabledByDefault: true,
        helpLinkUri: HelpLinkBase + "optg015",
        customTags: WellKnownDiagnosticTags.CompilationEnd);

    public static readonly DiagnosticDescriptor DivisionByZero = Warning(
        "OPTG112", Formula,
        "Division by a value that can be zero",
        "'{0}' {1}, so this division gives an infinity or NaN for some finite inputs, and the NaN spreads; add a positive epsilon (a hyperparameter with interval (0, inf)), and take square roots of values that cannot be negative");

    private static DiagnosticDescriptor Error(string id, string category, string title, string message)
        => Create(id, category, title, message, DiagnosticSeverity.Error);

    private static DiagnosticDescriptor Warning(string id, string category, string title, string message)
        => Create(id, category, title, message, DiagnosticSeverity.Warning);

    private static DiagnosticDescriptor Create(string id, string category, string title, string message, DiagnosticSeverity severity)
        => new(id, title, message, category, severity, isEnabledByDefault: true, helpLinkUri: HelpLinkBase + id.ToLowerInvariant());
}
