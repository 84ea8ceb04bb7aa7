using System.Text.Json.Nodes;

namespace GanDashboard.Core.Profiles;

/// <summary>Rejects documents that are too deep, too big or hold absurdly long strings, before they reach the model.</summary>
internal static class ProfileNodeGuard
{
    public static void Check(JsonNode? root, ProfileLimits limits)
    {
        if (root is not JsonObject)
            throw new ProfileFormatException($"The profile must be an object of fields (machine_id, sensors, ...), but the file holds {Describe(root)}. Fix: put the fields at the top level of the file.");
        int count = 0;
        Walk(root, "", 1, limits, ref count);
    }

    private static void Walk(JsonNode? node, string path, int depth, ProfileLimits limits, ref int count)
    {
        if (++count > limits.MaxNodes)
            throw new ProfileFormatException($"The profile has more than {limits.MaxNodes} values. Fix: a profile needs a few hundred; check the file is a machine profile.");
        if (depth > limits.MaxDepth)
            throw new ProfileFormatException($"'{path}' is nested more than {limits.MaxDepth} levels deep. Fix: the schema needs at most 4 levels; flatten the data.");
        switch (node)
        {
            case JsonObject obj:
                foreach (var (key, child) in obj)
                {
                    string childPath = path.Length == 0 ? key : $"{path}.{key}";
                    CheckString(key, childPath, limits);
                    Walk(child, childPath, depth + 1, limits, ref count);
                }
                break;
            case JsonArray array:
                if (array.Count > limits.MaxListLength)
                    throw new ProfileFormatException($"'{path}' has {array.Count} items; at most {limits.MaxListLength} are accepted. Fix: shorten the list.");
                for (int i = 0; i < array.Count; i++) Walk(array[i], $"{path}[{i}]", depth + 1, limits, ref count);
                break;
            case JsonValue value when value.TryGetValue(out string? text):
                CheckString(text, path, limits);
                break;
            case JsonValue value when value.TryGetValue(out double number) && !double.IsFinite(number):
                throw new ProfileFormatException($"'{path}' is {number}; NaN and infinity are not allowed. Fix: enter a finite number, or leave the field empty (null).");
        }
    }

    private static void CheckString(string text, string path, ProfileLimits limits)
    {
        if (text.Length > limits.MaxStringLength)
            throw new ProfileFormatException($"'{path}' holds {text.Length} characters; at most {limits.MaxStringLength} are accepted. Fix: shorten the text.");
    }

    private static string Describe(JsonNode? node) => node switch
    {
        null => "null",
        JsonArray => "a list",
        _ => "a single value",
    };
}
