namespace GanDashboard.Core.Import;

/// <summary>One reason an import is refused: what is wrong, where (column, line) and what to do about it.</summary>
public sealed record ImportProblem(string Message, string Fix, string? Column = null, int? Line = null)
{
    public override string ToString() => $"{Message} Fix: {Fix}";
}

/// <summary>An import that cannot go on; nothing has been stored.</summary>
public sealed class ImportException(IReadOnlyList<ImportProblem> problems)
    : Exception(string.Join(Environment.NewLine, problems.Select(p => p.ToString())))
{
    public IReadOnlyList<ImportProblem> Problems { get; } = problems;

    public ImportException(ImportProblem problem) : this([problem]) { }
}
