using System;
using System.Globalization;
using System.Linq;

namespace OptimGen;

/// <summary>How one-cycle schedules move between their values.</summary>
public enum Anneal
{
    /// <summary>Half a cosine (PyTorch's <c>anneal_strategy='cos'</c>).</summary>
    Cosine,

    /// <summary>A straight line (<c>anneal_strategy='linear'</c>).</summary>
    Linear,
}

/// <summary>How a cyclic schedule's amplitude changes from cycle to cycle (PyTorch's <c>CyclicLR</c> modes).</summary>
public enum CyclicMode
{
    /// <summary>The same amplitude every cycle.</summary>
    Triangular,

    /// <summary>Half the amplitude each cycle.</summary>
    Triangular2,

    /// <summary>The amplitude times <c>gamma^step</c>.</summary>
    ExpRange,
}

/// <summary>
/// The schedules of <c>torch.optim.lr_scheduler</c>, with PyTorch's arguments and values. Each returns the value for
/// a step from the value the hyperparameter had when the schedule was attached (the base), except one-cycle and
/// cyclic schedules, whose values are absolute, as in PyTorch.
/// </summary>
public static class Schedules
{
    /// <summary><c>ConstantLR</c>: base * factor before <paramref name="totalIters"/>, then base.</summary>
    public static Schedule Constant(double factor = 1d / 3, long totalIters = 5)
    {
        Require(factor is >= 0 and <= 1, nameof(factor), "in [0, 1]");
        Require(totalIters >= 0, nameof(totalIters), "at least 0");
        return new Formula($"ConstantLR(factor={F(factor)}, total_iters={totalIters})",
            (t, b) => t < totalIters ? b * factor : b);
    }

    /// <summary><c>StepLR</c>: base * gamma^floor(t / stepSize).</summary>
    public static Schedule Step(long stepSize, double gamma = 0.1)
    {
        Require(stepSize > 0, nameof(stepSize), "positive");
        return new Formula($"StepLR(step_size={stepSize}, gamma={F(gamma)})", (t, b) => b * Math.Pow(gamma, t / stepSize));
    }

    /// <summary><c>MultiStepLR</c>: base * gamma^(the number of milestones reached).</summary>
    public static Schedule MultiStep(long[] milestones, double gamma = 0.1)
    {
        ArgumentNullException.ThrowIfNull(milestones);
        var sorted = milestones.Order().ToArray();
        return new Formula($"MultiStepLR(milestones=[{string.Join(", ", sorted)}], gamma={F(gamma)})",
            (t, b) => b * Math.Pow(gamma, Reached(sorted, t)));
    }

    /// <summary><c>ExponentialLR</c>: base * gamma^t.</summary>
    public static Schedule Exponential(double gamma)
        => new Formula($"ExponentialLR(gamma={F(gamma)})", (t, b) => b * Math.Pow(gamma, t));

    /// <summary><c>LinearLR</c>: base times a factor moving linearly from start to end over <paramref name="totalIters"/> steps (warmup).</summary>
    public static Schedule Linear(double startFactor = 1d / 3, double endFactor = 1, long totalIters = 5)
    {
        Require(startFactor is > 0 and <= 1, nameof(startFactor), "in (0, 1]");
        Require(endFactor is >= 0 and <= 1, nameof(endFactor), "in [0, 1]");
        Require(totalIters > 0, nameof(totalIters), "positive");
        return new Formula($"LinearLR(start_factor={F(startFactor)}, end_factor={F(endFactor)}, total_iters={totalIters})",
            (t, b) => b * (startFactor + (endFactor - startFactor) * Math.Min(t, totalIters) / totalIters));
    }

    /// <summary><c>CosineAnnealingLR</c>: etaMin + (base - etaMin) * (1 + cos(pi * t / tMax)) / 2 (periodic past tMax, as PyTorch's).</summary>
    public static Schedule CosineAnnealing(long tMax, double etaMin = 0)
    {
        Require(tMax > 0, nameof(tMax), "positive");
        return new Formula($"CosineAnnealingLR(T_max={tMax}, eta_min={F(etaMin)})",
            (t, b) => etaMin + (b - etaMin) * (1 + Math.Cos(Math.PI * t / tMax)) / 2);
    }

