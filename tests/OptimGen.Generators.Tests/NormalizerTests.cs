using System.Linq;
using OptimGen.Generators.Helpers;
using OptimGen.Generators.Model;
using OptimGen.Generators.Translation;
using Xunit;

namespace OptimGen.Generators.Tests;

/// <summary>The normalizer on expression trees: per-step factors in front, reciprocals of per-step divisors, fused multiply-adds.</summary>
public sealed class NormalizerTests
{
    private static readonly Expr Lr = new Hyperparameter("lr", "lr", ScalarType.Float);
    private static readonly Expr Beta = new Hyperparameter("beta", "beta", ScalarType.Float);
    private static readonly Expr Grad = new Variable("grad");
    private static readonly Expr M = new Variable("m");

    [Fact]
    public void PerStepFactorsGoInFrontTogether()
        => Assert.Equal("(* (* lr beta) grad)", Show(Normalizer.Normalize(Mul(Mul(Lr, Grad), Beta))));

    [Fact]
    public void ElementWiseFactorsKeepTheFormulasOrder()
        => Assert.Equal("(* (* lr grad) m)", Show(Normalizer.Normalize(Mul(Mul(Grad, Lr), M))));

    [Fact]
    public void ADivisionByAPerStepValueBecomesAMultiplicationByItsReciprocal()
        => Assert.Equal("(* (/ 1 beta) grad)", Show(Normalizer.Normalize(new Binary(BinaryOperator.Divide, Grad, Beta))));

    [Fact]
    public void AProductPlusAValueFuses()
        => Assert.Equal("(fma beta m grad)", Show(Normalizer.Normalize(new Binary(BinaryOperator.Add, Mul(Beta, M), Grad))));

    [Fact]
    public void AValueMinusAProductFusesWithTheFactorNegated()
        => Assert.Equal("(fma (- lr) grad m)", Show(Normalizer.Normalize(new Binary(BinaryOperator.Subtract, M, Mul(Lr, Grad)))));

    [Fact]
    public void ANegatedProductMovesTheSignToItsPerStepFactor()
        => Assert.Equal("(* (- lr) grad)", Show(Normalizer.Normalize(new Unary(UnaryOperator.Negate, Mul(Lr, Grad)))));

    [Fact]
    public void ANegatedNumberIsANegativeNumber()
        => Assert.Equal("(fma -2 grad m)", Show(Normalizer.Normalize(new Binary(BinaryOperator.Subtract, M, Mul(Literal.Number(2), Grad)))));

    [Fact]
    public void PerStepSubtreesAreLeftAlone()
    {
        var perStep = new Binary(BinaryOperator.Divide, Lr, new Binary(BinaryOperator.Subtract, Literal.Number(1), Beta));
        Assert.Same(perStep, Normalizer.Normalize(perStep));
    }

    private static Expr Mul(Expr a, Expr b) => new Binary(BinaryOperator.Multiply, a, b);

    /// <summary>A tree as an s-expression: (op left right), (fma a b c).</summary>
    private static string Show(Expr expr) => expr switch
    {
        Hyperparameter h => h.Field,
        Variable v => v.Name,
        Literal l => l.Value.ToString(System.Globalization.CultureInfo.InvariantCulture),
        Unary { Operator: UnaryOperator.Negate } u => $"(- {Show(u.Operand)})",
        Binary b => $"({Symbol(b.Operator)} {Show(b.Left)} {Show(b.Right)})",
        MultiplyAdd f => $"(fma {Show(f.A)} {Show(f.B)} {Show(f.C)})",
        Call c => $"({c.Helper} {string.Join(" ", c.Arguments.Select(Show))})",
        _ => expr.ToString(),
    };

    private static string Symbol(BinaryOperator op) => op switch
    {
        BinaryOperator.Add => "+",
        BinaryOperator.Subtract => "-",
        BinaryOperator.Multiply => "*",
        BinaryOperator.Divide => "/",
        _ => op.ToString(),
    };
}
