using System;

namespace OptimGen;

/// <summary>Argument checks for the generated span entry points, made before anything is written.</summary>
public static class SpanChecks
{
    /// <summary>Throws unless a span of <paramref name="length"/> elements matches the parameter's length.</summary>
    /// <exception cref="ArgumentException">The lengths differ.</exception>
    public static void SameLength(int length, int parameterLength, string name)
    {
        if (length != parameterLength)
        {
            throw new ArgumentException($"{name} has {length} elements but the parameter has {parameterLength}.", name);
        }
    }

    /// <summary>Throws unless <paramref name="step"/> is a valid step number (1 on the first step).</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="step"/> is less than 1.</exception>
    public static void StepNumber(long step)
    {
        if (step < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(step), step, "Steps are numbered from 1.");
        }
    }
}