    /// <summary><c>CosineAnnealingWarmRestarts</c>: cosine annealing restarted after t0, then t0 * tMult, ... steps.</summary>
    public static Schedule CosineAnnealingWarmRestarts(long t0, long tMult = 1, double etaMin = 0)
    {
        Require(t0 > 0, nameof(t0), "positive");
        Require(tMult >= 1, nameof(tMult), "at least 1");
        return new Formula($"CosineAnnealingWarmRestarts(T_0={t0}, T_mult={tMult}, eta_min={F(etaMin)})", (t, b) =>
        {
            double current = t, period = t0;
            if (t >= t0)
            {
                if (tMult == 1)
                {
                    current = t % t0;
                }
                else
                {
                    var n = (long)Math.Floor(Math.Log((double)t / t0 * (tMult - 1) + 1, tMult));
                    current = t - t0 * (Math.Pow(tMult, n) - 1) / (tMult - 1);
                    period = t0 * Math.Pow(tMult, n);
                }
            }

            return etaMin + (b - etaMin) * (1 + Math.Cos(Math.PI * current / period)) / 2;
        });
    }

    /// <summary><c>PolynomialLR</c>: base * (1 - min(t, totalIters) / totalIters)^power.</summary>
    public static Schedule Polynomial(long totalIters = 5, double power = 1)
    {
        Require(totalIters > 0, nameof(totalIters), "positive");
        return new Formula($"PolynomialLR(total_iters={totalIters}, power={F(power)})",
            (t, b) => b * Math.Pow(1 - (double)Math.Min(t, totalIters) / totalIters, power));
    }

    /// <summary>
    /// <c>SequentialLR</c>: <paramref name="schedules"/>[i] from milestone i - 1 on, each restarted at its milestone
    /// (warmup, then cosine).
    /// </summary>
    public static Schedule Sequential(Schedule[] schedules, long[] milestones)
    {
        ArgumentNullException.ThrowIfNull(schedules);
        ArgumentNullException.ThrowIfNull(milestones);
        if (schedules.Length == 0 || milestones.Length != schedules.Length - 1)
        {
            throw new ArgumentException($"SequentialLR takes one milestone fewer than schedules; got {schedules.Length} schedules and {milestones.Length} milestones.", nameof(milestones));
        }

        var parts = (Schedule[])schedules.Clone();
        var starts = (long[])milestones.Clone();
        return new Formula($"SequentialLR([{string.Join(", ", parts.Select(p => p.ToString()))}], milestones=[{string.Join(", ", starts)}])", (t, b) =>
        {
            var index = Reached(starts, t);
            return parts[index].Value(index == 0 ? t : t - starts[index - 1], b);
        });
    }

    /// <summary>
    /// <c>OneCycleLR</c>'s learning rate: from maxValue / divFactor up to <paramref name="maxValue"/> over the first
    /// <paramref name="pctStart"/> of <paramref name="totalSteps"/>, then down to that / finalDivFactor.
    /// </summary>
    public static Schedule OneCycle(double maxValue, long totalSteps, double pctStart = 0.3, Anneal anneal = Anneal.Cosine, double divFactor = 25, double finalDivFactor = 1e4)
    {
        var initial = maxValue / divFactor;
        return OneCyclePhases($"OneCycleLR(max_lr={F(maxValue)}, total_steps={totalSteps}, pct_start={F(pctStart)}, anneal_strategy='{Strategy(anneal)}', div_factor={F(divFactor)}, final_div_factor={F(finalDivFactor)})",
            totalSteps, pctStart, anneal, initial, maxValue, initial / finalDivFactor);
    }

    /// <summary>
    /// <c>OneCycleLR</c>'s momentum (or Adam's beta1) cycling: from <paramref name="maxMomentum"/> down to
    /// <paramref name="baseMomentum"/> while the learning rate rises, then back up.
    /// </summary>
    public static Schedule OneCycleMomentum(long totalSteps, double pctStart = 0.3, Anneal anneal = Anneal.Cosine, double baseMomentum = 0.85, double maxMomentum = 0.95)
        => OneCyclePhases($"OneCycleLR momentum(total_steps={totalSteps}, pct_start={F(pctStart)}, anneal_strategy='{Strategy(anneal)}', base_momentum={F(baseMomentum)}, max_momentum={F(maxMomentum)})",
            totalSteps, pctStart, anneal, maxMomentum, baseMomentum, maxMomentum);

