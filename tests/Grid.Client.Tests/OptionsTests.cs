using System.Net;
using Grid.Contracts;
using Polly.Timeout;
using Grid.Client.Http;

namespace Grid.Client.Tests;

public sealed class OptionsTests
{
    [Fact]
    public void ValidationListsEveryProblem()
    {
        var options = new GridClientOptions
        {
            BaseAddress = new Uri("ftp://silo/"),
            Tenant = "no spaces",
            MaxRetries = -1,
            IngestWindow = 0,
            Timeout = TimeSpan.Zero,
        };

        IReadOnlyList<string> problems = options.Validate();

        Assert.Equal(5, problems.Count);
        ArgumentException error = Assert.Throws<ArgumentException>(() => new GridClient(options));
        Assert.All(problems, problem => Assert.Contains(problem, error.Message, StringComparison.Ordinal));
    }

    [Fact]
    public void DefaultsAreValidAndPointAtTheLocalSilo()
    {
        using var client = new GridClient();

        Assert.Empty(new GridClientOptions().Validate());
        Assert.Equal(new Uri("http://127.0.0.1:5080/"), client.BaseAddress);
        Assert.Equal("default", client.Tenant);
    }

    [Fact]
    public void CallerHttpClientBaseAddressIsUsedWhenTheOptionsNameNone()
    {
        using var http = new HttpClient { BaseAddress = new Uri("http://silo-3:9000/api") };
        using var client = new GridClient(http);

        Assert.Equal(new Uri("http://silo-3:9000/api/"), client.BaseAddress);
    }

    [Fact]
    public void RetriesFollowTheRequestsSafety()
    {
        var refused = new GridApiException(HttpStatusCode.TooManyRequests, ErrorCodes.QueueFull, "queue full");
        var proxy = new GridApiException(HttpStatusCode.BadGateway, null, "bad gateway");
        var invalid = new GridApiException(HttpStatusCode.BadRequest, ErrorCodes.InvalidArgument, "bad");
        var notConnected = new HttpRequestException(HttpRequestError.ConnectionError, "refused");
        var brokenMidway = new HttpRequestException(HttpRequestError.ResponseEnded, "ended");
        var timedOut = new TimeoutRejectedException();

        Assert.True(RetryPipeline.ShouldRetry(refused, RetrySafety.OnlyIfNotProcessed));
        Assert.True(RetryPipeline.ShouldRetry(proxy, RetrySafety.Idempotent));
        Assert.False(RetryPipeline.ShouldRetry(proxy, RetrySafety.OnlyIfNotProcessed));
        Assert.False(RetryPipeline.ShouldRetry(invalid, RetrySafety.Idempotent));
        Assert.True(RetryPipeline.ShouldRetry(notConnected, RetrySafety.OnlyIfNotProcessed));
        Assert.True(RetryPipeline.ShouldRetry(brokenMidway, RetrySafety.Idempotent));
        Assert.False(RetryPipeline.ShouldRetry(brokenMidway, RetrySafety.OnlyIfNotProcessed));
        Assert.True(RetryPipeline.ShouldRetry(timedOut, RetrySafety.Idempotent));
        Assert.False(RetryPipeline.ShouldRetry(timedOut, RetrySafety.OnlyIfNotProcessed));
        Assert.False(RetryPipeline.ShouldRetry(new InvalidOperationException(), RetrySafety.Idempotent));
    }

    [Theory]
    [InlineData(5)]
    [InlineData(2 * 24 * 3600 * 1000)]
    public void TimeoutsOutsideWhatTheRetryPipelineAcceptsAreNamed(int milliseconds)
    {
        var options = new GridClientOptions { Timeout = TimeSpan.FromMilliseconds(milliseconds) };

        Assert.Contains(options.Validate(), problem => problem.StartsWith("Timeout must be between 10 ms and 1 day", StringComparison.Ordinal));
    }
}
