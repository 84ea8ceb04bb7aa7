namespace GanDashboard.Core.Tables;

/// <summary>
/// Reads and writes tables by file extension (.parquet or .csv). Writes go to a temporary file that
/// is renamed into place, so a reader never sees a half-written file.
/// </summary>
public static class TableFile
{
    public static bool IsSupported(string path) => FormatOf(path) is not null;

    public static async Task<Table> ReadAsync(string path, CancellationToken ct = default)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"No such data file: {path}", path);
        switch (FormatOf(path))
        {
            case "csv":
                return Csv.Read(path);
            case "parquet":
                await using (var stream = File.OpenRead(path))
                {
                    try { return await ParquetTables.ReadAsync(stream, ct); }
                    catch (Exception e) when (e is not OperationCanceledException and not InvalidDataException)
                    {
                        throw new InvalidDataException($"'{Path.GetFileName(path)}' is not a readable Parquet file: {e.Message}", e);
                    }
                }
            default:
                throw new InvalidDataException($"'{Path.GetFileName(path)}' is neither .csv nor .parquet.");
        }
    }

    public static async Task WriteAsync(Table table, string path, CancellationToken ct = default)
    {
        string format = FormatOf(path) ?? throw new ArgumentException($"'{Path.GetFileName(path)}' must end in .csv or .parquet.", nameof(path));
        await WriteAtomicallyAsync(path, async stream =>
        {
            if (format == "csv")
            {
                await using var writer = new StreamWriter(stream, new System.Text.UTF8Encoding(false), 1 << 16, leaveOpen: true);
                Csv.Write(table, writer);
            }
            else
            {
                await using var writer = new ParquetTableWriter(stream);
                const int rowsPerGroup = 100_000;
                if (table.RowCount <= rowsPerGroup) await writer.WriteAsync(table, ct);
                else
                {
                    for (int start = 0; start < table.RowCount; start += rowsPerGroup)
                    {
                        int[] rows = Enumerable.Range(start, Math.Min(rowsPerGroup, table.RowCount - start)).ToArray();
                        await writer.WriteAsync(table.Take(rows), ct);
                    }
                }
            }
        }, ct);
    }

    /// <summary>Runs <paramref name="write"/> against a temporary file beside <paramref name="path"/>, then renames it into place.</summary>
    public static async Task WriteAtomicallyAsync(string path, Func<Stream, Task> write, CancellationToken ct = default)
    {
        string directory = Path.GetDirectoryName(Path.GetFullPath(path))!;
        Directory.CreateDirectory(directory);
        string temp = Path.Combine(directory, $".{Path.GetFileName(path)}.{Guid.NewGuid():N}.tmp");
        try
        {
            await using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
            {
                await write(stream);
                await stream.FlushAsync(ct);
            }
            ct.ThrowIfCancellationRequested();
            File.Move(temp, path, overwrite: true);
        }
        finally
        {
            if (File.Exists(temp)) File.Delete(temp);
        }
    }

    private static string? FormatOf(string path) => Path.GetExtension(path).ToLowerInvariant() switch
    {
        ".csv" => "csv",
        ".parquet" => "parquet",
        _ => null,
    };
}
