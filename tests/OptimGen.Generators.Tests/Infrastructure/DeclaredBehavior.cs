using System;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Runtime.Loader;
using Microsoft.CodeAnalysis;
using Xunit;

namespace OptimGen.Generators.Tests;

/// <summary>
/// Runs what the generator wrote: loads the output compilation in a collectible context and, for every optimizer in
/// it, steps the same random tensors with the generated loop (<c>Step</c>) and with the declared update method
/// (<c>ReferenceStep</c>), with its default hyperparameters and again with every bool hyperparameter switched on.
/// </summary>
public static class DeclaredBehavior
{
    private static readonly int[] Lengths = [0, 1, 7, 37, 300];

    /// <summary>
    /// Null when every optimizer's generated loop matches its update method over <paramref name="steps"/> steps
    /// (parameters and moments within 1e-4 relative, NaN where the method gives NaN), else what differed. Throws when
    /// the output does not emit. Formulas edited at random can be chaotic, where float rounding differences grow
    /// with every step: one step is the fair test of those.
    /// </summary>
    public static string? Mismatch(Compilation output, int seed, int steps = 3)
    {
        using var stream = new MemoryStream();
        var emitted = output.Emit(stream);
        if (!emitted.Success)
        {
            throw new InvalidOperationException("The output does not emit: " + emitted.Diagnostics.First(d => d.Severity == DiagnosticSeverity.Error));
        }

        stream.Position = 0;
        var context = new AssemblyLoadContext("DeclaredBehavior", isCollectible: true);
        try
        {
            var assembly = context.LoadFromStream(stream);
            foreach (var type in assembly.GetTypes().Where(t => t.IsSubclassOf(typeof(Optimizer)) && !t.IsAbstract))
            {
                foreach (var switchedOn in new[] { false, true })
                {
                    if (Compare(type, switchedOn, seed, steps) is { } problem)
                    {
                        return $"{type.Name}{(switchedOn ? " (bool hyperparameters on)" : "")}: {problem}";
                    }
                }
            }

            return null;
        }
        finally
        {
            context.Unload();
        }
    }

    /// <summary>A new instance of the named optimizer from the output (loaded for good: for a test or two).</summary>
    public static Optimizer Load(Compilation output, string typeName)
    {
        using var stream = new MemoryStream();
        var emitted = output.Emit(stream);
        Assert.True(emitted.Success, string.Join("\n", emitted.Diagnostics));
        var assembly = new AssemblyLoadContext(typeName, isCollectible: true).LoadFromStream(new MemoryStream(stream.ToArray()));
        return (Optimizer)Activator.CreateInstance(assembly.GetType(typeName, throwOnError: true)!)!;
    }

    private static string? Compare(Type type, bool switchedOn, int seed, int steps)
    {
        var generated = Create(type, switchedOn);
        var reference = Create(type, switchedOn);

        var random = new Random(seed);
        foreach (var length in Lengths)
        {
            var parameter = Enumerable.Range(0, length).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();
            generated.Add(parameter, new float[length]);
            reference.Add((float[])parameter.Clone(), new float[length]);
        }

        for (var step = 1; step <= steps; step++)
        {
            for (var t = 0; t < Lengths.Length; t++)
            {
                var gradient = generated.Parameters[t].Gradient.Span;
                for (var i = 0; i < gradient.Length; i++)
                {
                    gradient[i] = (float)(random.NextDouble() * 2 - 1);
                }

                gradient.CopyTo(reference.Parameters[t].Gradient.Span);
            }

            try
            {
                generated.Step();
            }
            catch (InvalidOperationException) when (step == 1)
            {
                // The switches break a rule between hyperparameters ([Requires]): refused before anything is written.
                return null;
            }

            reference.ReferenceStep();
            for (var t = 0; t < Lengths.Length; t++)
            {
                var (mine, theirs) = (generated.Parameters[t], reference.Parameters[t]);
                if (Differs(mine.Value.Span, theirs.Value.Span) is { } at)
                {
                    return $"step {step}, tensor of {mine.Length}, parameter {at}: {mine.Value.Span[at]} (loop) vs {theirs.Value.Span[at]} (update method)";
                }

                for (var m = 0; m < mine.MomentCount; m++)
                {
                    if (mine.HasMoment(m) && Differs(mine.Moment(m), theirs.Moment(m)) is { } element)
                    {
                        return $"step {step}, tensor of {mine.Length}, moment {generated.MomentNames[m]}[{element}]: {mine.Moment(m)[element]} vs {theirs.Moment(m)[element]}";
                    }
                }

                for (var s = 0; s < mine.StepState.Length; s++)
                {
                    if (Differs([(float)mine.StepState[s]], [(float)theirs.StepState[s]]) is not null)
                    {
                        return $"step {step}, tensor of {mine.Length}, step state {s}: {mine.StepState[s]} vs {theirs.StepState[s]}";
                    }
                }
            }
        }

        return null;
    }

    private static Optimizer Create(Type type, bool switchedOn)
    {
        var optimizer = (Optimizer)Activator.CreateInstance(type)!;
        if (switchedOn)
        {
            foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.PropertyType == typeof(bool) && p.CanWrite))
            {
                property.SetValue(optimizer, true);
            }
        }

        return optimizer;
    }

    private static int? Differs(ReadOnlySpan<float> loop, ReadOnlySpan<float> method)
    {
        for (var i = 0; i < loop.Length; i++)
        {
            var (a, b) = (loop[i], method[i]);
            var same = float.IsNaN(b) ? float.IsNaN(a) : Math.Abs(a - b) <= 1e-4 * Math.Max(1, Math.Max(Math.Abs(a), Math.Abs(b)));
            if (!same && !(float.IsInfinity(a) && a == b))
            {
                return i;
            }
        }

        return null;
    }
}
