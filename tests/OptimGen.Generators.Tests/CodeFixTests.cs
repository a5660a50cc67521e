using System.Linq;
using Microsoft.CodeAnalysis.CodeFixes;
using OptimGen.CodeFixes;
using Xunit;

namespace OptimGen.Generators.Tests;

/// <summary>
/// Each code fix, applied the way an editor applies it: the exact text it writes, that the diagnostic is gone
/// afterwards, where it declines to offer itself, and fix-all in a document.
/// </summary>
public sealed class CodeFixTests
{
    [Fact]
    public void MakePartialAddsTheModifierBeforeClass() => AssertFixed(new MakePartialCodeFix(), """
        using OptimGen;

        [Optimizer]
        public sealed class Sgd : Optimizer
        {
            [Hyperparameter] float learningRate = 0.1f;

            [Update]
            void Update(ref float param, float grad) => param -= learningRate * grad;
        }
        """, """
        using OptimGen;

        [Optimizer]
        public sealed partial class Sgd : Optimizer
        {
            [Hyperparameter] float learningRate = 0.1f;

            [Update]
            void Update(ref float param, float grad) => param -= learningRate * grad;
        }
        """);

    [Fact]
    public void MakePartialWithoutOtherModifiersKeepsTheIndentation() => AssertFixed(new MakePartialCodeFix(), """
        namespace Samples
        {
            [OptimGen.Optimizer]
            class Sgd : OptimGen.Optimizer
            {
                [OptimGen.Update]
                void Update(ref float param, float grad) => param -= grad;
            }
        }
        """, """
        namespace Samples
        {
            [OptimGen.Optimizer]
            partial class Sgd : OptimGen.Optimizer
            {
                [OptimGen.Update]
                void Update(ref float param, float grad) => param -= grad;
            }
        }
        """);

    [Fact]
    public void DeriveFromOptimizerAddsTheBaseClass() => AssertFixed(new DeriveFromOptimizerCodeFix(), """
        using OptimGen;

        [Optimizer]
        public sealed partial class NoBase
        {
            [Update]
            void Update(ref float param, float grad) => param -= grad;
        }
        """, """
        using OptimGen;

        [Optimizer]
        public sealed partial class NoBase : Optimizer
        {
            [Update]
            void Update(ref float param, float grad) => param -= grad;
        }
        """);

    [Fact]
    public void DeriveFromOptimizerGoesBeforeInterfacesAndUsesTheFullNameWithoutAUsing() => AssertFixed(new DeriveFromOptimizerCodeFix(), """
        [OptimGen.Optimizer]
        public sealed partial class Tidy : System.IComparable { public int CompareTo(object? other) => 0;
            [OptimGen.Update]
            void Update(ref float param, float grad) => param -= grad;
        }
        """, """
        [OptimGen.Optimizer]
        public sealed partial class Tidy : global::OptimGen.Optimizer, System.IComparable { public int CompareTo(object? other) => 0;
            [OptimGen.Update]
            void Update(ref float param, float grad) => param -= grad;
        }
        """);

    [Fact]
    public void DeriveFromOptimizerIsNotOfferedWhereTheClassHasAnotherBase()
    {
        var actions = CodeFixHarness.Actions(new DeriveFromOptimizerCodeFix(), """
            using OptimGen;

            public class Base { }

            [Optimizer]
            public sealed partial class Derived : Base
            {
                [Update]
                void Update(ref float param, float grad) => param -= grad;
            }
            """);
        Assert.Empty(Assert.Single(actions));
    }

    [Fact]
    public void UseFormulaHelperReplacesMathAndDropsTheCastItMadeUseless() => AssertFixed(new UseFormulaHelperCodeFix(), Formula("""
                float root = (float)Math.Sqrt(m);
        """), Formula("""
                float root = Sqrt(m);
        """));

    [Fact]
    public void UseFormulaHelperKeepsACastThatStillConverts() => AssertFixed(new UseFormulaHelperCodeFix(), Formula("""
                double correction = 1 - Pow(0.999, StepNumber);
                float root = (float)Math.Sqrt(correction) * m;
        """), Formula("""
                double correction = 1 - Pow(0.999, StepNumber);
                float root = (float)Sqrt(correction) * m;
        """));

    [Fact]
    public void UseFormulaHelperFixesAllInTheDocument()
    {
        var source = Formula("""
                float root = (float)Math.Sqrt(m) + MathF.Abs(grad);
        """);
        var fixedText = CodeFixHarness.FixAllInDocument(new UseFormulaHelperCodeFix(), source);
        Assert.Equal(Formula("""
                float root = Sqrt(m) + Abs(grad);
        """), fixedText);
        Assert.Empty(CodeFixHarness.FixableDiagnostics(new UseFormulaHelperCodeFix(), fixedText));
    }

