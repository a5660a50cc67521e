using System;
using OptimGen;
using OptimGen.Optimizers;

namespace Landscape;

/// <summary>An optimizer from OptimGen's catalog with its settings, as a legend names it.</summary>
internal sealed record Contestant(string Label, Func<Optimizer> Create)
{
    public static Contestant Sgd(float learningRate)
        => new($"SGD (lr {learningRate})", () => new Sgd { LearningRate = learningRate });

    public static Contestant Momentum(float learningRate)
        => new($"momentum 0.9 (lr {learningRate})", () => new Sgd { LearningRate = learningRate, Momentum = 0.9f });

    public static Contestant Adam(float learningRate)
        => new($"Adam (lr {learningRate})", () => new Adam { LearningRate = learningRate });
}
