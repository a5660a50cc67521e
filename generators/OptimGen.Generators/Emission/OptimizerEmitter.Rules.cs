using System.Linq;
using OptimGen.Generators.Helpers;
using OptimGen.Generators.Model;

namespace OptimGen.Generators.Emission;

// The [Requires] rules between hyperparameters, checked before a step writes anything.
internal static partial class OptimizerEmitter
{
    // protected override bool HasHyperparameterRules => true;
    //
    // protected override void CheckHyperparameterRules()
    // {
    //     bool nesterov = this.nesterov;
    //     double momentum = this.momentum;
    //     if (!(!nesterov || momentum > 0d && dampening == 0d))
    //     {
    //         throw new InvalidOperationException(string.Format(..., "Sgd: ... (rule: ...; nesterov = {0}, momentum = {1})", nesterov, momentum));
    //     }
    // }
    private static void WriteCheckRules(IndentedWriter writer, OptimizerModel model)
    {
        if (model.Rules.Length == 0)
        {
            return;
        }

        var renderer = new StepRenderer(model.Names);
        writer.Line("/// <inheritdoc/>");
        writer.Line("protected override bool HasHyperparameterRules => true;");
        writer.Line();
        writer.Line("/// <inheritdoc/>");
        using (writer.OpenBlock("protected override void CheckHyperparameterRules()"))
        {
            var read = model.Rules.SelectMany(r => r.Condition.Walk()).OfType<Hyperparameter>().Distinct().ToList();
            WriteStepInputs(writer, model, read, renderer, model.Names.Step, model.Names.Length, stateSource: null);
            foreach (var rule in model.Rules)
            {
                writer.Line();
                var used = rule.Condition.Walk().OfType<Hyperparameter>().Distinct().ToList();
                var values = string.Join(", ", used.Select((h, i) => $"{h.Field} = {{{i}}}"));
                var what = rule.Message is null ? "" : rule.Message + " ";
                var format = Braces($"{model.ClassName}: {what}(rule: {rule.Text}; ") + values + ").";
                var arguments = string.Concat(used.Select(h => ", " + CSharp.Id(h.Local)));
                using (writer.OpenBlock($"if (!({renderer.Render(rule.Condition)}))"))
                {
                    writer.Line($"throw new global::System.InvalidOperationException(string.Format(global::System.Globalization.CultureInfo.InvariantCulture, {CSharp.String(format)}{arguments}));");
                }
            }
        }

        writer.Line();
    }

    /// <summary>Text kept as it is by string.Format: its braces doubled.</summary>
    private static string Braces(string text) => text.Replace("{", "{{").Replace("}", "}}");
}
