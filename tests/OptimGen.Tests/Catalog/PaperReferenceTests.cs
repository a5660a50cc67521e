using System;
using System.Collections.Generic;
using System.Linq;
using OptimGen.Optimizers;
using OptimGen.Tests.Support;
using Xunit;

namespace OptimGen.Tests.Catalog;

/// <summary>
/// The catalog optimizers that PyTorch 1.13 lacks (Lion, AdaBelief, Yogi, LAMB) against scalar double-precision
/// implementations of their papers' algorithms, written here from the formulas, step by step. Inputs are the
/// initial parameters and recorded gradients of the PyTorch reference file; hyperparameters are the float values the
/// optimizer is given, widened to double.
/// </summary>
public sealed class PaperReferenceTests
{
    private const int Steps = 25;

    // ---------------------------------------------------------------------------------------------------------------
    // Lion (Chen et al., 2023, "Symbolic Discovery of Optimization Algorithms", Algorithm 2).
    // ---------------------------------------------------------------------------------------------------------------

    private sealed record LionSettings(double LearningRate, double Beta1, double Beta2, double WeightDecay, bool Maximize);

    public static TheoryData<string> LionConfigs => ["defaults", "weight decay", "maximize"];

    [Theory]
    [MemberData(nameof(LionConfigs))]
    public void LionMatchesAlgorithm2(string config)
    {
        var (optimizer, settings) = config switch
        {
            "defaults" => (new Lion(), new LionSettings(1e-4f, 0.9f, 0.99f, 0f, false)),
            "weight decay" => (new Lion { LearningRate = 1e-3f, Beta1 = 0.9f, Beta2 = 0.99f, WeightDecay = 0.1f },
                               new LionSettings(1e-3f, 0.9f, 0.99f, 0.1f, false)),
            "maximize" => (new Lion { LearningRate = 3e-4f, Beta1 = 0.95f, Beta2 = 0.98f, WeightDecay = 0.05f, Maximize = true },
                           new LionSettings(3e-4f, 0.95f, 0.98f, 0.05f, true)),
            _ => throw new ArgumentOutOfRangeException(nameof(config)),
        };

        var (initial, gradients) = CaseData("adam");
        var m = new double[initial.Length];
        AssertMatchesReference($"Lion ({config})", optimizer,
            [new Tensor(initial, gradients, (t, w, g) => LionStep(settings, w, g, m))]);
    }

