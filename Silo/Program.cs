using Grid.Silo.Extensions;

WebApplicationBuilder builder = WebApplication.CreateBuilder(args);
builder.AddGridSilo(args);

WebApplication app = builder.Build();
app.MapGridApi();
try
{
    app.Run();
}
catch (OperationCanceledException) when (Environment.ExitCode != 0)
{
    // The silo stopped itself while starting (no model, no native library): the exit code and the log say why.
}
