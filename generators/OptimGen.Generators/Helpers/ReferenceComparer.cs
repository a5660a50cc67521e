using System.Collections.Generic;
using System.Runtime.CompilerServices;

namespace OptimGen.Generators.Helpers;

/// <summary>Compares by identity: for side tables keyed by one node of a tree whose records compare by value.</summary>
internal sealed class ReferenceComparer<T> : IEqualityComparer<T>
    where T : class
{
    public static readonly ReferenceComparer<T> Instance = new();

    public bool Equals(T? x, T? y) => ReferenceEquals(x, y);

    public int GetHashCode(T obj) => RuntimeHelpers.GetHashCode(obj);
}
