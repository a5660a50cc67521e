using System;
using OptimGen;
using OptimGen.Optimizers;
using OptimGen.Storage;
using QuickStart;

namespace CompactState;

/// <summary>
/// QuickStart's <see cref="Mlp"/> with its weights kept in bfloat16: the optimizer sees only the bfloat16 weights and
/// gradients. Before each batch the weights are widened (exactly) into the float arrays the MLP's forward and
/// backward passes use; after the backward pass its float gradients are rounded into the bfloat16 gradients.
/// </summary>
internal sealed class BFloat16Mlp
{
    private readonly Mlp model;
    private readonly Memory<float>[] floatValues;
    private readonly Memory<float>[] floatGradients;

    /// <summary>Initialises the MLP as QuickStart does, then rounds its weights to the nearest bfloat16.</summary>
    public BFloat16Mlp(Random random)
    {
        model = new Mlp(random);

        // The MLP hands its arrays only to an optimizer: one that never steps lends them to us.
        var lender = new Sgd();
        model.Register(lender);
        var count = lender.Parameters.Count;
        floatValues = new Memory<float>[count];
        floatGradients = new Memory<float>[count];
        Weights = new BFloat16[count][];
        Gradients = new BFloat16[count][];
        for (var i = 0; i < count; i++)
        {
            floatValues[i] = lender.Parameters[i].Value;
            floatGradients[i] = lender.Parameters[i].Gradient;
            Weights[i] = new BFloat16[floatValues[i].Length];
            Gradients[i] = new BFloat16[floatValues[i].Length];
            BFloat16Span.FromSingle(floatValues[i].Span, Weights[i]);
        }
    }

    /// <summary>The parameter tensors in bfloat16, as the optimizer updates them.</summary>
    public BFloat16[][] Weights { get; }

    /// <summary>The gradients in bfloat16, as the optimizer reads them.</summary>
    public BFloat16[][] Gradients { get; }

    /// <summary>Registers the bfloat16 weights and gradients, without a float32 master copy.</summary>
    public void Register(Optimizer optimizer)
    {
        for (var i = 0; i < Weights.Length; i++)
        {
            optimizer.Add(Weights[i], Gradients[i], masterCopy: false);
        }
    }

    /// <summary>The batch's summed loss; leaves the gradient of its mean loss in <see cref="Gradients"/>.</summary>
    public double ComputeGradients(DigitsData data, ReadOnlySpan<int> batch)
    {
        Widen();
        var loss = model.ComputeGradients(data, batch);
        for (var i = 0; i < Gradients.Length; i++)
        {
            BFloat16Span.FromSingle(floatGradients[i].Span, Gradients[i]);
        }

        return loss;
    }

    /// <summary>The fraction of <paramref name="data"/> the bfloat16 weights classify right.</summary>
    public double Accuracy(DigitsData data)
    {
        Widen();
        return model.Accuracy(data);
    }

    private void Widen()
    {
        for (var i = 0; i < Weights.Length; i++)
        {
            BFloat16Span.ToSingle(Weights[i], floatValues[i].Span);
        }
    }
}
