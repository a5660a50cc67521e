namespace OptimGen.Generators.Helpers;

/// <summary>
/// Small text edits for messages and comments, written out by hand: a compiled regular expression costs its first
/// user tens of milliseconds of code generation and JIT, paid in every build by the generator and the analyzer alike.
/// </summary>
internal static class TextEdits
{
    /// <summary>Every run of white space (line breaks included) as one space, and none at either end.</summary>
    public static string CollapseWhitespace(string text)
    {
        var builder = new System.Text.StringBuilder(text.Length);
        var pendingSpace = false;
        foreach (var c in text)
        {
            if (char.IsWhiteSpace(c))
            {
                pendingSpace = builder.Length > 0;
                continue;
            }

            if (pendingSpace)
            {
                builder.Append(' ');
                pendingSpace = false;
            }

            builder.Append(c);
        }

        return builder.ToString();
    }

    /// <summary>A PascalCase name as lower-case words: <c>ForEachStatement</c> becomes <c>for each statement</c>.</summary>
    public static string Words(string pascalCase)
    {
        var builder = new System.Text.StringBuilder(pascalCase.Length + 8);
        for (var i = 0; i < pascalCase.Length; i++)
        {
            var c = pascalCase[i];
            if (i > 0 && char.IsUpper(c) && char.IsLower(pascalCase[i - 1]))
            {
                builder.Append(' ');
            }

            builder.Append(char.ToLowerInvariant(c));
        }

        return builder.ToString();
    }
}
