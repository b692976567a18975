namespace Grid.Entropy;

/// <summary>One training index that matched none of its neighbours: its weight class, value, neighbour rows,
/// and the frame's adaptive count of the value and total without the neighbours at that point.</summary>
internal readonly record struct EscapeEvent(byte Class, ushort Symbol, ushort Left, ushort Top, ushort TopRight, ushort TopLeft, ushort Adaptive, ushort AdaptiveRemaining);
