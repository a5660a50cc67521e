using System;
using System.Globalization;

namespace OptimGen;

/// <summary>Range checks for generated hyperparameter setters.</summary>
public static class Interval
{
    /// <summary>Returns <paramref name="value"/> if it lies in the interval, else throws naming the hyperparameter.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is outside the interval, or NaN.</exception>
    public static float Check(float value, double lower, bool lowerInclusive, double upper, bool upperInclusive, string name, string interval)
    {
        Check((double)value, lower, lowerInclusive, upper, upperInclusive, name, interval);
        return value;
    }

    /// <inheritdoc cref="Check(float, double, bool, double, bool, string, string)"/>
    public static double Check(double value, double lower, bool lowerInclusive, double upper, bool upperInclusive, string name, string interval)
    {
        var inside = (lowerInclusive ? value >= lower : value > lower) && (upperInclusive ? value <= upper : value < upper);
        if (!inside)
        {
            throw new ArgumentOutOfRangeException(name, value,
                string.Create(CultureInfo.InvariantCulture, $"{name} must be in {interval}, but was {value}."));
        }

        return value;
    }

    /// <inheritdoc cref="Check(float, double, bool, double, bool, string, string)"/>
    public static int Check(int value, double lower, bool lowerInclusive, double upper, bool upperInclusive, string name, string interval)
    {
        Check((double)value, lower, lowerInclusive, upper, upperInclusive, name, interval);
        return value;
    }

    /// <summary>Returns <paramref name="value"/> unless it is NaN.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is NaN.</exception>
    public static float CheckNumber(float value, string name) => float.IsNaN(value) ? throw NotANumber(name) : value;

    /// <inheritdoc cref="CheckNumber(float, string)"/>
    public static double CheckNumber(double value, string name) => double.IsNaN(value) ? throw NotANumber(name) : value;

    /// <summary>Returns <paramref name="value"/>: every int is a number.</summary>
    public static int CheckNumber(int value, string name) => value;

    private static ArgumentOutOfRangeException NotANumber(string name)
        => new(name, double.NaN, $"{name} must be a number, but was NaN.");
}
