using System.Linq;
using Microsoft.CodeAnalysis;
using Xunit;

namespace OptimGen.Generators.Tests;

/// <summary>
/// Valid declarations a user may well write that no catalog optimizer looks like: each compiles without warnings
/// with its generated code and steps as its update method.
/// </summary>
public sealed class UnusualDeclarationsTests
{
    [Theory]
    [InlineData("""
        namespace Probe.@event;

        [Optimizer]
        public sealed partial class @checked : Optimizer
        {
            [Hyperparameter("[0, inf)")] private double @double = 0.1;
            [Hyperparameter("[1, 10]")] private int @int = 3;
            [Hyperparameter] private bool @bool = true;

            [Update]
            private void Update(ref float @ref, float @in, [Moment(When = nameof(@bool))] ref float @out)
            {
                @out = 0.5f * @out + @in;
                @ref -= (float)(@double / @int) * (@bool ? @out : @in);
            }
        }
        """)]
    [InlineData("""
        [Optimizer]
        public sealed partial class Scheduled : Optimizer
        {
            [Hyperparameter("[0, inf)")] float learningRate = 0.1f;
            [Hyperparameter("[0, 100]")] int warmup = 3;
            [Hyperparameter("[0, 1]")] float decay = 0.5f;
            [StepState] float scale = 1;
            [StepState] double peak;

            [OncePerStep]
            void Advance()
            {
                if (StepNumber <= warmup)
                {
                    scale = (float)StepNumber / (warmup + 1);
                }
                else if (StepNumber % 2 == 0)
                {
                    scale *= decay;
                    peak += 1;
                }
                else
                {
                    double kept = scale;
                    peak = Max(peak, kept);
                }
            }

            [Update]
            void Update(ref float param, float grad, [Moment(When = nameof(decay))] ref float m)
            {
                m = decay * m + grad;
                param -= learningRate * scale * (m + (float)peak * 0.01f * grad);
            }
        }
        """)]
    [InlineData("""
        [Optimizer]
        public sealed partial class Centered : Optimizer
        {
            [Hyperparameter("[0, inf)")] float learningRate = 0.01f;
            [StepState] float spread = 0;

            [Update]
            void Update(ref float param, float grad, [Moment] ref float values)
            {
                values = 0.9f * values + 0.1f * grad;
                spread = (float)Mean(values * values);
                float i = values - (float)Sum(values) / ElementCount;
                param -= learningRate * i / (float)(Sqrt(spread) + 1e-3);
            }
        }

        [Optimizer]
        public sealed partial class Second : Optimizer
        {
            [Hyperparameter] float length = 1f;

            [Update]
            void Update(ref float width, float step) => width -= 0.01f * length * - -step;
        }
        """)]
    [InlineData("""
        namespace Outer
        {
            namespace Inner
            {
                [Optimizer]
                internal partial class Amsgradish : Optimizer
                {
                    [Hyperparameter("(0, inf)")] float @this = 0.01f;
                    [Hyperparameter("(0, inf)")] float epsilon = 1e-8f;
                    [Hyperparameter] bool amsgrad = true;
                    [Hyperparameter("[0, 1)")] double beta = 0.9;

                    [Update]
                    public void Update(ref float param, float grad, [Moment] ref float v, [Moment(When = nameof(amsgrad))] ref float vMax)
                    {
                        v = (float)beta * v + (float)(1 - beta) * Square(grad);
                        float used = v;
                        if (amsgrad)
                        {
                            vMax = Max(vMax, v);
                            used = vMax;
                        }
                        else
                        {
                            used = v + 0f;
                        }

                        param -= @this * grad / (Sqrt(used) + epsilon);
                        param = StepNumber == 1 ? param : param - 0f * Exp(-grad);
                    }
                }
            }
        }
        """)]
    [InlineData("""
        [Optimizer]
        public sealed partial class Split : Optimizer
        {
            [Hyperparameter("[0, inf)")] float learningRate = 0.1f;
        }

        public sealed partial class Split
        {
            [Hyperparameter("[0, 10]")] int period = 2;

            [Update]
            void Update(ref float param, float grad, [Moment(Initial = "0.5")] ref float m)
            {
                const float half = 0.5f;
                double phase = (StepNumber - 1) / period;
                m = half * m + half * grad;
                param -= (float)(learningRate / (1 + phase)) * m;
            }
        }
        """)]
    public void CompilesWithoutWarningsAndStepsAsItsUpdateMethod(string declaration)
    {
        var source = "using OptimGen;\n\n" + declaration;
        var errors = GeneratorHarness.Analyze(source).Where(d => d.Severity != DiagnosticSeverity.Info).ToList();
        Assert.True(errors.Count == 0, string.Join("\n", errors));
        var result = GeneratorHarness.Run(source);
        GeneratorHarness.AssertCompilesCleanly(result);
        Assert.Null(DeclaredBehavior.Mismatch(result.OutputCompilation, seed: 5, steps: 4));
    }
}
