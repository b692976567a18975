using System.Runtime.ExceptionServices;
using System.Runtime.InteropServices;
using Grid.Native;

namespace Grid.Training;

/// <summary>
/// Runs the refresh's native work on a thread of its own that yields to the codec: a lower scheduling priority (nice)
/// and its own, smaller OpenMP thread count. Both are per-thread on Linux: the nice value applies to the calling thread
/// only and is inherited by the OpenMP workers libgomp creates for it (libgomp keeps a worker pool per master
/// thread), and OpenMP's thread-count setting is a per-thread control variable. The codec thread keeps
/// <c>CodecThreads</c> and normal priority. (NativeRuntime.Threads cannot be used here: it also sets OpenBLAS's
/// process-wide count.)
/// <para>
/// Every thread a niced thread creates inherits its nice value, and .NET creates thread-pool workers on the thread that
/// queues work when the pool needs one more. So the trainer thread must never queue to the thread pool (completing a
/// task with continuations would): it only stores its result and raises a flag, which the awaiting side polls.
/// </para>
/// </summary>
public static partial class TrainerThread
{
    private const int PriorityProcess = 0; // PRIO_PROCESS: with a thread id, that thread only

    private static readonly TimeSpan s_poll = TimeSpan.FromMilliseconds(50);

    /// <summary>
    /// Runs <paramref name="work"/> on a new thread with <paramref name="nice"/> and <paramref name="threads"/> OpenMP
    /// threads; the task ends with its result or exception. <paramref name="applied"/> receives (on that thread) what
    /// could be set; like <paramref name="work"/>, it must not queue thread-pool work.
    /// </summary>
    public static async Task<T> RunAsync<T>(Func<T> work, int threads, int nice, Action<string>? applied = null)
    {
        ArgumentNullException.ThrowIfNull(work);
        var outcome = new Outcome<T>();
        var thread = new Thread(() =>
        {
            try
            {
                applied?.Invoke(Apply(threads, nice));
                outcome.Result = work();
            }
            catch (Exception e)
            {
                outcome.Error = ExceptionDispatchInfo.Capture(e);
            }
            Volatile.Write(ref outcome.Done, true);
        })
        {
            IsBackground = true,
            Name = "trainer",
        };
        thread.Start();
        while (!Volatile.Read(ref outcome.Done))
        {
            await Task.Delay(s_poll).ConfigureAwait(false);
        }
        outcome.Error?.Throw();
        return outcome.Result!;
    }

    /// <summary>Applies the settings to the calling thread; returns a description of what took effect.</summary>
    internal static string Apply(int threads, int nice)
    {
        // The first native call on a thread applies the library's process-wide count to it; make it now, so the
        // override below is not undone by it later.
        _ = NativeRuntime.Threads;
        string threadsNote;
        try
        {
            OmpSetNumThreads(threads);
            threadsNote = $"{threads} OpenMP threads";
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            threadsNote = $"the codec's thread count (libgomp not found: {e.Message})";
        }
        string niceNote;
        if (!OperatingSystem.IsLinux())
        {
            niceNote = "normal priority (nice is Linux-only here)";
        }
        else if (nice == 0)
        {
            niceNote = "nice 0";
        }
        else if (SetPriority(PriorityProcess, GetTid(), nice) == 0)
        {
            niceNote = $"nice {nice}";
        }
        else
        {
            niceNote = $"normal priority (setpriority failed with errno {Marshal.GetLastPInvokeError()})";
        }
        return $"{threadsNote}, {niceNote}";
    }

    private sealed class Outcome<T>
    {
        public T? Result;
        public ExceptionDispatchInfo? Error;
        public bool Done;
    }

    [LibraryImport("libgomp.so.1", EntryPoint = "omp_set_num_threads")]
    private static partial void OmpSetNumThreads(int threads);

    [LibraryImport("libc", EntryPoint = "setpriority", SetLastError = true)]
    private static partial int SetPriority(int which, int who, int priority);

    [LibraryImport("libc", EntryPoint = "gettid")]
    private static partial int GetTid();
}
