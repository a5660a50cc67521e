using System.Collections.Generic;
using Microsoft.CodeAnalysis.CSharp;

namespace OptimGen.Generators.Helpers;

/// <summary>
/// The one place generated identifiers come from. It starts with every name the user's class can see or declares
/// (its members, the base classes' members, every identifier in its source); a generated name is the preferred
/// one when free, else the first free variant with a number, so it can never shadow, hide or collide with a user
/// name or another generated name. A user's own name is adopted as is for the role it has in the user's code,
/// unless another user name was already adopted under it (a local named like a field) in the generated code.
/// </summary>
internal sealed class NameScope
{
    private readonly HashSet<string> reserved;
    private readonly HashSet<string> claimed = [];

    public NameScope(IEnumerable<string> userNames) => reserved = [.. userNames];

    /// <summary>Whether a user name or a generated one already uses <paramref name="name"/>.</summary>
    public bool IsTaken(string name) => reserved.Contains(name) || claimed.Contains(name);

    /// <summary>A fresh name for something the generator introduces: <paramref name="preferred"/> when free.</summary>
    public string Allocate(string preferred)
    {
        var name = preferred;
        var separator = preferred.Length > 0 && char.IsDigit(preferred[preferred.Length - 1]) ? "_" : "";
        for (var n = 1; IsTaken(name) || !IsIdentifier(name); n++)
        {
            name = preferred + separator + n;
        }

        claimed.Add(name);
        return name;
    }

    /// <summary>
    /// The name a user's local, parameter or field gets in the generated code: its own, unless a generated name or
    /// another adopted user name already holds it there.
    /// </summary>
    public string Adopt(string userName) => claimed.Add(userName) ? userName : Allocate(userName);

    /// <summary>Takes a name the generated code must have exactly (a public member of the contract).</summary>
    public void Claim(string name) => claimed.Add(name);

    /// <summary>A C# identifier that is not a reserved keyword (the emitter escapes user names that are).</summary>
    public static bool IsIdentifier(string name)
        => SyntaxFacts.IsValidIdentifier(name) && SyntaxFacts.GetKeywordKind(name) == SyntaxKind.None;
}
