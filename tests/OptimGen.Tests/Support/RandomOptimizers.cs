using System;
using System.Collections.Generic;
using OptimGen.Optimizers;

namespace OptimGen.Tests.Support;

/// <summary>Each catalog optimizer with random hyperparameters drawn from inside their intervals.</summary>
public static class RandomOptimizers
{
    public static readonly IReadOnlyDictionary<string, Func<Random, Optimizer>> Catalog = new Dictionary<string, Func<Random, Optimizer>>
    {
        ["Sgd"] = RandomSgd,
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
        ["Adamax"] = r => new Adamax
        {
            LearningRate = Uniform(r, 0, 0.1),
            Beta1 = Uniform(r, 0, 0.99),
            Beta2 = Uniform(r, 0.9, 0.9999),
            Epsilon = MathF.Pow(10, Uniform(r, -10, -4)),
            WeightDecay = r.Next(2) == 0 ? 0 : Uniform(r, 0, 0.1),
            Maximize = r.Next(2) == 0,
        },
        ["NAdam"] = r => new NAdam
        {
            LearningRate = Uniform(r, 0, 0.1),
            Beta1 = Uniform(r, 0, 0.99),
            Beta2 = Uniform(r, 0.9, 0.9999),
            Epsilon = MathF.Pow(10, Uniform(r, -10, -4)),
            WeightDecay = r.Next(2) == 0 ? 0 : Uniform(r, 0, 0.1),
            MomentumDecay = Uniform(r, 0, 0.01),
            DecoupledWeightDecay = r.Next(2) == 0,
            Maximize = r.Next(2) == 0,
        },
        ["RAdam"] = r => new RAdam
        {
            LearningRate = Uniform(r, 0, 0.1),
            Beta1 = Uniform(r, 0, 0.99),
            // Small beta2 crosses rho_t > 5 within the trial's steps; large beta2 stays below it.
            Beta2 = r.Next(2) == 0 ? Uniform(r, 0.3, 0.6) : Uniform(r, 0.9, 0.9999),
            Epsilon = MathF.Pow(10, Uniform(r, -10, -4)),
            WeightDecay = r.Next(2) == 0 ? 0 : Uniform(r, 0, 0.1),
            DecoupledWeightDecay = r.Next(2) == 0,
            Maximize = r.Next(2) == 0,
        },
        ["RmsProp"] = r => new RmsProp
        {
            LearningRate = Uniform(r, 0, 0.1),
            Alpha = Uniform(r, 0.5, 1),
            Epsilon = MathF.Pow(10, Uniform(r, -10, -4)),
            WeightDecay = r.Next(2) == 0 ? 0 : Uniform(r, 0, 0.1),
            Momentum = r.Next(2) == 0 ? 0 : Uniform(r, 0, 0.99),
            Centered = r.Next(2) == 0,
            Maximize = r.Next(2) == 0,
        },
        ["Adagrad"] = r => new Adagrad
        {
            LearningRate = Uniform(r, 0, 0.1),
            LearningRateDecay = r.Next(2) == 0 ? 0 : Uniform(r, 0, 0.1),
            WeightDecay = r.Next(2) == 0 ? 0 : Uniform(r, 0, 0.1),
            InitialAccumulatorValue = r.Next(2) == 0 ? 0 : Uniform(r, 0, 1),
            Epsilon = MathF.Pow(10, Uniform(r, -12, -4)),
            Maximize = r.Next(2) == 0,
        },
        ["Adadelta"] = r => new Adadelta
        {
            LearningRate = Uniform(r, 0, 2),
            Rho = Uniform(r, 0.5, 1),
            Epsilon = MathF.Pow(10, Uniform(r, -8, -4)),
            WeightDecay = r.Next(2) == 0 ? 0 : Uniform(r, 0, 0.1),
            Maximize = r.Next(2) == 0,
        },
        ["Rprop"] = r => new Rprop
        {
            LearningRate = Uniform(r, 1e-4, 0.1),
            EtaMinus = Uniform(r, 0.1, 0.9),
            EtaPlus = Uniform(r, 1.01, 2),
            MinStepSize = Uniform(r, 0, 1e-5),
            MaxStepSize = Uniform(r, 1, 100),
            Maximize = r.Next(2) == 0,
        },
        ["Asgd"] = r => new Asgd
        {
            LearningRate = Uniform(r, 0, 0.1),
            Lambd = Uniform(r, 0, 1e-3),
            Alpha = Uniform(r, 0.5, 1),
            T0 = r.Next(2) == 0 ? 1e6f : r.Next(0, 4),
            WeightDecay = r.Next(2) == 0 ? 0 : Uniform(r, 0, 0.1),
            Maximize = r.Next(2) == 0,
        },
        ["Lion"] = r => new Lion
        {
            LearningRate = Uniform(r, 0, 0.01),
            Beta1 = Uniform(r, 0, 1),
            Beta2 = Uniform(r, 0.9, 1),
            WeightDecay = r.Next(2) == 0 ? 0 : Uniform(r, 0, 1),
            Maximize = r.Next(2) == 0,
        },
        ["AdaBelief"] = r => new AdaBelief
        {
            LearningRate = Uniform(r, 0, 0.1),
            Beta1 = Uniform(r, 0, 0.99),
            Beta2 = Uniform(r, 0.9, 0.9999),
            Epsilon = MathF.Pow(10, Uniform(r, -16, -6)),
            WeightDecay = r.Next(2) == 0 ? 0 : Uniform(r, 0, 0.1),
            DecoupledWeightDecay = r.Next(2) == 0,
            Amsgrad = r.Next(2) == 0,
            Maximize = r.Next(2) == 0,
        },
        ["Yogi"] = r => new Yogi
        {
            LearningRate = Uniform(r, 0, 0.1),
            Beta1 = Uniform(r, 0, 0.99),
            Beta2 = Uniform(r, 0.9, 0.9999),
            Epsilon = MathF.Pow(10, Uniform(r, -6, -2)),
            InitialAccumulatorValue = r.Next(2) == 0 ? 0 : Uniform(r, 0, 1e-3),
            Maximize = r.Next(2) == 0,
        },
        ["Lamb"] = r => new Lamb
        {
            LearningRate = Uniform(r, 0, 0.1),
            Beta1 = Uniform(r, 0, 0.99),
            Beta2 = Uniform(r, 0.9, 0.9999),
            Epsilon = MathF.Pow(10, Uniform(r, -8, -4)),
            WeightDecay = r.Next(2) == 0 ? 0 : Uniform(r, 0, 0.1),
            BiasCorrection = r.Next(2) == 0,
            Maximize = r.Next(2) == 0,
        },
    };

