using System;

namespace Landscape;

/// <summary>A 2-D loss surface: its value and gradient at a point, where paths start and what the plot shows.</summary>
internal sealed record Surface(
    string Name,
    string Title,
    Func<double, double, double> Loss,
    Func<double, double, (double X, double Y)> Gradient,
    (double X, double Y) Start,
    (double Left, double Right, double Bottom, double Top) View,
    int Steps,
    Contestant[] Contestants)
{
    /// <summary>
    /// A narrow ravine, 0.5 (x² + 50 y²): fifty times steeper across than along. A step that makes progress along
    /// the floor overshoots across it, so SGD bounces between the walls; momentum averages the bounces away and
    /// keeps the speed along the floor.
    /// </summary>
    public static Surface Ravine { get; } = new(
        "ravine",
        "Narrow ravine: 0.5 (x² + 50 y²)",
        (x, y) => 0.5 * (x * x + 50 * y * y),
        (x, y) => (x, 50 * y),
        (-10, 1),
        (-11, 2, -1.6, 1.6),
        80,
        [Contestant.Sgd(0.038f), Contestant.Momentum(0.01f), Contestant.Adam(0.3f)]);

    /// <summary>
    /// A long flat plateau around a well, 1 - exp(-(x² + 4 y²) / 2): far from the well the slope is almost zero. SGD
    /// crawls at the tiny slope; momentum's velocity adds the small gradients up, step after step, and rolls off.
    /// </summary>
    public static Surface Plateau { get; } = new(
        "plateau",
        "Plateau: 1 - exp(-(x² + 4 y²) / 2)",
        (x, y) => 1 - Math.Exp(-(x * x + 4 * y * y) / 2),
        (x, y) =>
        {
            var e = Math.Exp(-(x * x + 4 * y * y) / 2);
            return (x * e, 4 * y * e);
        },
        (-3.4, 0.4),
        (-3.8, 1.5, -1.0, 1.0),
        120,
        [Contestant.Sgd(0.5f), Contestant.Momentum(0.5f), Contestant.Adam(0.1f)]);

    /// <summary>
    /// A badly scaled bowl, 0.5 (0.02 x² + 20 y²): the curvatures differ a thousandfold. One learning rate must be
    /// small enough for y, so x hardly moves; Adam divides each coordinate's step by its own gradient scale.
    /// </summary>
    public static Surface Bowl { get; } = new(
        "bowl",
        "Badly scaled bowl: 0.5 (0.02 x² + 20 y²)",
        (x, y) => 0.5 * (0.02 * x * x + 20 * y * y),
        (x, y) => (0.02 * x, 20 * y),
        (-9, 0.8),
        (-10, 2, -1.0, 1.0),
        120,
        [Contestant.Sgd(0.09f), Contestant.Momentum(0.02f), Contestant.Adam(0.5f)]);

    public static Surface[] All { get; } = [Ravine, Plateau, Bowl];
}
