using System.CommandLine;
using Grid.Codec;
using Grid.Native;

namespace Grid.Cli.Commands;

/// <summary><c>grid info</c>: the native runtime (libtorch, BLAS, threads, CUDA) and the model card.</summary>
public static class InfoCommand
{
    public static Command Create()
    {
        Option<DirectoryInfo?> model = CommonOptions.Model();
        var command = new Command("info", "Show the native runtime (libtorch, BLAS, threads, devices) and a model's card") { model };
        command.SetAction(parse =>
        {
            RuntimeInfo info = NativeRuntime.Info;
            Console.WriteLine($"libtorch {info.Torch}; BLAS: {info.Blas}; oneDNN: {info.Mkldnn}; threads: {info.Threads}; CUDA devices: {info.CudaDevices}; ABI {info.Abi}");
            string path = CommonOptions.ModelPath(parse.GetValue(model));
            (ModelCard card, byte[] weights) = ModelDirectory.Read(path);
            Console.WriteLine($"model: {path} ({weights.Length:N0} bytes)");
            Console.WriteLine(card.ToJson());
            return ExitCodes.Success;
        });
        return command;
    }
}
