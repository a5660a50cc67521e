using System;
using System.Collections.Generic;
using System.Linq;
using OptimGen;
using OptimGen.Optimizers;

namespace Landscape;

/// <summary>
/// The numbers the README's story quotes, each read from a real run of a generated optimizer: the velocity is SGD's
/// momentum buffer, the first moment Adam's moment <c>m</c>.
/// </summary>
internal static class WorkedNumbers
{
    public const float Beta1 = 0.9f;

    /// <summary>
    /// Momentum 0.9 on a ravine's gradients, [+10, -0.1] then [-10, -0.1]: the bounce across the ravine cancels, the
    /// slope along it adds up. PyTorch's (and so OptimGen's) velocity starts as the first gradient.
    /// </summary>
    public static float[] RavineVelocity()
    {
        var (optimizer, gradient) = Momentum(2);
        float[][] gradients = [[10f, -0.1f], [-10f, -0.1f]];
        foreach (var g in gradients)
        {
            g.CopyTo(gradient, 0);
            optimizer.Step();
        }

        return Velocity(optimizer).ToArray();
    }

    /// <summary>Momentum 0.9 on a plateau's constant gradient of -0.01: the velocity after each of four steps.</summary>
    public static float[] PlateauVelocities()
    {
        var (optimizer, gradient) = Momentum(1);
        gradient[0] = -0.01f;
        var velocities = new List<float>();
        for (var step = 0; step < 4; step++)
        {
            optimizer.Step();
            velocities.Add(Velocity(optimizer)[0]);
        }

        return [.. velocities];
    }

    /// <summary>
    /// Adam's first moment m and the bias-corrected m / (1 - beta1^t) after <paramref name="steps"/> steps of a
    /// constant gradient, and the correction's divisor in float.
    /// </summary>
    public static (float Gradient, float Moment, float Divisor, float Corrected) AdamFirstMoment(int steps)
    {
        const float Gradient = 0.5f;
        var adam = new Adam { Beta1 = Beta1 };
        var tensor = adam.Add(new float[1], [Gradient]);
        for (var step = 0; step < steps; step++)
        {
            adam.Step();
        }

        var m = tensor.Moment(IndexOf(adam, "m"))[0];
        var divisor = (float)(1 - Math.Pow(Beta1, steps));
        return (Gradient, m, divisor, m / divisor);
    }

    /// <summary>Writes the numbers as the README tells them.</summary>
    public static void Print()
    {
        Console.WriteLine("Worked numbers, from the generated optimizers:");
        Console.WriteLine($"  momentum 0.9, gradients [+10, -0.1] then [-10, -0.1]: velocity {Format(RavineVelocity())}");
        Console.WriteLine($"  momentum 0.9, constant gradient -0.01: velocities {Format(PlateauVelocities())}");
        foreach (var steps in new[] { 1, 500 })
        {
            var (gradient, m, divisor, corrected) = AdamFirstMoment(steps);
            Console.WriteLine(
                $"  Adam, step {steps}: m = {m:G6}, divided by 1 - 0.9^{steps} = {divisor:G6} gives {corrected:G6} (the gradient is {gradient})");
        }
    }

    private static (Sgd Optimizer, float[] Gradient) Momentum(int length)
    {
        var optimizer = new Sgd { LearningRate = 0.1f, Momentum = 0.9f };
        var gradient = new float[length];
        optimizer.Add(new float[length], gradient);
        return (optimizer, gradient);
    }

    private static Span<float> Velocity(Sgd optimizer) => optimizer.Parameters[0].Moment(IndexOf(optimizer, "momentumBuffer"));

    private static int IndexOf(Optimizer optimizer, string moment) => optimizer.MomentNames.ToList().IndexOf(moment);

    private static string Format(float[] values)
        => "[" + string.Join(", ", values.Select(v => v.ToString("G6", System.Globalization.CultureInfo.InvariantCulture))) + "]";
}
