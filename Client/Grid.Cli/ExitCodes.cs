namespace Grid.Cli;

/// <summary>Process exit codes of the grid CLI (documented in the README).</summary>
public static class ExitCodes
{
    public const int Success = 0;

    /// <summary>Unexpected failure (a bug or an environment problem): the message says what.</summary>
    public const int Failure = 1;

    /// <summary>Invalid command line.</summary>
    public const int Usage = 2;

    /// <summary>An input file is corrupt or not what it claims (image, frame, model).</summary>
    public const int InvalidInput = 3;

    /// <summary>A frame was encoded by another model than the one given.</summary>
    public const int ModelMismatch = 4;

    /// <summary>A named file or directory does not exist.</summary>
    public const int NotFound = 5;

    /// <summary>The server refused or failed the request (HTTP 4xx/5xx).</summary>
    public const int ServerError = 6;

    /// <summary>Interrupted (Ctrl+C); long work saves what it can first.</summary>
    public const int Interrupted = 130;
}
