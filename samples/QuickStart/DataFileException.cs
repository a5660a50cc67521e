using System;

namespace QuickStart;

/// <summary>The data file is missing or unreadable; the message names the file and, where it applies, the line.</summary>
internal sealed class DataFileException(string message, Exception? innerException = null)
    : Exception(message, innerException);
