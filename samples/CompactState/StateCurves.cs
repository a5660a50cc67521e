using System.Collections.Generic;

namespace CompactState;

internal static class StateCurves
{
    public static void Save(string path, IReadOnlyList<ParameterRow> rows)
    {
    }
}
