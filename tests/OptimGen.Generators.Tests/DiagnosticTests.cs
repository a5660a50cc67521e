using System.Linq;
using Xunit;

namespace OptimGen.Generators.Tests;

/// <summary>
/// Broken declarations: the analyzer reports every problem, each at its own location, in one pass, and the generator
/// emits nothing for them and does not throw.
/// </summary>
public sealed class DiagnosticTests
{
    [Fact]
    public void NotPartial() => Verify("""
        [Optimizer]
        public sealed class Sgd : Optimizer
        {
            [Hyperparameter] float learningRate = 0.1f;

            [Update]
            void Update(ref float param, float grad) => param -= learningRate * grad;
        }
        """);

    [Fact]
    public void WrongBaseClassGenericAndNested() => Verify("""
        [Optimizer]
        public sealed partial class NoBase
        {
            [Update]
            void Update(ref float param, float grad) { }
        }

        [Optimizer]
        public sealed partial class Generic<T> : Optimizer
        {
            [Update]
            void Update(ref float param, float grad) { }
        }

        public static partial class Outer
        {
            [Optimizer]
            public sealed partial class Nested : Optimizer
            {
                [Update]
                void Update(ref float param, float grad) { }
            }
        }
        """);

    [Fact]
    public void BadHyperparameters() => Verify("""
        [Optimizer]
        public sealed partial class Bad : Optimizer
        {
            [Hyperparameter("[0, 1")] float a = 0.5f;
            [Hyperparameter("[2, 1]")] float b = 1.5f;
            [Hyperparameter("[0, 1)")] float beta = 1f;
            [Hyperparameter("(0, inf)")] float noDefault;
            [Hyperparameter("[0, 1]")] bool flag = false;
            [Hyperparameter] string name = "x";
            [Hyperparameter] static float shared = 1f;
            [Hyperparameter] readonly float fixedValue = 1f;
            [Hyperparameter] float unused = 1f;

            [Update]
            void Update(ref float param, float grad) => param -= a * b * beta * noDefault * fixedValue * grad;
        }
        """);

    [Fact]
    public void UpdateMethodShapes() => Verify("""
        [Optimizer]
        public sealed partial class NoUpdate : Optimizer
        {
        }

        [Optimizer]
        public sealed partial class TwoUpdates : Optimizer
        {
            [Update] void First(ref float param, float grad) => param -= grad;
            [Update] void Second(ref float param, float grad) => param -= grad;
        }

        [Optimizer]
        public sealed partial class WrongShape : Optimizer
        {
            [Update]
            static float Update(float param, ref float grad, ref float notAMoment, [Moment] double wide) => 0;
        }

        [Optimizer]
        public sealed partial class BadCondition : Optimizer
        {
            [Hyperparameter] float learningRate = 0.1f;

            [Update]
            void Update(ref float param, float grad, [Moment(When = "missing")] ref float m, [Moment] ref float neverWritten)
            {
                m = grad + neverWritten;
                param -= learningRate * m;
            }
        }

        [Optimizer]
        public sealed partial class BadStorage : Optimizer
        {
            [Hyperparameter] float learningRate = 0.1f;

            [Update]
            void Update(ref float param, float grad, [Moment(Storage = (StorageFormat)5)] ref float m, [Moment(Storage = StorageFormat.BFloat16)] ref float fine)
            {
                m = grad;
                fine = m;
                param -= learningRate * fine;
            }
        }
        """);

    [Fact]
    public void AFormulaErrorLeavesTheCompilerNothingToReport()
    {
        // The command-line compiler skips analyzers when the build has errors of its own; there must be none.
        var source = "using OptimGen;\nusing System;\n\nnamespace Samples;\n\n[Optimizer]\npublic sealed partial class Broken : Optimizer\n{\n"
            + "    [Hyperparameter(\"[0, 1)\")] float beta = 1.5f;\n\n    [Update]\n    void Update(ref float param, float grad, [Moment] ref float m)\n"
            + "    {\n        m = (float)Math.Sqrt(grad);\n        param -= beta * m;\n    }\n}\n";
        var run = GeneratorHarness.Run(source);
        Assert.Empty(run.OutputCompilation.GetDiagnostics().Where(d => d.Severity == Microsoft.CodeAnalysis.DiagnosticSeverity.Error));
        Assert.Equal(["OPTG006", "OPTG102"], GeneratorHarness.Analyze(source).Select(d => d.Id));
        Snapshot.Verify(run);
    }

