using System;
using System.Linq;
using System.Reflection;
using OptimGen.Lanes;
using Xunit;

namespace OptimGen.Tests.Runtime;

/// <summary>
/// The helper table is the [FormulaHelper] methods of Optimizer: each needs a vector form on ILane and a per-step
/// double form, unless it expands into other helpers. A helper added without them fails here, not in a user's build.
/// </summary>
public sealed class FormulaHelperTests
{
    private static readonly MethodInfo[] Helpers = typeof(Optimizer)
        .GetMethods(BindingFlags.Static | BindingFlags.Instance | BindingFlags.NonPublic | BindingFlags.Public)
        .Where(m => m.GetCustomAttribute<FormulaHelperAttribute>() is not null)
        .ToArray();

    [Fact]
    public void TheTableHasTheDocumentedHelpers()
        => Assert.Equal(
            ["Abs", "BiasCorrected", "Clamp", "Exp", "Log", "Max", "Mean", "Min", "Norm", "Pow", "Select", "Sign", "Sqrt", "Square", "Sum"],
            Helpers.Select(h => h.Name).Order());

    [Fact]
    public void EveryIntrinsicHelperHasAVectorAndAPerStepForm()
    {
        foreach (var helper in Helpers.Where(h => h.GetCustomAttribute<FormulaHelperAttribute>() is { Expansion: null, SumsOverTensor: false }))
        {
            var arity = helper.GetParameters().Length;
            Assert.True(typeof(ILane<>).GetMethods().Any(m => m.Name == helper.Name && m.GetParameters().Length == arity),
                $"ILane has no {helper.Name} with {arity} parameters");
            Assert.True(typeof(Optimizer).GetMethods(BindingFlags.Static | BindingFlags.NonPublic).Any(m =>
                    m.Name == helper.Name && m.GetParameters().All(p => p.ParameterType == typeof(double)) && m.GetParameters().Length == arity),
                $"Optimizer has no double {helper.Name}");
        }
    }

    [Fact]
    public void SumIsTheOnlyPerTensorReduction()
        => Assert.Equal(["Sum"], Helpers.Where(h => h.GetCustomAttribute<FormulaHelperAttribute>()!.SumsOverTensor).Select(h => h.Name));

    [Theory]
    [InlineData(2f)]
    [InlineData(-3.5f)]
    [InlineData(0f)]
    [InlineData(float.NaN)]
    public void LaneAndScalarHelpersAgree(float x)
    {
        var lane = Lane256.Create(x);
        Span<float> result = stackalloc float[8];
        Lane256.Store(Lane256.Sign(lane), ref result[0], 0);
        var scalarSign = x > 0 ? 1f : x < 0 ? -1f : 0f;
        Assert.Equal(scalarSign, result[0]);
        Lane1.Store(Lane1.Sign(Lane1.Create(x)), ref result[1], 0);
        Assert.Equal(scalarSign, result[1]);

        Lane256.Store(Lane256.Max(lane, Lane256.Create(1f)), ref result[0], 0);
        Lane1.Store(Lane1.Max(Lane1.Create(x), Lane1.Create(1f)), ref result[1], 0);
        Assert.Equal(MathF.Max(x, 1f), result[0]);
        Assert.Equal(MathF.Max(x, 1f), result[1]);
    }

    [Fact]
    public void LanePowHasTheMeaningOfMathFPow()
    {
        float[] bases = [-8f, -2.5f, -1f, -0.5f, -0f, 0f, 0.25f, 1f, 3f, 1e-20f, 1e20f, float.PositiveInfinity, float.NegativeInfinity, float.NaN];
        float[] exponents = [-3f, -2f, -1f, -0.5f, 0f, 0.5f, 1f, 2f, 3f, 0.75f, 7f, float.NaN];
        Span<float> lanes = stackalloc float[8];
        Span<float> tail = stackalloc float[1];
        foreach (var y in exponents)
        {
            foreach (var x in bases)
            {
                var expected = MathF.Pow(x, y);
                Lane256.Store(Pow<Lane256>(Lane256.Create(x), Lane256.Create(y)), ref lanes[0], 0);
                Lane1.Store(Pow<Lane1>(Lane1.Create(x), Lane1.Create(y)), ref tail[0], 0);
                foreach (var actual in new[] { lanes[0], lanes[7], tail[0] })
                {
                    var same = (float.IsNaN(expected) && float.IsNaN(actual)) || expected == actual
                        || Math.Abs(actual - expected) <= 1e-5 * Math.Max(1, Math.Abs(expected));
                    Assert.True(same, $"Pow({x:R}, {y:R}): lanes {actual:R}, MathF.Pow {expected:R}");
                }
            }
        }
    }

    private static T Pow<T>(T x, T y) where T : struct, ILane<T> => T.Pow(x, y);
}
