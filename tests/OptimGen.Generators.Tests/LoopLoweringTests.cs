using System;
using System.Linq;
using Xunit;

namespace OptimGen.Generators.Tests;

/// <summary>
/// One formula line in, one loop line out: what normalizing and lowering make of each shape of statement, read from
/// the generated loop (the line under the formula line's comment).
/// </summary>
public sealed class LoopLoweringTests
{
    [Theory]
    [InlineData("m = beta * m + (1 - beta) * grad;", "m = TLane.MultiplyAdd(beta, m, k1 * grad);")]
    [InlineData("m = m * beta;", "m = beta * m;")]
    [InlineData("m = grad / beta;", "m = k0 * grad;")]
    [InlineData("m = lr * grad * beta;", "m = k0 * grad;")]
    [InlineData("m = m - lr * grad;", "m = TLane.MultiplyAdd(k0, grad, m);")]
    [InlineData("m = -(-grad);", "m = -(-grad);")]
    [InlineData("m = - -lr * grad;", "m = k0 * grad;")]
    [InlineData("m = grad / (Sqrt(m) + 1e-8f);", "m = grad / (TLane.Sqrt(m) + c1em8);")]
    [InlineData("m = flag ? grad : m;", "m = TFlag.IsSet ? grad : m;")]
    [InlineData("m = !flag ? grad : m;", "m = !TFlag.IsSet ? grad : m;")]
    [InlineData("m = grad > 0 ? grad : 0.5f * grad;", "m = TLane.Select(TLane.GreaterThan(grad, zero), grad, half * grad);")]
    [InlineData("m = Select(grad > m && grad < 1, grad, m);", "m = TLane.Select(TLane.And(TLane.GreaterThan(grad, m), TLane.LessThan(grad, one)), grad, m);")]
    [InlineData("m = Square(grad) * (float)(lr / (1 - Pow(beta, StepNumber)));", "m = k0 * grad * grad;")]
    [InlineData("m = Max(m, Abs(grad)) - 2;", "m = TLane.Max(m, TLane.Abs(grad)) - two;")]
    [InlineData("m += grad;", "m = m + grad;")]
    [InlineData("m = grad * 3e38f;", "m = c3e38 * grad;")]
    public void AFormulaLineBecomesOneLoopLine(string line, string expected)
        => Assert.Equal(expected, LoopLine(line));

    [Fact]
    public void APerStepIfBecomesAFlagTest()
    {
        var loop = Generated("if (flag) { m = grad; }");
        Assert.Contains("// if (flag)\n            if (TFlag.IsSet)", loop);
    }

    [Fact]
    public void ANoOpAssignmentLeavesNothingInTheLoop()
    {
        var loop = Generated("if (flag) { grad = +grad; } m = grad;");
        Assert.DoesNotContain("grad = grad", loop);
        Assert.DoesNotContain("TFlag", loop);
    }

    /// <summary>The generated loop line for a formula line, in a small optimizer around it.</summary>
    public static string LoopLine(string line)
    {
        var text = Generated(line);
        var loop = text.Substring(text.IndexOf("private static nuint Loop<", StringComparison.Ordinal));
        var comment = "// " + line + "\n";
        var at = loop.IndexOf(comment, StringComparison.Ordinal);
        Assert.True(at >= 0, "no loop line for " + line + ":\n" + loop);
        return loop.Substring(at + comment.Length).Split('\n')[0].Trim();
    }

    private static string Generated(string line)
    {
        var result = GeneratorHarness.Run($$"""
            using OptimGen;

            namespace Focus;

            [Optimizer]
            public sealed partial class Focused : Optimizer
            {
                [Hyperparameter] float lr = 0.1f;
                [Hyperparameter] float beta = 0.9f;
                [Hyperparameter] bool flag = false;

                [Update]
                void Update(ref float param, float grad, [Moment] ref float m)
                {
                    {{line}}
                    param -= lr * m + (flag ? beta : 0) * grad;
                }
            }
            """);
        GeneratorHarness.AssertCompilesCleanly(result);
        return result.GeneratedSources.Single().Text;
    }
}