    [Fact]
    public void ReservedNames() => Verify("""
        [Optimizer]
        public sealed partial class Clash : Optimizer
        {
            [Hyperparameter] float step = 0.1f;
            [Hyperparameter] float gradRef = 0.1f;

            [Update]
            void Update(ref float param, float grad, [Moment] ref float values) => param -= step * gradRef * grad;
        }
        """);

    [Fact]
    public void EveryUnsupportedConstructInOnePass() => Verify("""
        using System;

        [Optimizer]
        public sealed partial class Broken : Optimizer
        {
            [Hyperparameter("[0, 1)")] float beta = 0.9f;
            static float table = 2f;

            [Update]
            void Update(ref float param, float grad, [Moment] ref float m)
            {
                for (int i = 0; i < 3; i++) { m += grad; }
                float root = (float)Math.Sqrt(m);
                float[] scratch = new float[4];
                if (grad > 0) { m = grad; }
                beta = 0.5f;
                float other = Helper(grad) + table;
                int count = 3;
                double wide = grad * 2;
                m = beta * m + (1 - beta) * (grad % 2f);
                param -= root;
                param++;
                return;
            }

            static float Helper(float x) => x;
        }
        """);

    [Fact]
    public void BadStepStateAndStartingValues() => Verify("""
        [Optimizer]
        public sealed partial class BadState : Optimizer
        {
            [Hyperparameter("[0, inf)")] float learningRate = 0.1f;
            [Hyperparameter] bool flag = false;

            [StepState] int counter = 0;
            [StepState] static double shared = 1;
            [StepState] readonly double fixedValue = 1;
            [StepState(Initial = nameof(learningRate))] double both = 2;
            [StepState(Initial = "0.5")] double literal;
            [StepState(Initial = nameof(flag))] double fromBool;
            [StepState] double fine = 1;

            [OncePerStep]
            void Advance() => fine *= 0.5;

            [OncePerStep]
            static void AdvanceAgain() { }

            [Update]
            void Update(ref float param, float grad,
                        [Moment(Initial = "soon")] ref float m,
                        [Moment(Initial = nameof(flag))] ref float v)
            {
                fine = 2;
                m = grad;
                v = m;
                param -= learningRate * (float)fine * v * (flag ? 1 : 0);
            }
        }
        """);

    [Fact]
    public void OncePerStepMethodShapes() => Verify("""
        [Optimizer]
        public sealed partial class BadAdvance : Optimizer
        {
            [Hyperparameter("[0, inf)")] float learningRate = 0.1f;
            [StepState] double scale = 1;

            [OncePerStep]
            double Advance(int by) => scale *= by;

            [Update]
            void Update(ref float param, float grad)
            {
                scale = grad;
                if (learningRate > 1)
                {
                    scale = 2;
                }

                param -= learningRate * (float)scale * grad;
            }
        }
        """);

    [Fact]
    public void MisplacedTensorSums() => Verify("""
        [Optimizer]
        public sealed partial class BadSums : Optimizer
        {
            [Hyperparameter("[0, inf)")] float learningRate = 0.1f;
            [Hyperparameter] bool flag = false;

            [Update]
            void Update(ref float param, float grad, [Moment] ref float m)
            {
                float chosen = grad > 0 ? Sum(grad) : 0;
                bool both = learningRate > 0 && Norm(grad) > 1;
                double total = Sum(grad);
                m = grad * (float)total;
                double nested = Sum(m);
                double twice = Sum(Sum(grad) * grad);
                if (total > 1)
                {
                    param -= grad;
                }

                float scaled = total > 2 ? grad : param;
                param -= learningRate * chosen * (float)nested * scaled * (float)twice * (both ? 1 : 0) * (flag ? 1 : 0);
            }
        }
        """);

    private static void Verify(string body, [System.Runtime.CompilerServices.CallerMemberName] string test = "")
    {
        var source = "using OptimGen;\n\n" + body;
        var run = GeneratorHarness.Run(GeneratorHarness.CreateCompilation(source));
        Assert.Empty(run.GeneratorDiagnostics);

        // Only the contract's throwing members are generated, and only where the class can take them.
        Assert.All(run.GeneratedSources, s => Assert.Contains("cannot step", s.Text));
        Assert.DoesNotContain(run.GeneratedSources, s => s.Text.Contains("Apply("));
        var diagnostics = GeneratorHarness.Analyze(source);
        Assert.NotEmpty(diagnostics);
        Assert.All(diagnostics, d => Assert.StartsWith("OPTG", d.Id));
        Snapshot.VerifyDiagnostics(diagnostics, testMethod: test);
    }
}
