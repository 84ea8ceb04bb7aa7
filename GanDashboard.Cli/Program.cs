using GanDashboard.Cli;
using GanDashboard.Cli.Commands;

// The verb table: every command the CLI knows, one line each. Each verb lives in its own file under Commands/.
var verbs = new Dictionary<string, Func<CommandArgs, Task<int>>>(StringComparer.Ordinal)
{
    ["info"] = InfoCommand.RunAsync,
    ["train"] = TrainCommand.RunAsync,
    ["sample"] = SampleCommand.RunAsync,
};

return await CommandLine.RunAsync(args, verbs, Console.Out, Console.Error);