    /// <summary>
    /// c = b1 m + (1 - b1) g; w = w - lr (sign(c) + wd w); m = b2 m + (1 - b2) g.
    /// </summary>
    private static void LionStep(LionSettings s, double[] w, double[] g, double[] m)
    {
        for (var i = 0; i < w.Length; i++)
        {
            var grad = s.Maximize ? -g[i] : g[i];
            var c = s.Beta1 * m[i] + (1 - s.Beta1) * grad;
            w[i] -= s.LearningRate * (Math.Sign(c) + s.WeightDecay * w[i]);
            m[i] = s.Beta2 * m[i] + (1 - s.Beta2) * grad;
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // AdaBelief (Zhuang et al., 2020, "AdaBelief Optimizer: Adapting Stepsizes by the Belief in Observed Gradients",
    // Algorithm 2).
    // ---------------------------------------------------------------------------------------------------------------

    private sealed record AdaBeliefSettings(
        double LearningRate, double Beta1, double Beta2, double Epsilon, double WeightDecay,
        bool Decoupled, bool Amsgrad, bool Maximize);

    public static TheoryData<string> AdaBeliefConfigs => ["defaults", "lr 1e-2 eps 1e-8", "eps 1e-3", "decoupled weight decay", "amsgrad l2", "maximize"];

    [Theory]
    [MemberData(nameof(AdaBeliefConfigs))]
    public void AdaBeliefMatchesAlgorithm2(string config)
    {
        var (optimizer, settings) = config switch
        {
            "defaults" => (new AdaBelief(), new AdaBeliefSettings(1e-3f, 0.9f, 0.999f, 1e-16f, 0f, true, false, false)),
            "lr 1e-2 eps 1e-8" => (new AdaBelief { LearningRate = 1e-2f, Epsilon = 1e-8f },
                                   new AdaBeliefSettings(1e-2f, 0.9f, 0.999f, 1e-8f, 0f, true, false, false)),
            // Large enough that epsilon's two places (inside s_t, added every step, and in the denominator) matter.
            "eps 1e-3" => (new AdaBelief { LearningRate = 1e-2f, Epsilon = 1e-3f },
                           new AdaBeliefSettings(1e-2f, 0.9f, 0.999f, 1e-3f, 0f, true, false, false)),
            "decoupled weight decay" => (new AdaBelief { LearningRate = 1e-2f, Epsilon = 1e-8f, WeightDecay = 0.01f, DecoupledWeightDecay = true },
                                         new AdaBeliefSettings(1e-2f, 0.9f, 0.999f, 1e-8f, 0.01f, true, false, false)),
            "amsgrad l2" => (new AdaBelief
                             {
                                 LearningRate = 1e-2f, Beta1 = 0.8f, Beta2 = 0.99f, Epsilon = 1e-8f,
                                 WeightDecay = 0.1f, DecoupledWeightDecay = false, Amsgrad = true,
                             },
                             new AdaBeliefSettings(1e-2f, 0.8f, 0.99f, 1e-8f, 0.1f, false, true, false)),
            "maximize" => (new AdaBelief { LearningRate = 5e-3f, Epsilon = 1e-8f, WeightDecay = 0.05f, Amsgrad = true, Maximize = true },
                           new AdaBeliefSettings(5e-3f, 0.9f, 0.999f, 1e-8f, 0.05f, true, true, true)),
            _ => throw new ArgumentOutOfRangeException(nameof(config)),
        };

        var (initial, gradients) = CaseData("adamw");
        var n = initial.Length;
        double[] m = new double[n], s = new double[n], sMax = new double[n];
        AssertMatchesReference($"AdaBelief ({config})", optimizer,
            [new Tensor(initial, gradients, (t, w, g) => AdaBeliefStep(settings, t, w, g, m, s, sMax))]);
    }

    /// <summary>
    /// Weight decay: w = w (1 - lr wd) (decoupled) or g = g + wd w (L2); then
    /// m = b1 m + (1 - b1) g; s = b2 s + (1 - b2) (g - m)^2 + eps; (AMSGrad: s = max(sMax, s) for what follows);
    /// mhat = m / (1 - b1^t); shat = s / (1 - b2^t); w = w - lr mhat / (sqrt(shat) + eps).
    /// </summary>
    private static void AdaBeliefStep(AdaBeliefSettings p, int t, double[] w, double[] g, double[] m, double[] s, double[] sMax)
    {
        for (var i = 0; i < w.Length; i++)
        {
            var grad = p.Maximize ? -g[i] : g[i];
            if (p.Decoupled)
            {
                w[i] *= 1 - p.LearningRate * p.WeightDecay;
            }
            else
            {
                grad += p.WeightDecay * w[i];
            }

            m[i] = p.Beta1 * m[i] + (1 - p.Beta1) * grad;
            s[i] = p.Beta2 * s[i] + (1 - p.Beta2) * (grad - m[i]) * (grad - m[i]) + p.Epsilon;
            var second = s[i];
            if (p.Amsgrad)
            {
                sMax[i] = Math.Max(sMax[i], s[i]);
                second = sMax[i];
            }

            var mHat = m[i] / (1 - Math.Pow(p.Beta1, t));
            var sHat = second / (1 - Math.Pow(p.Beta2, t));
            w[i] -= p.LearningRate * mHat / (Math.Sqrt(sHat) + p.Epsilon);
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Yogi (Zaheer et al., 2018, "Adaptive Methods for Nonconvex Optimization", Algorithm 2, no bias correction).
    // ---------------------------------------------------------------------------------------------------------------

    private sealed record YogiSettings(
        double LearningRate, double Beta1, double Beta2, double Epsilon, double InitialAccumulator, bool Maximize);

    public static TheoryData<string> YogiConfigs => ["defaults", "lr 1e-2 accumulator 0", "maximize"];

    [Theory]
    [MemberData(nameof(YogiConfigs))]
    public void YogiMatchesAlgorithm2(string config)
    {
        var (optimizer, settings) = config switch
        {
            "defaults" => (new Yogi(), new YogiSettings(1e-2f, 0.9f, 0.999f, 1e-3f, 1e-6f, false)),
            "lr 1e-2 accumulator 0" => (new Yogi { LearningRate = 1e-2f, Beta2 = 0.99f, InitialAccumulatorValue = 0f },
                                        new YogiSettings(1e-2f, 0.9f, 0.99f, 1e-3f, 0f, false)),
            "maximize" => (new Yogi { LearningRate = 5e-3f, Beta1 = 0.8f, Epsilon = 1e-4f, InitialAccumulatorValue = 0.5f, Maximize = true },
                           new YogiSettings(5e-3f, 0.8f, 0.999f, 1e-4f, 0.5f, true)),
            _ => throw new ArgumentOutOfRangeException(nameof(config)),
        };

        var (initial, gradients) = CaseData("rmsprop");
        var m = new double[initial.Length];
        var v = Enumerable.Repeat(settings.InitialAccumulator, initial.Length).ToArray();
        AssertMatchesReference($"Yogi ({config})", optimizer,
            [new Tensor(initial, gradients, (t, w, g) => YogiStep(settings, w, g, m, v))]);
    }

    /// <summary>
    /// m = b1 m + (1 - b1) g; v = v - (1 - b2) sign(v - g^2) g^2 (v starting at the initial accumulator);
    /// w = w - lr m / (sqrt(v) + eps).
    /// </summary>
    private static void YogiStep(YogiSettings p, double[] w, double[] g, double[] m, double[] v)
    {
        for (var i = 0; i < w.Length; i++)
        {
            var grad = p.Maximize ? -g[i] : g[i];
            var gradSquared = grad * grad;
            m[i] = p.Beta1 * m[i] + (1 - p.Beta1) * grad;
            v[i] -= (1 - p.Beta2) * Math.Sign(v[i] - gradSquared) * gradSquared;
            w[i] -= p.LearningRate * m[i] / (Math.Sqrt(v[i]) + p.Epsilon);
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // LAMB (You et al., 2020, "Large Batch Optimization for Deep Learning: Training BERT in 76 minutes",
    // Algorithm 2 with phi the identity).
    // ---------------------------------------------------------------------------------------------------------------

    private sealed record LambSettings(
        double LearningRate, double Beta1, double Beta2, double Epsilon, double WeightDecay, bool BiasCorrection, bool Maximize);

    public static TheoryData<string> LambConfigs => ["defaults", "lr 1e-2 no weight decay no bias correction", "maximize"];

    private static (Lamb Optimizer, LambSettings Settings) LambConfig(string config) => config switch
    {
        "defaults" => (new Lamb(), new LambSettings(1e-3f, 0.9f, 0.999f, 1e-6f, 1e-2f, true, false)),
        "lr 1e-2 no weight decay no bias correction" => (new Lamb { LearningRate = 1e-2f, WeightDecay = 0f, BiasCorrection = false },
                                                         new LambSettings(1e-2f, 0.9f, 0.999f, 1e-6f, 0f, false, false)),
        "maximize" => (new Lamb { LearningRate = 5e-3f, Beta1 = 0.8f, Beta2 = 0.99f, WeightDecay = 0.1f, Maximize = true },
                       new LambSettings(5e-3f, 0.8f, 0.99f, 1e-6f, 0.1f, true, true)),
        _ => throw new ArgumentOutOfRangeException(nameof(config)),
    };

    [Theory]
    [MemberData(nameof(LambConfigs))]
    public void LambMatchesAlgorithm2(string config)
    {
        var (optimizer, settings) = LambConfig(config);
        var (initial, gradients) = CaseData("adam_l2");
        AssertMatchesReference($"LAMB ({config})", optimizer, [LambTensor(settings, initial, gradients)]);
    }

    /// <summary>
    /// Three tensors of different lengths in one optimizer (the 37 recorded parameters split as 20 and 17, and 1000
    /// seeded random values with their own gradients): each gets its own trust ratio.
    /// </summary>
    [Theory]
    [MemberData(nameof(LambConfigs))]
    public void LambTrustRatioIsPerTensor(string config)
    {
        var (optimizer, settings) = LambConfig(config);
        var (initial, gradients) = CaseData("adam_l2");

        var random = new Random(20240607);
        var large = Enumerable.Range(0, 1000).Select(_ => (float)(random.NextDouble() * 4 - 2)).ToArray();
        var largeGradients = Enumerable.Range(0, Steps)
            .Select(_ => Enumerable.Range(0, large.Length).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray())
            .ToList();

        Tensor[] tensors =
        [
            LambTensor(settings, initial[..20], gradients.Select(g => g[..20]).ToList()),
            LambTensor(settings, initial[20..], gradients.Select(g => g[20..]).ToList()),
            LambTensor(settings, large, largeGradients),
        ];

        // The case discriminates: at the first step the three tensors' trust ratios differ, so one ratio shared over
        // all of them would not match the per-tensor reference.
        var ratios = tensors.Select(tensor => FirstStepTrustRatio(settings, tensor)).ToArray();
        Assert.True(ratios.Distinct().Count() == ratios.Length && Math.Abs(ratios[0] / ratios[2] - 1) > 1e-2,
            $"LAMB ({config}): trust ratios {string.Join(", ", ratios)} are too alike to tell per-tensor from shared");

        AssertMatchesReference($"LAMB per tensor ({config})", optimizer, tensors);
    }

    private static Tensor LambTensor(LambSettings settings, float[] initial, IReadOnlyList<float[]> gradients)
    {
        var m = new double[initial.Length];
        var v = new double[initial.Length];
        return new Tensor(initial, gradients, (t, w, g) => LambStep(settings, t, w, g, m, v));
    }

    /// <summary>
    /// m = b1 m + (1 - b1) g; v = b2 v + (1 - b2) g^2; mhat = m / (1 - b1^t), vhat = v / (1 - b2^t) (or m, v without
    /// bias correction); r = mhat / (sqrt(vhat) + eps) + wd w; trust = ||w|| / ||r|| over the whole tensor, w before
    /// the update (1 if either norm is zero); w = w - lr trust r.
    /// </summary>
    private static double LambStep(LambSettings p, int t, double[] w, double[] g, double[] m, double[] v)
    {
        var r = new double[w.Length];
        for (var i = 0; i < w.Length; i++)
        {
            var grad = p.Maximize ? -g[i] : g[i];
            m[i] = p.Beta1 * m[i] + (1 - p.Beta1) * grad;
            v[i] = p.Beta2 * v[i] + (1 - p.Beta2) * grad * grad;
            var mHat = p.BiasCorrection ? m[i] / (1 - Math.Pow(p.Beta1, t)) : m[i];
            var vHat = p.BiasCorrection ? v[i] / (1 - Math.Pow(p.Beta2, t)) : v[i];
            r[i] = mHat / (Math.Sqrt(vHat) + p.Epsilon) + p.WeightDecay * w[i];
        }

        var weightNorm = Math.Sqrt(w.Sum(x => x * x));
        var updateNorm = Math.Sqrt(r.Sum(x => x * x));
        var trust = weightNorm > 0 && updateNorm > 0 ? weightNorm / updateNorm : 1;
        for (var i = 0; i < w.Length; i++)
        {
            w[i] -= p.LearningRate * trust * r[i];
        }

        return trust;
    }

    private static double FirstStepTrustRatio(LambSettings settings, Tensor tensor) =>
        LambStep(settings, 1, tensor.Initial.Select(x => (double)x).ToArray(), tensor.Gradients[0].Select(x => (double)x).ToArray(),
                 new double[tensor.Initial.Length], new double[tensor.Initial.Length]);

    // ---------------------------------------------------------------------------------------------------------------
    // Driver.
    // ---------------------------------------------------------------------------------------------------------------

    /// <summary>
    /// A parameter tensor: its initial values, one gradient per step, and the reference update
    /// (step number from 1, parameters, gradient), which keeps its own state.
    /// </summary>
    private sealed record Tensor(float[] Initial, IReadOnlyList<float[]> Gradients, Action<int, double[], double[]> ReferenceStep);

    private static (float[] Initial, List<float[]> Gradients) CaseData(string torchCase)
    {
        var testCase = TorchCases.Get(torchCase);
        var initial = TorchCases.Floats(testCase.GetProperty("initial"));
        var gradients = testCase.GetProperty("gradients").EnumerateArray().Select(TorchCases.Floats).ToList();
        Assert.Equal(37, initial.Length);
        Assert.Equal(Steps, gradients.Count);
        return (initial, gradients);
    }

    /// <summary>
    /// Registers every tensor with <paramref name="optimizer"/>, then for each step writes the gradients, steps the
    /// optimizer and the double-precision reference (fed the same float gradients), and compares every element.
    /// </summary>
    private static void AssertMatchesReference(string label, Optimizer optimizer, IReadOnlyList<Tensor> tensors)
    {
        var parameters = tensors.Select(tensor => (float[])tensor.Initial.Clone()).ToArray();
        var gradientBuffers = tensors.Select(tensor => new float[tensor.Initial.Length]).ToArray();
        var references = tensors.Select(tensor => tensor.Initial.Select(x => (double)x).ToArray()).ToArray();
        for (var k = 0; k < tensors.Count; k++)
        {
            optimizer.Add(parameters[k], gradientBuffers[k]);
        }

        for (var step = 1; step <= Steps; step++)
        {
            for (var k = 0; k < tensors.Count; k++)
            {
                tensors[k].Gradients[step - 1].CopyTo(gradientBuffers[k], 0);
            }

            optimizer.Step();
            for (var k = 0; k < tensors.Count; k++)
            {
                tensors[k].ReferenceStep(step, references[k], tensors[k].Gradients[step - 1].Select(x => (double)x).ToArray());
                for (var i = 0; i < references[k].Length; i++)
                {
                    var expected = references[k][i];
                    var tolerance = 1e-5 * Math.Max(1, Math.Abs(expected));
                    Assert.True(Math.Abs(parameters[k][i] - expected) <= tolerance,
                        $"{label}: step {step}, tensor {k}, element {i}: got {parameters[k][i]:R}, expected {expected:R}");
                }
            }
        }
    }
}
