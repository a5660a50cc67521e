using System.Text;

namespace OptimGen.Generators.Helpers;

/// <summary>Writes source text line by line at an indentation level, with blocks that close themselves.</summary>
internal sealed class IndentedWriter
{
    private const string IndentUnit = "    ";
    private readonly StringBuilder builder = new();
    private int depth;

    /// <summary>Writes one line at the current indentation (plus <paramref name="extraIndent"/> levels); an empty line stays empty.</summary>
    public void Line(string text = "", int extraIndent = 0)
    {
        if (text.Length > 0)
        {
            for (var i = 0; i < depth + extraIndent; i++)
            {
                builder.Append(IndentUnit);
            }

            builder.Append(text);
        }

        builder.Append('\n');
    }

    /// <summary>Writes <paramref name="header"/> (when not empty) and an opening brace; disposing the result closes it.</summary>
    public Block OpenBlock(string header)
    {
        if (header.Length > 0)
        {
            Line(header);
        }

        Line("{");
        depth++;
        return new Block(this);
    }

    public void Indent() => depth++;

    public void Outdent() => depth--;

    public override string ToString() => builder.ToString();

    public readonly struct Block(IndentedWriter writer) : System.IDisposable
    {
        public void Dispose()
        {
            writer.depth--;
            writer.Line("}");
        }
    }
}
