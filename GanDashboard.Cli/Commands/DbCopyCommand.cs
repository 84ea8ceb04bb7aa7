using System.Globalization;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Npgsql;
using NpgsqlTypes;

namespace GanDashboard.Cli.Commands;

/// <summary>
/// <c>db copy --sqlite FILE --postgres CONNECTION [--json]</c>: moves a single-node install to PostgreSQL. Copies every
/// table of the SQLite store (profiles, drafts, models, datasets, reports, tasks, keys) into an empty PostgreSQL database
/// whose schema the app has created, in one transaction, and checks each table's row count before committing. The
/// target's column types decide how each SQLite value is read (uuid, timestamp, boolean, numbers, text). ASP.NET Core
/// Data Protection keys are not copied: a single node keeps them in its own key folder, and the cluster makes its own.
/// </summary>
public static class DbCopyCommand
{
    public static async Task<int> RunAsync(CommandArgs args)
    {
        string sqliteFile = args.Require("sqlite");
        string postgres = args.Require("postgres");
        bool json = args.Has("json");
        if (!File.Exists(sqliteFile)) throw new UsageException($"--sqlite '{sqliteFile}' does not exist: give the gandashboard.db of the data directory.");
        try { _ = new NpgsqlConnectionStringBuilder(postgres); }
        catch (ArgumentException e) { throw new UsageException($"--postgres is not a PostgreSQL connection string: {e.Message}"); }

        await using var source = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = sqliteFile, Mode = SqliteOpenMode.ReadOnly }.ConnectionString);
        await source.OpenAsync();
        await using var target = new NpgsqlConnection(postgres);
        await target.OpenAsync();

        var tables = await SourceTablesAsync(source);
        var targetColumns = await TargetColumnsAsync(target);
        var missing = tables.Where(t => !targetColumns.ContainsKey(t)).ToList();
        if (missing.Count > 0)
        {
            args.Error.WriteLine($"error: the PostgreSQL database has no table {string.Join(", ", missing)}. Start GanDashboard once with " +
                "GanDashboard:DatabaseProvider=postgres and this connection string (it creates the schema), stop it, then copy.");
            return ExitCodes.Invalid;
        }

        await using var transaction = await target.BeginTransactionAsync();
        var copied = new List<TableCopy>();
        foreach (string table in tables)
        {
            long already = await CountAsync(target, table, transaction);
            if (already > 0)
            {
                args.Error.WriteLine($"error: table {table} of the PostgreSQL database already has {already} rows; copy into an empty database.");
                return ExitCodes.Invalid;
            }
            long rows = await CopyTableAsync(source, target, table, targetColumns[table]);
            long sourceRows = await CountAsync(source, table);
            long targetRows = await CountAsync(target, table, transaction);
            copied.Add(new TableCopy(table, sourceRows, targetRows));
            if (rows != sourceRows || targetRows != sourceRows)
            {
                args.Error.WriteLine($"error: table {table}: {sourceRows} rows in SQLite but {targetRows} copied; nothing was committed.");
                return ExitCodes.Invalid;
            }
            await ResetIdentityAsync(target, table, targetColumns[table], transaction);
        }
        await transaction.CommitAsync();

        if (json)
            args.Output.WriteLine(JsonSerializer.Serialize(new { tables = copied.Select(c => new { table = c.Table, sqlite_rows = c.SourceRows, postgres_rows = c.TargetRows }) }));
        else
        {
            foreach (var c in copied) args.Output.WriteLine($"{c.Table,-22} {c.SourceRows,8} rows in SQLite  {c.TargetRows,8} in PostgreSQL");
            args.Output.WriteLine($"copied {copied.Count} tables, {copied.Sum(c => c.TargetRows)} rows; every row count matches");
        }
        return ExitCodes.Ok;
    }

    private sealed record TableCopy(string Table, long SourceRows, long TargetRows);

    private sealed record TargetColumn(string Name, string DataType, bool Nullable, bool Identity);

    private static async Task<List<string>> SourceTablesAsync(SqliteConnection source)
    {
        await using var command = source.CreateCommand();
        command.CommandText = "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND substr(name, 1, 4) <> '__EF' AND name <> 'DataProtectionKeys' ORDER BY name";
        var tables = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync()) tables.Add(reader.GetString(0));
        return tables;
    }

    private static async Task<Dictionary<string, List<TargetColumn>>> TargetColumnsAsync(NpgsqlConnection target)
    {
        await using var command = new NpgsqlCommand("""
            SELECT table_name, column_name, data_type, is_nullable = 'YES', is_identity = 'YES'
            FROM information_schema.columns WHERE table_schema = current_schema() ORDER BY table_name, ordinal_position
            """, target);
        var tables = new Dictionary<string, List<TargetColumn>>(StringComparer.Ordinal);
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            string table = reader.GetString(0);
            if (!tables.TryGetValue(table, out var columns)) tables[table] = columns = [];
            columns.Add(new TargetColumn(reader.GetString(1), reader.GetString(2), reader.GetBoolean(3), reader.GetBoolean(4)));
        }
        return tables;
    }

    private static async Task<long> CopyTableAsync(SqliteConnection source, NpgsqlConnection target, string table, List<TargetColumn> targetColumns)
    {
        var sourceColumns = new HashSet<string>(StringComparer.Ordinal);
        await using (var info = source.CreateCommand())
        {
            info.CommandText = $"SELECT name FROM pragma_table_info('{table.Replace("'", "''", StringComparison.Ordinal)}')";
            await using var reader = await info.ExecuteReaderAsync();
            while (await reader.ReadAsync()) sourceColumns.Add(reader.GetString(0));
        }
        var lacking = targetColumns.Where(c => !c.Nullable && !c.Identity && !sourceColumns.Contains(c.Name)).Select(c => c.Name).ToList();
        if (lacking.Count > 0)
            throw new InvalidDataException($"table {table} of the SQLite store has no column {string.Join(", ", lacking)}: start the current GanDashboard once on it (it migrates the file), then copy.");
        var columns = targetColumns.Where(c => sourceColumns.Contains(c.Name)).ToList();

        string names = string.Join(", ", columns.Select(c => $"\"{c.Name}\""));
        await using var select = source.CreateCommand();
        select.CommandText = $"SELECT {names} FROM \"{table}\"";
        await using var rows = await select.ExecuteReaderAsync();
        await using var writer = await target.BeginBinaryImportAsync($"COPY \"{table}\" ({names}) FROM STDIN (FORMAT BINARY)");
        long count = 0;
        while (await rows.ReadAsync())
        {
            await writer.StartRowAsync();
            for (int i = 0; i < columns.Count; i++)
            {
                if (await rows.IsDBNullAsync(i)) { await writer.WriteNullAsync(); continue; }
                var (value, type) = Convert(rows, i, columns[i], table);
                await writer.WriteAsync(value, type);
            }
            count++;
        }
        await writer.CompleteAsync();
        return count;
    }

    /// <summary>A SQLite value as the PostgreSQL column wants it (EF Core stores Guids and dates as text in SQLite).</summary>
    private static (object Value, NpgsqlDbType Type) Convert(SqliteDataReader rows, int i, TargetColumn column, string table)
    {
        try
        {
            return column.DataType switch
            {
                "uuid" => (Guid.Parse(rows.GetString(i)), NpgsqlDbType.Uuid),
                "timestamp with time zone" => (DateTime.SpecifyKind(DateTime.Parse(rows.GetString(i), CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal), DateTimeKind.Utc), NpgsqlDbType.TimestampTz),
                "boolean" => (rows.GetInt64(i) != 0, NpgsqlDbType.Boolean),
                "integer" => (rows.GetInt32(i), NpgsqlDbType.Integer),
                "bigint" => (rows.GetInt64(i), NpgsqlDbType.Bigint),
                "double precision" => (rows.GetDouble(i), NpgsqlDbType.Double),
                "real" => ((float)rows.GetDouble(i), NpgsqlDbType.Real),
                "text" or "character varying" => (rows.GetString(i), NpgsqlDbType.Text),
                _ => throw new InvalidDataException($"the PostgreSQL type {column.DataType} is not one the copy knows"),
            };
        }
        catch (FormatException e)
        {
            throw new InvalidDataException($"table {table}, column {column.Name}: '{rows.GetValue(i)}' is not a valid {column.DataType} ({e.Message}).", e);
        }
    }

    /// <summary>An identity column continues after the copied ids.</summary>
    private static async Task ResetIdentityAsync(NpgsqlConnection target, string table, List<TargetColumn> columns, NpgsqlTransaction transaction)
    {
        foreach (var column in columns.Where(c => c.Identity))
        {
            await using var reset = new NpgsqlCommand(
                $"SELECT setval(pg_get_serial_sequence('\"{table}\"', '{column.Name}'), COALESCE(MAX(\"{column.Name}\"), 0) + 1, false) FROM \"{table}\"",
                target, transaction);
            await reset.ExecuteScalarAsync();
        }
    }

    private static async Task<long> CountAsync(SqliteConnection source, string table)
    {
        await using var command = source.CreateCommand();
        command.CommandText = $"SELECT COUNT(*) FROM \"{table}\"";
        return (long)(await command.ExecuteScalarAsync())!;
    }

    private static async Task<long> CountAsync(NpgsqlConnection target, string table, NpgsqlTransaction transaction)
    {
        await using var command = new NpgsqlCommand($"SELECT COUNT(*) FROM \"{table}\"", target, transaction);
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
