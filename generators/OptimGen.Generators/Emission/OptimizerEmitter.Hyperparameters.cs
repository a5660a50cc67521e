using System.Linq;
using OptimGen.Generators.Helpers;
using OptimGen.Generators.Model;

namespace OptimGen.Generators.Emission;

// The hyperparameter table: what the runtime needs to handle hyperparameters by index (parameter groups, schedules,
// checkpoints) without reflection.
internal static partial class OptimizerEmitter
{
    // protected override global::OptimGen.HyperparameterInfo[] DescribeHyperparameters() =>
    // [
    //     new("LearningRate", global::OptimGen.HyperparameterType.Float, "[0, inf)", 0d, true, double.PositiveInfinity, false, 0.001d),
    // ];
    //
    // protected override double GetHyperparameter(int index) => index switch { 0 => this.learningRate, ... };
    //
    // protected override void SetHyperparameter(int index, double value)
    // {
    //     switch (index) { case 0: this.LearningRate = (float)value; return; ... }
    // }
    private static void WriteHyperparameterTable(IndentedWriter writer, OptimizerModel model)
    {
        if (model.Hyperparameters.Length == 0)
        {
            return;
        }

        var names = model.Names;
        writer.Line("/// <inheritdoc/>");
        writer.Line(GeneratedCode);
        writer.Line("protected override global::OptimGen.HyperparameterInfo[] DescribeHyperparameters() =>");
        writer.Line("[");
        foreach (var hyperparameter in model.Hyperparameters)
        {
            var bounds = hyperparameter.Bounds;
            var interval = bounds is null ? "null" : CSharp.String(CSharp.Interval(bounds));
            var lower = bounds is null ? CSharp.DoubleLiteral(double.NegativeInfinity) : CSharp.DoubleLiteral(bounds.Lower);
            var upper = bounds is null ? CSharp.DoubleLiteral(double.PositiveInfinity) : CSharp.DoubleLiteral(bounds.Upper);
            var lowerInclusive = CSharp.Bool(bounds?.LowerInclusive ?? true);
            var upperInclusive = CSharp.Bool(bounds?.UpperInclusive ?? true);
            writer.Line($"new({CSharp.String(hyperparameter.Property)}, global::OptimGen.HyperparameterType.{hyperparameter.Type}, {interval}, {lower}, {lowerInclusive}, {upper}, {upperInclusive}, {DefaultAsDouble(hyperparameter)}),", 1);
        }

        writer.Line("];");
        writer.Line();

        var reads = model.Hyperparameters.Select(h => h.Type == ScalarType.Bool
            ? $"this.{CSharp.Id(h.Field)} ? 1d : 0d"
            : $"this.{CSharp.Id(h.Field)}");
        WriteIndexSwitch(writer, "protected override double GetHyperparameter", names.StateIndex, reads, $"base.GetHyperparameter({names.StateIndex})");

        writer.Line("/// <inheritdoc/>");
        using (writer.OpenBlock($"protected override void SetHyperparameter(int {names.StateIndex}, double {names.HyperparameterValue})"))
        {
            using (writer.OpenBlock($"switch ({names.StateIndex})"))
            {
                for (var index = 0; index < model.Hyperparameters.Length; index++)
                {
                    var hyperparameter = model.Hyperparameters[index];
                    var value = hyperparameter.Type switch
                    {
                        ScalarType.Bool => $"{names.HyperparameterValue} != 0d",
                        ScalarType.Double => names.HyperparameterValue,
                        _ => $"({CSharp.Keyword(hyperparameter.Type)}){names.HyperparameterValue}",
                    };
                    writer.Line($"case {index}:");
                    writer.Line($"this.{hyperparameter.Property} = {value};", 1);
                    writer.Line("return;", 1);
                }

                writer.Line("default:");
                writer.Line($"base.SetHyperparameter({names.StateIndex}, {names.HyperparameterValue});", 1);
                writer.Line("return;", 1);
            }
        }

        writer.Line();
    }

    /// <summary>A default as the table's double: a float's own literal (widened exactly), 1 or 0 for a bool.</summary>
    private static string DefaultAsDouble(HyperparameterModel hyperparameter)
        => hyperparameter.Type is ScalarType.Float or ScalarType.Int
            ? CSharp.Literal(hyperparameter.Default, hyperparameter.Type)
            : CSharp.DoubleLiteral(hyperparameter.Default);
}
