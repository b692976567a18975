namespace Grid.Contracts.Frames;

/// <summary>What an entropy-coded (version 2) frame needs besides itself to decode.</summary>
public enum FrameKind : byte
{
    /// <summary>Self-contained: coded with spatial context only.</summary>
    Key = 0,

    /// <summary>Coded against the indices of an earlier frame of the same stream, named by its sequence number.</summary>
    Inter = 1,
}