    /// <summary><c>CyclicLR</c>'s learning rate: between baseValue and maxValue, up over stepSizeUp steps and down over stepSizeDown.</summary>
    public static Schedule Cyclic(double baseValue, double maxValue, long stepSizeUp = 2000, long? stepSizeDown = null, CyclicMode mode = CyclicMode.Triangular, double gamma = 1)
    {
        var (up, total) = CyclicShape(stepSizeUp, stepSizeDown);
        return new Formula($"CyclicLR(base_lr={F(baseValue)}, max_lr={F(maxValue)}, step_size_up={stepSizeUp}, step_size_down={stepSizeDown ?? stepSizeUp}, mode='{mode.ToString().ToLowerInvariant()}', gamma={F(gamma)})",
            (t, _) => baseValue + (maxValue - baseValue) * CyclicFactor(t, up, total) * CyclicScale(t, total, mode, gamma));
    }

    /// <summary><c>CyclicLR</c>'s momentum cycling: from maxMomentum down to baseMomentum while the learning rate rises, then back.</summary>
    public static Schedule CyclicMomentum(double baseMomentum, double maxMomentum, long stepSizeUp = 2000, long? stepSizeDown = null, CyclicMode mode = CyclicMode.Triangular, double gamma = 1)
    {
        var (up, total) = CyclicShape(stepSizeUp, stepSizeDown);
        return new Formula($"CyclicLR momentum(base_momentum={F(baseMomentum)}, max_momentum={F(maxMomentum)}, step_size_up={stepSizeUp}, step_size_down={stepSizeDown ?? stepSizeUp}, mode='{mode.ToString().ToLowerInvariant()}')",
            (t, _) => maxMomentum - (maxMomentum - baseMomentum) * CyclicFactor(t, up, total) * CyclicScale(t, total, mode, gamma));
    }

    private static Schedule OneCyclePhases(string name, long totalSteps, double pctStart, Anneal anneal, double start, double peak, double end)
    {
        Require(totalSteps > 0, nameof(totalSteps), "positive");
        Require(pctStart is > 0 and < 1, nameof(pctStart), "in (0, 1)");
        var firstEnd = pctStart * totalSteps - 1;
        var lastEnd = totalSteps - 1d;
        return new Formula(name, (t, _) => t <= firstEnd
            ? Interpolate(anneal, start, peak, t / firstEnd)
            : Interpolate(anneal, peak, end, (t - firstEnd) / (lastEnd - firstEnd)));
    }

    private static double Interpolate(Anneal anneal, double start, double end, double fraction) => anneal == Anneal.Cosine
        ? end + (start - end) / 2 * (Math.Cos(Math.PI * fraction) + 1)
        : (end - start) * fraction + start;

    private static (double Up, double Total) CyclicShape(long stepSizeUp, long? stepSizeDown)
    {
        Require(stepSizeUp > 0, nameof(stepSizeUp), "positive");
        Require(stepSizeDown is null or > 0, nameof(stepSizeDown), "positive");
        double up = stepSizeUp, down = stepSizeDown ?? stepSizeUp;
        return (up, up + down);
    }

    // PyTorch's scale_factor: the rising then falling fraction of the cycle at step t.
    private static double CyclicFactor(long t, double up, double total)
    {
        var ratio = up / total;
        var cycle = Math.Floor(1 + t / total);
        var x = 1 + t / total - cycle;
        return x <= ratio ? x / ratio : (x - 1) / (ratio - 1);
    }

    private static double CyclicScale(long t, double total, CyclicMode mode, double gamma) => mode switch
    {
        CyclicMode.Triangular2 => 1 / Math.Pow(2, Math.Floor(1 + t / total) - 1),
        CyclicMode.ExpRange => Math.Pow(gamma, t),
        _ => 1,
    };

    // bisect_right: how many of the sorted milestones are at or before t.
    private static int Reached(long[] sorted, long t)
    {
        var count = 0;
        while (count < sorted.Length && sorted[count] <= t)
        {
            count++;
        }

        return count;
    }

    private static string Strategy(Anneal anneal) => anneal == Anneal.Cosine ? "cos" : "linear";

    private static string F(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    private static void Require(bool condition, string name, string requirement)
    {
        if (!condition)
        {
            throw new ArgumentOutOfRangeException(name, $"{name} must be {requirement}.");
        }
    }

    private sealed class Formula(string name, Func<long, double, double> value) : Schedule
    {
        public override double Value(long step, double baseValue) => value(step, baseValue);

        public override string ToString() => name;
    }
}
