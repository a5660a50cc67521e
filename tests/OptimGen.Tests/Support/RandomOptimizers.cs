using System;
using System.Collections.Generic;
using OptimGen.Optimizers;

namespace OptimGen.Tests.Support;

/// <summary>Each catalog optimizer with random hyperparameters drawn from inside their intervals.</summary>
public static class RandomOptimizers
{
    public static readonly IReadOnlyDictionary<string, Func<Random, Optimizer>> Catalog = new Dictionary<string, Func<Random, Optimizer>>
    {
        ["Sgd"] = r => new Sgd
        {
            LearningRate = Uniform(r, 0, 0.5),
            Momentum = r.Next(3) == 0 ? 0 : Uniform(r, 0, 0.99),
            Dampening = r.Next(2) == 0 ? 0 : Uniform(r, 0, 1),
            WeightDecay = r.Next(2) == 0 ? 0 : Uniform(r, 0, 0.1),
            Nesterov = r.Next(2) == 0,
            Maximize = r.Next(2) == 0,
        },
        ["Adam"] = r => new Adam
        {
            LearningRate = Uniform(r, 0, 0.1),
            Beta1 = Uniform(r, 0, 0.99),
            Beta2 = Uniform(r, 0.9, 0.9999),
            Epsilon = MathF.Pow(10, Uniform(r, -10, -4)),
            WeightDecay = r.Next(2) == 0 ? 0 : Uniform(r, 0, 0.1),
            Amsgrad = r.Next(2) == 0,
            Maximize = r.Next(2) == 0,
        },
        ["AdamW"] = r => new AdamW
        {
            LearningRate = Uniform(r, 0, 0.1),
            Beta1 = Uniform(r, 0, 0.99),
            Beta2 = Uniform(r, 0.9, 0.9999),
            Epsilon = MathF.Pow(10, Uniform(r, -10, -4)),
            WeightDecay = Uniform(r, 0, 0.1),
            Amsgrad = r.Next(2) == 0,
            Maximize = r.Next(2) == 0,
        },
    };

    /// <summary>Each catalog optimizer with every option that adds work switched on.</summary>
    public static readonly IReadOnlyDictionary<string, Func<Optimizer>> Busiest = new Dictionary<string, Func<Optimizer>>
    {
        ["Sgd"] = () => new Sgd { LearningRate = 0.01f, Momentum = 0.9f, Dampening = 0.1f, WeightDecay = 0.01f, Nesterov = true },
        ["Adam"] = () => new Adam { WeightDecay = 0.01f, Amsgrad = true, Maximize = true },
        ["AdamW"] = () => new AdamW { Amsgrad = true, Maximize = true },
    };

    public static float Uniform(Random random, double low, double high) => (float)(low + (random.NextDouble() * (high - low)));

    /// <summary>Gradients as training makes them, with exact zeros, tiny and huge magnitudes mixed in.</summary>
    public static float NextGradient(Random random) => random.Next(20) switch
    {
        0 or 1 => 0f,
        2 => Sign(random) * MathF.Pow(10, Uniform(random, -38, -20)),
        3 => Sign(random) * MathF.Pow(10, Uniform(random, 8, 15)),
        _ => (float)Normal(random),
    };

    public static double Normal(Random random)
        => Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());

    private static float Sign(Random random) => random.Next(2) == 0 ? -1f : 1f;
}
