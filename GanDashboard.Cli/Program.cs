using GanDashboard.Cli.Commands;

namespace GanDashboard.Cli;

/// <summary>The CLI's entry point (in a namespace so it never collides with the web app's Program).</summary>
internal static class Program
{
    private static async Task<int> Main(string[] args)
    {
        // The verb table: every command the CLI knows, one line each. Each verb lives in its own file under Commands/.
        var verbs = new Dictionary<string, Func<CommandArgs, Task<int>>>(StringComparer.Ordinal)
        {
            ["backup"] = BackupCommand.RunAsync,
            ["apikey create"] = ApiKeyCommands.CreateAsync,
            ["apikey list"] = ApiKeyCommands.ListAsync,
            ["apikey revoke"] = ApiKeyCommands.RevokeAsync,
            ["bench api"] = BenchApiCommand.RunAsync,
            ["bench generate"] = BenchGenerateCommand.RunAsync,
            ["bench import"] = BenchImportCommand.RunAsync,
            ["bench pipeline"] = BenchPipelineCommand.RunAsync,
            ["bench seed"] = BenchSeedCommand.RunAsync,
            ["bench transformer"] = BenchTransformerCommand.RunAsync,
            ["bench validate"] = BenchValidateCommand.RunAsync,
            ["evaluate gates"] = EvaluateGatesCommand.RunAsync,
            ["evaluate import"] = EvaluateImportCommand.RunAsync,
            ["evaluate run-aware"] = EvaluateRunAwareCommand.RunAsync,
            ["generate"] = GenerateCommand.RunAsync,
            ["import"] = ImportCommand.RunAsync,
            ["info"] = InfoCommand.RunAsync,
            ["prune"] = PruneCommand.RunAsync,
            ["profile template"] = ProfileTemplateCommand.RunAsync,
            ["profile validate"] = ProfileValidateCommand.RunAsync,
            ["restore"] = RestoreCommand.RunAsync,
            ["sample"] = SampleCommand.RunAsync,
            ["seed"] = SeedCommand.RunAsync,
            ["train run-aware"] = TrainRunAwareCommand.RunAsync,
            ["train"] = TrainCommand.RunAsync,
            ["user add"] = UserCommands.AddAsync,
            ["user list"] = UserCommands.ListAsync,
            ["user remove"] = UserCommands.RemoveAsync,
            ["user set-password"] = UserCommands.SetPasswordAsync,
            ["user set-role"] = UserCommands.SetRoleAsync,
            ["validate"] = ValidateCommand.RunAsync,
        };

        return await CommandLine.RunAsync(args, verbs, Console.Out, Console.Error, Console.In);
    }
}
