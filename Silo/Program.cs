using Grid.Silo.Extensions;

WebApplicationBuilder builder = WebApplication.CreateBuilder(args);
builder.AddGridSilo(args);

WebApplication app = builder.Build();
app.MapGridApi();
app.Run();