    [Fact]
    public void UseFormulaHelperTitleNamesTheHelper()
    {
        var action = Assert.Single(Assert.Single(CodeFixHarness.Actions(new UseFormulaHelperCodeFix(), Formula("""
                float root = MathF.Exp(m);
        """))));
        Assert.Equal("Use the formula helper Exp", action.Title);
    }

    [Fact]
    public void IfWithBothBranchesAssigningTheSameVariablesBecomesConditionalAssignments() => AssertFixed(new IfToConditionalAssignmentsCodeFix(), Formula("""
                float step = 0;
                if (grad > 0)
                {
                    m = grad;
                    step = m * 2; // twice the new moment
                }
                else
                {
                    m = -grad;
                    step = 0;
                }
        """, "step"), Formula("""
                float step = 0;
                // twice the new moment
                m = grad > 0 ? grad : -grad;
                step = grad > 0 ? m * 2 : 0;
        """, "step"));

    [Fact]
    public void IfWithOneAssignmentAndNoElseKeepsTheOldValueOtherwise() => AssertFixed(new IfToConditionalAssignmentsCodeFix(), Formula("""
                if (grad > m) m = grad;
        """), Formula("""
                m = grad > m ? grad : m;
        """));

    [Fact]
    public void IfWithSingleStatementBranchesKeepsTheCommentAboveIt() => AssertFixed(new IfToConditionalAssignmentsCodeFix(), Formula("""
                // the larger magnitude
                if (grad * grad > m * m) m = grad; else m = 0.5f * (m + grad);
        """), Formula("""
                // the larger magnitude
                m = grad * grad > m * m ? grad : 0.5f * (m + grad);
        """));

    [Theory]
    [InlineData("if (grad > 0) { m = grad; } else { param = grad; }")]
    [InlineData("if (m > 0) { m = grad; param = grad; }")]
    [InlineData("if (grad > 0) { m = grad; } else if (grad < 0) { m = -grad; }")]
    [InlineData("if (grad > 0) { m += grad; }")]
    [InlineData("if (grad > 0) { m = grad; m = 2 * grad; }")]
    [InlineData("if (grad > 0) { m = grad; param = m; } else { param = grad; m = param; }")]
    public void IfToConditionalIsNotOfferedWhereTheRewriteWouldChangeTheMeaning(string statement)
    {
        var actions = CodeFixHarness.Actions(new IfToConditionalAssignmentsCodeFix(), Formula("        " + statement));
        Assert.NotEmpty(actions);
        Assert.All(actions, a => Assert.Empty(a));
    }

    [Fact]
    public void PassMomentByRefAddsRef() => AssertFixed(new PassMomentByRefCodeFix(), """
        using OptimGen;

        [Optimizer]
        public sealed partial class Heavy : Optimizer
        {
            [Hyperparameter] float learningRate = 0.1f;

            [Update]
            void Update(ref float param, float grad, [Moment] float m)
            {
                m = 0.9f * m + grad;
                param -= learningRate * m;
            }
        }
        """, """
        using OptimGen;

        [Optimizer]
        public sealed partial class Heavy : Optimizer
        {
            [Hyperparameter] float learningRate = 0.1f;

            [Update]
            void Update(ref float param, float grad, [Moment] ref float m)
            {
                m = 0.9f * m + grad;
                param -= learningRate * m;
            }
        }
        """);

    [Fact]
    public void PassMomentByRefFixesAllInTheDocument()
    {
        var source = """
            using OptimGen;

            [Optimizer]
            public sealed partial class Heavy : Optimizer
            {
                [Update]
                void Update(ref float param, float grad,
                            [Moment] float m,
                            [Moment] in float v)
                {
                    m = 0.9f * m + grad;
                    v = v + grad * grad;
                    param -= m / v;
                }
            }
            """;
        var fixedText = CodeFixHarness.FixAllInDocument(new PassMomentByRefCodeFix(), source);
        Assert.Equal(source.Replace("[Moment] float m", "[Moment] ref float m").Replace("[Moment] in float v", "[Moment] ref float v"), fixedText);
        Assert.Empty(CodeFixHarness.FixableDiagnostics(new PassMomentByRefCodeFix(), fixedText));
    }

    [Fact]
    public void PassMomentByRefIsNotOfferedForOtherShapeProblems()
    {
        var actions = CodeFixHarness.Actions(new PassMomentByRefCodeFix(), """
            using OptimGen;

            [Optimizer]
            public sealed partial class WrongShape : Optimizer
            {
                [Update]
                static float Update(float param, ref float grad, ref float notAMoment, [Moment] double wide) => 0;
            }
            """);
        Assert.Equal(6, actions.Length);
        Assert.All(actions, a => Assert.Empty(a));
    }

