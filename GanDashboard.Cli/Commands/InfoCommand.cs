using TorchSharp;

namespace GanDashboard.Cli.Commands;

/// <summary><c>info</c>: versions and whether the native tensor library loads (a quick health check of an install).</summary>
public static class InfoCommand
{
    public static Task<int> RunAsync(CommandArgs args)
    {
        args.Output.WriteLine($"GanDashboard {typeof(InfoCommand).Assembly.GetName().Version}");
        args.Output.WriteLine($".NET {Environment.Version}, {Environment.ProcessorCount} cores");
        args.Output.WriteLine($"TorchSharp: cuda available = {torch.cuda.is_available()}, threads = {torch.get_num_threads()}");
        return Task.FromResult(ExitCodes.Ok);
    }
}