    /// <summary>SGD with random options; Nesterov momentum only where PyTorch allows it (a momentum, no dampening).</summary>
    private static Sgd RandomSgd(Random r)
    {
        var sgd = new Sgd
        {
            LearningRate = Uniform(r, 0, 0.5),
            Momentum = r.Next(3) == 0 ? 0 : Uniform(r, 0.01, 0.99),
            Dampening = r.Next(2) == 0 ? 0 : Uniform(r, 0, 1),
            WeightDecay = r.Next(2) == 0 ? 0 : Uniform(r, 0, 0.1),
            Maximize = r.Next(2) == 0,
        };
        sgd.Nesterov = sgd.Momentum > 0 && sgd.Dampening == 0 && r.Next(2) == 0;
        return sgd;
    }

    /// <summary>Each catalog optimizer with every option that adds work switched on.</summary>
    public static readonly IReadOnlyDictionary<string, Func<Optimizer>> Busiest = new Dictionary<string, Func<Optimizer>>
    {
        // Nesterov momentum takes zero dampening (PyTorch's rule, declared with [Requires]).
        ["Sgd"] = () => new Sgd { LearningRate = 0.01f, Momentum = 0.9f, WeightDecay = 0.01f, Nesterov = true },
        ["Adam"] = () => new Adam { WeightDecay = 0.01f, Amsgrad = true, Maximize = true },
        ["AdamW"] = () => new AdamW { Amsgrad = true, Maximize = true },
        ["Adamax"] = () => new Adamax { WeightDecay = 0.01f, Maximize = true },
        ["NAdam"] = () => new NAdam { WeightDecay = 0.01f, DecoupledWeightDecay = true, Maximize = true },
        ["RAdam"] = () => new RAdam { Beta2 = 0.5f, WeightDecay = 0.01f, Maximize = true },
        ["RmsProp"] = () => new RmsProp { WeightDecay = 0.01f, Momentum = 0.9f, Centered = true, Maximize = true },
        ["Adagrad"] = () => new Adagrad { LearningRateDecay = 0.01f, WeightDecay = 0.01f, InitialAccumulatorValue = 0.1f, Maximize = true },
        ["Adadelta"] = () => new Adadelta { WeightDecay = 0.01f, Maximize = true },
        ["Rprop"] = () => new Rprop { Maximize = true },
        ["Asgd"] = () => new Asgd { T0 = 2, WeightDecay = 0.01f, Maximize = true },
        ["Lion"] = () => new Lion { WeightDecay = 0.1f, Maximize = true },
        ["AdaBelief"] = () => new AdaBelief { WeightDecay = 0.01f, Amsgrad = true, Maximize = true },
        ["Yogi"] = () => new Yogi { Maximize = true },
        ["Lamb"] = () => new Lamb { Maximize = true },
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