    [Fact]
    public void EveryFixBatchesFixAllAndKeysItsActionsByItsName()
    {
        var fixes = typeof(OptimizerCodeFix).Assembly.GetTypes()
            .Where(t => typeof(CodeFixProvider).IsAssignableFrom(t) && !t.IsAbstract)
            .ToList();
        Assert.Equal(6, fixes.Count);
        foreach (var type in fixes)
        {
            var export = type.GetCustomAttributes(typeof(ExportCodeFixProviderAttribute), inherit: false);
            Assert.Equal(type.Name, ((ExportCodeFixProviderAttribute)Assert.Single(export)).Name);
            var fix = (OptimizerCodeFix)System.Activator.CreateInstance(type)!;
            Assert.Same(WellKnownFixAllProviders.BatchFixer, fix.GetFixAllProvider());
            Assert.Equal(type.Name, fix.EquivalenceKey);
            Assert.Single(fix.FixableDiagnosticIds);
        }
    }

    [Fact]
    public void AddEpsilonGivesADivisorAPositiveEpsilon() => AssertFixed(new AddEpsilonCodeFix(), """
        using OptimGen;

        [Optimizer]
        public sealed partial class Normalized : Optimizer
        {
            [Hyperparameter("[0, inf)")] float learningRate = 0.1f;

            [Update]
            void Update(ref float param, float grad, [Moment] ref float v)
            {
                v = 0.9f * v + 0.1f * grad * grad;
                param -= learningRate * grad / Sqrt(v);
            }
        }
        """, """
        using OptimGen;

        [Optimizer]
        public sealed partial class Normalized : Optimizer
        {
            [Hyperparameter("[0, inf)")] float learningRate = 0.1f;
            [Hyperparameter("(0, inf)")] float epsilon = 1e-8f;

            [Update]
            void Update(ref float param, float grad, [Moment] ref float v)
            {
                v = 0.9f * v + 0.1f * grad * grad;
                param -= learningRate * grad / (Sqrt(v) + epsilon);
            }
        }
        """);

    [Fact]
    public void AddEpsilonMakesAnEpsilonThatMayBeZeroPositive() => AssertFixed(new AddEpsilonCodeFix(), """
        using OptimGen;

        [Optimizer]
        public sealed partial class Normalized : Optimizer
        {
            [Hyperparameter("[0, inf)")] float learningRate = 0.1f;
            [Hyperparameter("[0, inf)")] float epsilon = 1e-8f;

            [Update]
            void Update(ref float param, float grad, [Moment] ref float v)
            {
                v = 0.9f * v + 0.1f * grad * grad;
                param -= learningRate * grad / (Sqrt(v) + epsilon);
            }
        }
        """, """
        using OptimGen;

        [Optimizer]
        public sealed partial class Normalized : Optimizer
        {
            [Hyperparameter("[0, inf)")] float learningRate = 0.1f;
            [Hyperparameter("(0, inf)")] float epsilon = 1e-8f;

            [Update]
            void Update(ref float param, float grad, [Moment] ref float v)
            {
                v = 0.9f * v + 0.1f * grad * grad;
                param -= learningRate * grad / (Sqrt(v) + epsilon);
            }
        }
        """);

    [Fact]
    public void AddEpsilonIsNotOfferedForASquareRootOfAValueThatCanBeNegative()
    {
        var actions = CodeFixHarness.Actions(new AddEpsilonCodeFix(), """
            using OptimGen;

            [Optimizer]
            public sealed partial class Rooted : Optimizer
            {
                [Hyperparameter("[0, inf)")] float learningRate = 0.1f;
                [Hyperparameter("(0, inf)")] float epsilon = 1e-8f;

                [Update]
                void Update(ref float param, float grad, [Moment] ref float m)
                {
                    m = 0.9f * m + 0.1f * grad;
                    param -= learningRate * grad / (Sqrt(m) + epsilon);
                }
            }
            """);
        Assert.Empty(Assert.Single(actions));
    }

    private static void AssertFixed(CodeFixProvider fix, string before, string after)
    {
        var fixedText = CodeFixHarness.FixOne(fix, before);
        Assert.Equal(after, fixedText);
        Assert.Empty(CodeFixHarness.FixableDiagnostics(fix, fixedText));
    }

    // An optimizer whose update method runs the given statements, then uses every moment and local it may assign.
    private static string Formula(string statements, string extraLocal = "")
        => "using System;\nusing OptimGen;\n\n[Optimizer]\npublic sealed partial class Sample : Optimizer\n{\n"
            + "    [Hyperparameter(\"[0, inf)\")] float learningRate = 0.1f;\n\n"
            + "    [Update]\n    void Update(ref float param, float grad, [Moment] ref float m)\n    {\n"
            + statements.TrimEnd('\n') + "\n"
            + "        param -= learningRate * m" + (extraLocal.Length > 0 ? " * " + extraLocal : "") + ";\n    }\n}\n";
}
