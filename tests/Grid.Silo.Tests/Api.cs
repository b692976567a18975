using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Grid.Contracts;
using Grid.Contracts.Api;

namespace Grid.Silo.Tests;

/// <summary>Request and assertion helpers for the silo's HTTP API.</summary>
internal static class Api
{
    /// <summary>A fresh tenant name, so tests sharing a silo never see each other's streams.</summary>
    public static string NewTenant() => "t" + Guid.NewGuid().ToString("N")[..12];

    public static ByteArrayContent Body(byte[] bytes, string mediaType)
    {
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new MediaTypeHeaderValue(mediaType);
        return content;
    }

    public static HttpRequestMessage Append(string tenant, string stream, byte[] body, long? sequence = null, string mediaType = GridMediaTypes.Png)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"v1/streams/{stream}/frames") { Content = Body(body, mediaType) };
        request.Headers.Add(GridHeaders.Tenant, tenant);
        if (sequence is { } seq)
        {
            request.Headers.Add(GridHeaders.Sequence, seq.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
        return request;
    }

    public static HttpRequestMessage Get(string tenant, string path)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Add(GridHeaders.Tenant, tenant);
        return request;
    }

    public static async Task<AppendResult> AppendAsync(this HttpClient client, string tenant, string stream, byte[] body, long? sequence = null, string mediaType = GridMediaTypes.Png)
    {
        using HttpResponseMessage response = await client.SendAsync(Append(tenant, stream, body, sequence, mediaType));
        if (response.StatusCode is not (HttpStatusCode.Created or HttpStatusCode.OK))
        {
            Assert.Fail($"append answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        }
        return (await response.Content.ReadFromJsonAsync<AppendResult>(GridJson.Options))!;
    }

    public static async Task<byte[]> EncodeAsync(this HttpClient client, byte[] image)
    {
        using HttpResponseMessage response = await client.PostAsync("v1/encode", Body(image, GridMediaTypes.Png));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsByteArrayAsync();
    }

    public static async Task<List<StreamRecord>> ReplayAsync(this HttpClient client, string tenant, string stream, string query = "")
    {
        using HttpResponseMessage response = await client.SendAsync(Get(tenant, $"v1/streams/{stream}/frames{query}"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(GridMediaTypes.Records, response.Content.Headers.ContentType?.MediaType);
        var records = new List<StreamRecord>();
        await foreach (StreamRecord record in RecordFormat.ReadAllAsync(await response.Content.ReadAsStreamAsync()))
        {
            records.Add(record);
        }
        return records;
    }

    /// <summary>Asserts the response is the API error <paramref name="code"/> with <paramref name="status"/>.</summary>
    public static async Task<ErrorResponse> AssertErrorAsync(HttpResponseMessage response, HttpStatusCode status, string code)
    {
        string body = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"expected {(int)status} {code}, got {(int)response.StatusCode}: {body}");
        ErrorResponse error = System.Text.Json.JsonSerializer.Deserialize<ErrorResponse>(body)!;
        Assert.Equal(code, error.Code);
        Assert.False(string.IsNullOrWhiteSpace(error.Message));
        return error;
    }
}
