namespace OptimGen.Generators.Helpers;

internal static class Naming
{
    /// <summary>learningRate, _learningRate and learning_rate all become LearningRate.</summary>
    public static string Pascal(string name)
    {
        var builder = new System.Text.StringBuilder(name.Length);
        var upper = true;
        foreach (var c in name)
        {
            if (c == '_')
            {
                upper = true;
                continue;
            }

            builder.Append(upper ? char.ToUpperInvariant(c) : c);
            upper = false;
        }

        return builder.ToString();
    }
}
