namespace Grid.Entropy;

/// <summary>A prior file that is not a valid prior; the message says exactly what is wrong.</summary>
public sealed class PriorFormatException(string message) : Exception(message);
