using System;
using System.Threading;
using OptimGen;

namespace OptimGen.Tests.Performance;

/// <summary>SGD with momentum, left unsealed so that <see cref="CountingProbe"/> can watch the chunked step's hooks.</summary>
[Optimizer]
public partial class ChunkProbe : Optimizer
{
    [Hyperparameter("[0, inf)")] private float learningRate = 0.01f;
    [Hyperparameter("[0, 1)")] private float momentum = 0.9f;

    [Update]
    private void Update(ref float param, float grad, [Moment] ref float velocity)
    {
        velocity = momentum * velocity + grad;
        param -= learningRate * velocity;
    }
}

/// <summary>
/// Counts the step values computed (a <c>PrepareTensorStep</c> call that shares nothing) and can make one update
/// chunk throw, to show where the chunked step's work runs and how its failures surface.
/// </summary>
public sealed class CountingProbe : ChunkProbe
{
    private int computed;

    /// <summary>The start of the chunk whose update throws, or -1.</summary>
    public int FailAt { get; set; } = -1;

    public int StepValuesComputed => computed;

    protected override void PrepareTensorStep(ParameterTensor tensor, int slot, int shareFrom)
    {
        if (shareFrom < 0)
        {
            Interlocked.Increment(ref computed);
        }

        base.PrepareTensorStep(tensor, slot, shareFrom);
    }

    protected override void UpdateChunk(scoped in ElementWindow window, int slot)
    {
        if (window.Start == FailAt)
        {
            throw new InvalidOperationException($"chunk at {window.Start} failed");
        }

        base.UpdateChunk(in window, slot);
    }
}
