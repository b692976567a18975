using Grid.Client;
using Grid.Contracts.Frames;
using Grid.Codec;
using Grid.Evaluation;
using Grid.Imaging;
using Grid.Native;

namespace Grid.Cli;

/// <summary>Turns exceptions into one clear line on stderr and an exit code; a stack trace only with GRID_DEBUG=1.</summary>
public static class ErrorReporter
{
    public static int Report(Exception exception)
    {
        (int code, string message) = exception switch
        {
            OperationCanceledException => (ExitCodes.Interrupted, "interrupted"),
            GridApiException { StatusCode: System.Net.HttpStatusCode.Unauthorized } e => (ExitCodes.ServerError,
                $"server error {e.Describe()}: {e.Message} (pass --api-key or set GRID_API_KEY)"),
            GridApiException e => (ExitCodes.ServerError, $"server error {e.Describe()}: {e.Message}"),
            GridConnectionException e when NeverConnected(e) => (ExitCodes.ServerError,
                $"no silo answers at {e.Server.AbsoluteUri.TrimEnd('/')}; start one with ./grid serve ({e.GetBaseException().Message})"),
            GridConnectionException e => (ExitCodes.ServerError, $"lost the connection to {e.Server.AbsoluteUri.TrimEnd('/')}: {e.Message}"),
            GridProtocolException e => (ExitCodes.ServerError, $"the silo broke the protocol: {e.Message}"),
            TimeoutException e => (ExitCodes.ServerError, e.Message),
            VideoException e => (ExitCodes.InvalidInput, e.Message),
            ModelMismatchException e => (ExitCodes.ModelMismatch, e.Message),
            FrameFormatException e => (ExitCodes.InvalidInput, $"invalid frame: {e.Message}"),
            ImageFormatException e => (ExitCodes.InvalidInput, $"invalid image: {e.Message}"),
            CodecException e => (ExitCodes.InvalidInput, e.Message),
            NativeDataException e => (ExitCodes.InvalidInput, $"invalid data: {e.Message}"),
            NativeDeviceException e => (ExitCodes.Usage, e.Message),
            WebpException e => (ExitCodes.Failure, e.Message),
            InvalidDataException e => (ExitCodes.InvalidInput, e.Message),
            FileNotFoundException e => (ExitCodes.NotFound, e.Message),
            DirectoryNotFoundException e => (ExitCodes.NotFound, e.Message),
            ArgumentException e => (ExitCodes.Usage, e.Message),
            _ => (ExitCodes.Failure, $"{exception.GetType().Name}: {exception.Message}"),
        };
        Console.Error.WriteLine($"grid: {message}");
        if (Environment.GetEnvironmentVariable("GRID_DEBUG") == "1")
        {
            Console.Error.WriteLine(exception);
        }
        return code;
    }

    /// <summary>Whether the failure was reaching the silo at all (name lookup or connect), not a connection lost midway.</summary>
    private static bool NeverConnected(Exception exception)
    {
        for (Exception? inner = exception; inner is not null; inner = inner.InnerException)
        {
            if (inner is HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError })
            {
                return true;
            }
        }
        return false;
    }
}
