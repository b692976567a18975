namespace Grid.Entropy;

/// <summary>A frame cannot be decoded with what the caller has: another prior, or no reference frame for an inter frame.</summary>
public sealed class PriorMismatchException(string message) : Exception(message);
