using Microsoft.AspNetCore.StaticFiles;
using Microsoft.Extensions.FileProviders;

namespace Grid.Silo.Extensions;

/// <summary>
/// The live viewer (docs/viewer.md): plain HTML, JS and CSS from <c>wwwroot</c> next to the silo's assembly, served at
/// <c>/</c> before authentication. The page holds no data of its own; everything it shows comes from the API with the
/// key the user enters.
/// </summary>
public static class ViewerExtensions
{
    // The page loads only its own files and talks only to this silo; frames arrive as blob: URLs.
    private const string ContentSecurityPolicy =
        "default-src 'self'; img-src 'self' blob:; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

    /// <summary>Serves <c>index.html</c> for <c>/</c> and the files beside it.</summary>
    public static WebApplication UseGridViewer(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        string root = Path.Combine(AppContext.BaseDirectory, "wwwroot");
        if (!Directory.Exists(root))
        {
            return app;
        }
        var files = new PhysicalFileProvider(root);
        app.UseDefaultFiles(new DefaultFilesOptions { FileProvider = files });
        app.UseStaticFiles(new StaticFileOptions
        {
            FileProvider = files,
            ContentTypeProvider = new FileExtensionContentTypeProvider(),
            OnPrepareResponse = context =>
            {
                IHeaderDictionary headers = context.Context.Response.Headers;
                headers.CacheControl = "no-cache";
                headers.XContentTypeOptions = "nosniff";
                headers.ContentSecurityPolicy = ContentSecurityPolicy;
            },
        });
        return app;
    }
}
