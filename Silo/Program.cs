using Grid.Silo.Extensions;

WebApplicationBuilder builder = WebApplication.CreateBuilder(args);
builder.AddGridSilo(args);

WebApplication app = builder.Build();
app.MapGridApi();
try
{
    app.Run();
}
catch (Exception) when (Environment.ExitCode != 0)
{
    // The silo stopped itself while starting (no model, no native library): the exit code and the log say why; what
    // the host throws while it abandons the start (Orleans' cancelled lifecycle, most often) is only a consequence.
}
