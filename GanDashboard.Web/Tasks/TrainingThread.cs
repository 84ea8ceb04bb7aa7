using System.Runtime.InteropServices;

namespace GanDashboard.Web.Tasks;

/// <summary>
/// Runs a training's epochs on a thread of its own instead of a thread-pool thread. A training keeps its thread
/// busy for minutes: on the pool it would hold one of the few threads (two on a 2-core machine) that serve
/// requests until the pool noticed and grew. On Linux the thread also gets a higher nice value, so that when
/// requests and the training want the same core the requests win and the training takes what is left
/// (.NET ignores <see cref="Thread.Priority"/> on Linux, hence setpriority on the thread's id).
/// </summary>
public static class TrainingThread
{
    /// <summary>Runs <paramref name="work"/> on a new background thread; the task ends as the work does (its exception included).</summary>
    public static Task<T> RunAsync<T>(string name, int niceness, Func<T> work)
    {
        var done = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() =>
        {
            if (niceness > 0) TryLowerPriority(niceness);
            try { done.SetResult(work()); }
            catch (Exception e) { done.SetException(e); }   // awaiting rethrows it as it was (an OperationCanceledException stays one)
        })
        { IsBackground = true, Name = name };
        thread.Start();
        return done.Task;
    }

    /// <summary>Sets the calling thread's nice value (Linux: nice is per thread). False when not possible; the training then runs at normal priority.</summary>
    public static bool TryLowerPriority(int niceness)
    {
        if (!OperatingSystem.IsLinux()) return false;
        try { return SetPriority(PrioProcess, GetThreadId(), Math.Clamp(niceness, 0, 19)) == 0; }
        catch (DllNotFoundException) { return false; }
        catch (EntryPointNotFoundException) { return false; }
    }

    /// <summary>The calling thread's nice value (Linux), for tests.</summary>
    public static int CurrentNiceness() => OperatingSystem.IsLinux() ? GetPriority(PrioProcess, GetThreadId()) : 0;

    private const int PrioProcess = 0;

    // DllImport rather than LibraryImport: the generated marshalling needs unsafe code, which the project does not
    // allow, and int-only signatures need no marshalling at all.
    [DllImport("libc", EntryPoint = "setpriority")]
    private static extern int SetPriority(int which, int who, int priority);

    [DllImport("libc", EntryPoint = "getpriority")]
    private static extern int GetPriority(int which, int who);

    [DllImport("libc", EntryPoint = "gettid")]
    private static extern int GetThreadId();
}
