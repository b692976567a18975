namespace Grid.TestSupport;

/// <summary>Redis's <c>appendfsync</c> policy: when the append-only file is flushed to disk.</summary>
public enum AppendFsync
{
    /// <summary>fsync after every write, before the client is answered: no acknowledged write is lost.</summary>
    Always,

    /// <summary>fsync once a second in the background: a power failure loses up to ~1 s of acknowledged writes.</summary>
    EverySec,

    /// <summary>Never fsync; the OS flushes when it likes (typically within 30 s).</summary>
    No,
}
