namespace Grid.Client;

/// <summary>What an ingest message carries (the <c>u8 kind</c> byte of the ingest protocol).</summary>
public enum IngestFrameKind : byte
{
    /// <summary>An image file (PNG, JPEG or PPM), encoded by the server's current model.</summary>
    Image = 0,

    /// <summary>A VQF frame, stored as is after validation.</summary>
    Frame = 1,
}
