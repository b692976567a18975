using System.Net;
using Grid.TestSupport;

namespace Grid.Silo.Tests;

/// <summary>The optional Orleans Dashboard (<c>Grid:Cluster:Dashboard</c>): off by default, admin keys only when on.</summary>
[Collection(SiloCollection.Name)]
public sealed class DashboardTests(SiloFixture fixture)
{
    [Fact]
    public async Task TheDashboardIsOffByDefaultAndAdminOnlyWhenSwitchedOn()
    {
        using (HttpResponseMessage off = await fixture.Client.GetAsync("dashboard"))
        {
            Assert.Equal(HttpStatusCode.NotFound, off.StatusCode);
        }

        await using SiloProcess silo = await fixture.StartSiloAsync("dashboard", "Cluster:Dashboard=true");
        using HttpClient admin = silo.CreateClient();
        using var anonymous = new HttpClient { BaseAddress = silo.BaseAddress };
        using HttpResponseMessage page = await admin.GetAsync("dashboard/");
        using HttpResponseMessage refused = await anonymous.GetAsync("dashboard/");

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("html", page.Content.Headers.ContentType?.MediaType, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
    }
}
