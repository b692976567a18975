using System.Globalization;
using Grid.Native;

namespace Grid.Training;

/// <summary>The per-step CSV log of a run (appended on resume); validation columns are filled on validation steps.</summary>
internal sealed class TrainingLog : IDisposable
{
    private const string Header =
        "step,seconds,learning_rate,loss,mse,batch_psnr,perplexity,codes_used,codes_restarted,gradient_norm,images_per_s,val_psnr,val_bpp,val_codes_used,val_perplexity";

    private readonly StreamWriter _writer;

    public TrainingLog(string path)
    {
        bool exists = File.Exists(path) && new FileInfo(path).Length > 0;
        _writer = new StreamWriter(path, append: true) { AutoFlush = false };
        if (!exists)
        {
            _writer.WriteLine(Header);
        }
    }

    public void Append(long step, double seconds, float learningRate, StepResult r, double imagesPerSecond, ValidationResult? v)
    {
        double batchPsnr = r.Mse > 0 ? 10 * Math.Log10(1 / r.Mse) : 100;
        _writer.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{step},{seconds:F2},{learningRate:G5},{r.Loss:G6},{r.Mse:G6},{batchPsnr:F3},{r.Perplexity:F1},{r.CodesUsed},{r.CodesRestarted},{r.GradientNorm:G4},{imagesPerSecond:F1},") +
            (v is null ? ",,," : string.Create(CultureInfo.InvariantCulture, $"{v.MeanPsnr:F3},{v.MeanBpp:F5},{v.CodesUsed},{v.Perplexity:F1}")));
        if (v is not null || step % 50 == 0)
        {
            _writer.Flush();
        }
    }

    public void Dispose() => _writer.Dispose();
}
