using System.Text.Json;

namespace GanDashboard.Web.Dashboard;

/// <summary>
/// Reads a model's per-epoch history. The trainer's EpochRecord may be stored snake_case or camelCase, so
/// names are matched without case and underscores ("train_loss", "TrainLoss" and "loss" all count).
/// </summary>
public static class TrainingHistory
{
    public static IReadOnlyList<EpochPoint> Parse(string? json)
    {
        if (string.IsNullOrWhiteSpace(json)) return [];
        try
        {
            using var document = JsonDocument.Parse(json);
            if (document.RootElement.ValueKind != JsonValueKind.Array) return [];
            var points = new List<EpochPoint>();
            int index = 0;
            foreach (var item in document.RootElement.EnumerateArray())
            {
                index++;
                if (item.ValueKind != JsonValueKind.Object) continue;
                double? loss = Number(item, "trainloss", "loss");
                if (loss is null) continue;
                int epoch = (int)(Number(item, "epoch") ?? index);
                points.Add(new EpochPoint(epoch, loss.Value, Number(item, "validationloss", "valloss")));
            }
            return points;
        }
        catch (JsonException)
        {
            return [];
        }
    }

    private static double? Number(JsonElement item, params string[] names)
    {
        foreach (var property in item.EnumerateObject())
        {
            string key = property.Name.Replace("_", "", StringComparison.Ordinal).ToLowerInvariant();
            if (names.Contains(key) && property.Value.ValueKind == JsonValueKind.Number) return property.Value.GetDouble();
        }
        return null;
    }
}
