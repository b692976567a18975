using System.Runtime.CompilerServices;
using Grid.Client.Http;
using Grid.Contracts.Api;

namespace Grid.Client;

public sealed partial class GridClient
{
    /// <summary>
    /// Reads a stream's stored frames in sequence order, as the response body arrives: records are parsed from the
    /// socket one by one (nothing is buffered beyond the record being read), so a replay of any length runs in
    /// constant memory. If the connection breaks midway the replay resumes after the last record delivered (retry
    /// limits apply), so each frame is delivered once.
    /// </summary>
    /// <param name="stream">The stream name.</param>
    /// <param name="from">First sequence number (inclusive); null: from the start.</param>
    /// <param name="to">Last sequence number (inclusive); null: to the end as it is when the server answers.</param>
    /// <param name="format">The VQF frames as stored (default), or images decoded by each frame's own model version.</param>
    /// <param name="cancellationToken">Cancels the replay.</param>
    /// <returns>The records, in sequence order.</returns>
    /// <exception cref="GridApiException">404 <c>stream_not_found</c>; 400 <c>invalid_argument</c> for a bad range or format.</exception>
    /// <exception cref="GridConnectionException">No silo answered, or the body kept breaking.</exception>
    /// <exception cref="InvalidDataException">The body is not a records body (bad magic, a record cut short by the server).</exception>
    public async IAsyncEnumerable<StreamRecord> ReplayAsync(
        string stream, long? from = null, long? to = null, PayloadFormat format = PayloadFormat.Vqf,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ThrowIfBadStreamName(stream);
        ThrowIfBadRange(from, to);
        long? next = from;
        int breaks = 0;
        while (true)
        {
            string path = ApiPaths.Replay(stream, next, to, format);
            using HttpResponseMessage response = await SendAsync(
                () => Request(HttpMethod.Get, path), cancellationToken, completion: HttpCompletionOption.ResponseHeadersRead).ConfigureAwait(false);
            using Stream body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            await using IAsyncEnumerator<StreamRecord> records = RecordFormat.ReadAllAsync(body, cancellationToken).GetAsyncEnumerator(cancellationToken);
            Exception? broken = null;
            while (true)
            {
                try
                {
                    if (!await records.MoveNextAsync().ConfigureAwait(false))
                    {
                        break;
                    }
                }
                catch (IOException exception) when (!cancellationToken.IsCancellationRequested)
                {
                    // HttpIOException: the connection broke inside the body (a silo stopped, a proxy cut it).
                    broken = exception;
                    break;
                }
                StreamRecord record = records.Current;
                next = record.Sequence < long.MaxValue ? record.Sequence + 1 : long.MaxValue; // never overflows, even for a legacy stream
                breaks = 0;
                yield return record;
            }
            // A break after the last record asked for lost nothing.
            if (broken is null || (to is { } last && next > last))
            {
                yield break;
            }
            // Resume at once: the next request goes through the retry pipeline, which backs off while no silo answers.
            if (++breaks > _options.MaxRetries)
            {
                string where = next is { } sequence ? $"before sequence {sequence}" : "before its first record";
                throw new GridConnectionException(BaseAddress, $"the replay of '{stream}' broke off {where}: {broken.Message}", broken);
            }
        }
    }
}
