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
    public void BackoffGrowsWithJitterAndIsCapped()
    {
        for (int retry = 0; retry < 6; retry++)
        {
            double full = Math.Min(100 * Math.Pow(2, retry), 1000);
            TimeSpan delay = RetryDelays.Backoff(retry, TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(1));
            Assert.InRange(delay.TotalMilliseconds, full / 2, full);
        }
        Assert.Equal(TimeSpan.FromSeconds(1), RetryDelays.Next(0, TimeSpan.FromHours(1), TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(1)));
        Assert.Equal(TimeSpan.FromMilliseconds(300), RetryDelays.Next(0, TimeSpan.FromMilliseconds(300), TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(1)));
    }
}
