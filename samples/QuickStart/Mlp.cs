using System;
using OptimGen;

namespace QuickStart;

/// <summary>
/// A 64-128-10 perceptron: a ReLU hidden layer, then softmax cross-entropy. Weights are row-major
/// [output, input], as in PyTorch's nn.Linear, so every inner loop walks contiguous memory.
/// </summary>
internal sealed class Mlp
{
    private const int InputSize = DigitsData.PixelCount;
    private const int HiddenSize = 128;
    private const int OutputSize = DigitsData.ClassCount;

    private readonly float[] w1 = new float[HiddenSize * InputSize];
    private readonly float[] b1 = new float[HiddenSize];
    private readonly float[] w2 = new float[OutputSize * HiddenSize];
    private readonly float[] b2 = new float[OutputSize];

    private readonly float[] w1Gradient = new float[HiddenSize * InputSize];
    private readonly float[] b1Gradient = new float[HiddenSize];
    private readonly float[] w2Gradient = new float[OutputSize * HiddenSize];
    private readonly float[] b2Gradient = new float[OutputSize];

    // One image's activations and gradients, reused so training allocates nothing.
    private readonly float[] hidden = new float[HiddenSize];
    private readonly float[] logits = new float[OutputSize];
    private readonly float[] logitGradient = new float[OutputSize];
    private readonly float[] hiddenGradient = new float[HiddenSize];

    /// <summary>Initialises every layer as nn.Linear does by default: weights and biases from U(-1/sqrt(fan_in), 1/sqrt(fan_in)).</summary>
    public Mlp(Random random)
    {
        FillUniform(w1, InputSize, random);
        FillUniform(b1, InputSize, random);
        FillUniform(w2, HiddenSize, random);
        FillUniform(b2, HiddenSize, random);
    }

    /// <summary>Hands the four parameter tensors and their gradient arrays to <paramref name="optimizer"/>.</summary>
    public void Register(Optimizer optimizer)
    {
        optimizer.Add(w1, w1Gradient);
        optimizer.Add(b1, b1Gradient);
        optimizer.Add(w2, w2Gradient);
        optimizer.Add(b2, b2Gradient);
    }

    /// <summary>The four parameter tensors and their gradient arrays, in the order <see cref="Register"/> adds them.</summary>
    public (float[] Parameter, float[] Gradient)[] Tensors => [(w1, w1Gradient), (b1, b1Gradient), (w2, w2Gradient), (b2, b2Gradient)];

    /// <summary>
    /// Overwrites the gradient arrays with the gradient of the batch's mean loss (the optimizer never zeroes them)
    /// and returns the batch's summed loss.
    /// </summary>
    public double ComputeGradients(DigitsData data, ReadOnlySpan<int> batch)
    {
        Array.Clear(w1Gradient);
        Array.Clear(b1Gradient);
        Array.Clear(w2Gradient);
        Array.Clear(b2Gradient);

        var scale = 1f / batch.Length;
        var loss = 0.0;
        foreach (var row in batch)
        {
            var image = data.Image(row);
            Forward(image);
            loss += Backward(image, data.Label(row), scale);
        }

        return loss;
    }

    /// <summary>The fraction of <paramref name="data"/> whose highest logit is its label.</summary>
    public double Accuracy(DigitsData data)
    {
        var correct = 0;
        for (var row = 0; row < data.Count; row++)
        {
            Forward(data.Image(row));
            var predicted = 0;
            for (var k = 1; k < OutputSize; k++)
            {
                if (logits[k] > logits[predicted])
                {
                    predicted = k;
                }
            }

            if (predicted == data.Label(row))
            {
                correct++;
            }
        }

        return (double)correct / data.Count;
    }

    private void Forward(ReadOnlySpan<float> image)
    {
        for (var j = 0; j < HiddenSize; j++)
        {
            var weights = w1.AsSpan(j * InputSize, InputSize);
            var sum = b1[j];
            for (var i = 0; i < weights.Length; i++)
            {
                sum += weights[i] * image[i];
            }

            hidden[j] = Math.Max(sum, 0f);
        }

        for (var k = 0; k < OutputSize; k++)
        {
            var weights = w2.AsSpan(k * HiddenSize, HiddenSize);
            var sum = b2[k];
            for (var j = 0; j < weights.Length; j++)
            {
                sum += weights[j] * hidden[j];
            }

            logits[k] = sum;
        }
    }

    /// <summary>
    /// Adds <paramref name="scale"/> times this image's loss gradient to the gradient arrays and returns its loss.
    /// Needs the activations of a <see cref="Forward"/> on the same image.
    /// </summary>
    private double Backward(ReadOnlySpan<float> image, int label, float scale)
    {
        // Subtracting the largest logit keeps exp from overflowing; the loss is logsumexp(logits) - logits[label].
        var max = logits[0];
        for (var k = 1; k < OutputSize; k++)
        {
            max = Math.Max(max, logits[k]);
        }

        var sumExp = 0f;
        for (var k = 0; k < OutputSize; k++)
        {
            logitGradient[k] = MathF.Exp(logits[k] - max);
            sumExp += logitGradient[k];
        }

        var loss = Math.Log(sumExp) + max - logits[label];

        // Softmax followed by cross-entropy has the gradient softmax - one_hot(label) at the logits.
        for (var k = 0; k < OutputSize; k++)
        {
            logitGradient[k] = scale * (logitGradient[k] / sumExp - (k == label ? 1f : 0f));
        }

        Array.Clear(hiddenGradient);
        for (var k = 0; k < OutputSize; k++)
        {
            var g = logitGradient[k];
            b2Gradient[k] += g;
            var weights = w2.AsSpan(k * HiddenSize, HiddenSize);
            var weightGradients = w2Gradient.AsSpan(k * HiddenSize, HiddenSize);
            for (var j = 0; j < weights.Length; j++)
            {
                weightGradients[j] += g * hidden[j];
                hiddenGradient[j] += g * weights[j];
            }
        }

        for (var j = 0; j < HiddenSize; j++)
        {
            // ReLU passes gradient only where it passed the input; a zero activation means the unit was off.
            if (hidden[j] <= 0f)
            {
                continue;
            }

            var g = hiddenGradient[j];
            b1Gradient[j] += g;
            var weightGradients = w1Gradient.AsSpan(j * InputSize, InputSize);
            for (var i = 0; i < weightGradients.Length; i++)
            {
                weightGradients[i] += g * image[i];
            }
        }

        return loss;
    }

    private static void FillUniform(float[] values, int fanIn, Random random)
    {
        var bound = 1f / MathF.Sqrt(fanIn);
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = bound * (2f * random.NextSingle() - 1f);
        }
    }
}
