using System.Collections.Generic;

namespace Landscape;

/// <summary>The points an optimizer visits on a surface and the loss at each.</summary>
internal sealed record DescentPath(Contestant Contestant, double[] X, double[] Y, double[] Loss);

internal static class Descent
{
    /// <summary>
    /// Steps a 2-element tensor, the point (x, y), with the contestant's generated optimizer, the gradient
    /// computed from the surface before each step.
    /// </summary>
    public static DescentPath Run(Surface surface, Contestant contestant, int steps)
    {
        float[] point = [(float)surface.Start.X, (float)surface.Start.Y];
        var gradient = new float[2];
        var optimizer = contestant.Create();
        optimizer.Add(point, gradient);

        var xs = new List<double> { point[0] };
        var ys = new List<double> { point[1] };
        var losses = new List<double> { surface.Loss(point[0], point[1]) };
        for (var step = 0; step < steps; step++)
        {
            var (gx, gy) = surface.Gradient(point[0], point[1]);
            gradient[0] = (float)gx;
            gradient[1] = (float)gy;
            optimizer.Step();
            xs.Add(point[0]);
            ys.Add(point[1]);
            losses.Add(surface.Loss(point[0], point[1]));
        }

        return new DescentPath(contestant, [.. xs], [.. ys], [.. losses]);
    }
}
