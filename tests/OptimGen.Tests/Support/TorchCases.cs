using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Text.Json;
using OptimGen.Optimizers;

namespace OptimGen.Tests.Support;

/// <summary>The PyTorch trajectories in Reference/torch-optim-1.13.json, and how to build our optimizer for each.</summary>
public static class TorchCases
{
    /// <summary>Our optimizer for each torch.optim class name.</summary>
    public static readonly IReadOnlyDictionary<string, Func<Optimizer>> Catalog = new Dictionary<string, Func<Optimizer>>
    {
        ["SGD"] = () => new Sgd(),
        ["Adam"] = () => new Adam(),
        ["AdamW"] = () => new AdamW(),
        ["Adamax"] = () => new Adamax(),
        ["NAdam"] = () => new NAdam(),
        ["RAdam"] = () => new RAdam(),
        ["RMSprop"] = () => new RmsProp(),
        ["Adagrad"] = () => new Adagrad(),
        ["Adadelta"] = () => new Adadelta(),
        ["Rprop"] = () => new Rprop(),
        ["ASGD"] = () => new Asgd(),
    };

    // torch.optim arguments that do not change the arithmetic.
    private static readonly HashSet<string> ImplementationChoices = ["differentiable", "foreach", "capturable", "fused"];

    private static readonly Lazy<JsonDocument> Document = new(() =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Reference", "torch-optim-1.13.json"))));

    public static IEnumerable<JsonElement> All => Document.Value.RootElement.GetProperty("cases").EnumerateArray();

    public static JsonElement Get(string name) => All.Single(c => c.GetProperty("name").GetString() == name);

    /// <summary>The optimizer a case describes: PyTorch's defaults of that release, then the arguments passed.</summary>
    public static Optimizer Create(JsonElement testCase)
    {
        var optimizer = Catalog[testCase.GetProperty("optimizer").GetString()!]();
        foreach (var section in new[] { "defaults_of_this_pytorch", "hyperparameters" })
        {
            if (testCase.GetProperty(section) is { ValueKind: JsonValueKind.Object } arguments)
            {
                foreach (var argument in arguments.EnumerateObject().Where(a => !ImplementationChoices.Contains(a.Name)))
                {
                    Set(optimizer, argument.Name, argument.Value);
                }
            }
        }

        return optimizer;
    }

    public static float[] Floats(JsonElement array) => array.EnumerateArray().Select(e => e.GetSingle()).ToArray();

    private static void Set(Optimizer optimizer, string torchName, JsonElement value)
    {
        switch (torchName)
        {
            case "betas":
                SetProperty(optimizer, "Beta1", value[0]);
                SetProperty(optimizer, "Beta2", value[1]);
                return;
            case "etas":
                SetProperty(optimizer, "EtaMinus", value[0]);
                SetProperty(optimizer, "EtaPlus", value[1]);
                return;
            case "step_sizes":
                SetProperty(optimizer, "MinStepSize", value[0]);
                SetProperty(optimizer, "MaxStepSize", value[1]);
                return;
            default:
                // lr_decay is LearningRateDecay, eps is Epsilon, momentum_decay is MomentumDecay.
                SetProperty(optimizer, string.Concat(torchName.Split('_').Select(word => word switch
                {
                    "lr" => "LearningRate",
                    "eps" => "Epsilon",
                    _ => char.ToUpperInvariant(word[0]) + word[1..],
                })), value);
                return;
        }
    }

    private static void SetProperty(Optimizer optimizer, string name, JsonElement value)
    {
        var property = optimizer.GetType().GetProperty(name, BindingFlags.Public | BindingFlags.Instance)
            ?? throw new InvalidOperationException($"{optimizer.GetType().Name} has no hyperparameter {name}.");
        object converted = property.PropertyType switch
        {
            var t when t == typeof(bool) => value.GetBoolean(),
            var t when t == typeof(int) => value.GetInt32(),
            var t when t == typeof(double) => value.GetDouble(),
            _ => value.GetSingle(),
        };
        property.SetValue(optimizer, converted);
    }
}
