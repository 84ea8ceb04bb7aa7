using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace GanDashboard.Core.Profiles;

/// <summary>
/// Reads YAML into a JSON tree (YAML 1.2 core schema) so that YAML and JSON deserialize through the same
/// System.Text.Json path. Walks parser events itself to reject what YamlDotNet would accept: duplicate keys,
/// alias expansion bombs, several documents, NaN/infinity. Remembers each path's line for error messages.
/// </summary>
internal sealed partial class ProfileYamlReader
{
    private readonly Parser _parser;
    private readonly ProfileLimits _limits;
    private readonly Dictionary<string, JsonNode?> _anchors = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _lines = new(StringComparer.Ordinal);
    private int _aliases;
    private int _nodes;

    private ProfileYamlReader(string text, ProfileLimits limits)
    {
        _parser = new Parser(new StringReader(text));
        _limits = limits;
    }

    /// <summary>The document as a JSON tree, and the line of every path (for messages about wrong types).</summary>
    public static (JsonNode? Root, IReadOnlyDictionary<string, int> Lines) Read(string text, ProfileLimits limits)
    {
        var reader = new ProfileYamlReader(text, limits);
        try
        {
            return (reader.ReadDocument(), reader._lines);
        }
        catch (YamlException e)
        {
            throw new ProfileFormatException($"The YAML is malformed at line {e.Start.Line}, column {e.Start.Column}: {e.Message.TrimEnd('.')}. Fix: check the indentation and the ':' after each key there.", e);
        }
    }

    private JsonNode? ReadDocument()
    {
        _parser.MoveNext();
        Expect<StreamStart>();
        if (_parser.Current is StreamEnd) throw new ProfileFormatException("The YAML file has no content. Fix: upload a profile with machine_id, sensors, failure_modes...");
        Expect<DocumentStart>();
        var root = ReadNode("", 1);
        Expect<DocumentEnd>();
        if (_parser.Current is DocumentStart start)
            throw new ProfileFormatException($"The YAML file holds more than one document (a second '---' at line {start.Start.Line}). Fix: keep one profile per file.");
        return root;
    }

    private void Expect<T>() where T : ParsingEvent
    {
        if (_parser.Current is not T)
            throw new ProfileFormatException($"Unexpected YAML at line {_parser.Current?.Start.Line}. Fix: the file must hold one YAML document.");
        _parser.MoveNext();
    }

    private JsonNode? ReadNode(string path, int depth)
    {
        var current = _parser.Current ?? throw new ProfileFormatException("The YAML file ends too early. Fix: check that it is complete.");
        if (depth > _limits.MaxDepth)
            throw new ProfileFormatException($"'{path}' (line {current.Start.Line}) is nested more than {_limits.MaxDepth} levels deep. Fix: the schema needs at most 4 levels.");
        CountNodes(1, current);
        _lines.TryAdd(path, (int)current.Start.Line);
        JsonNode? node;
        switch (current)
        {
            case AnchorAlias alias:
                if (++_aliases > _limits.MaxYamlAliases)
                    throw new ProfileFormatException($"The YAML uses more than {_limits.MaxYamlAliases} aliases (*name), line {alias.Start.Line}. Fix: write the values out; profiles do not need aliases.");
                if (!_anchors.TryGetValue(alias.Value.Value, out var anchored))
                    throw new ProfileFormatException($"Alias *{alias.Value.Value} at line {alias.Start.Line} refers to no anchor. Fix: define &{alias.Value.Value} before using it.");
                node = anchored?.DeepClone();
                CountNodes(Size(node), alias);
                _parser.MoveNext();
                return node;
            case Scalar scalar:
                node = Resolve(scalar, path);
                _parser.MoveNext();
                Remember(scalar.Anchor, node);
                return node;
            case SequenceStart sequence:
                _parser.MoveNext();
                var array = new JsonArray();
                while (_parser.Current is not SequenceEnd)
                {
                    if (array.Count >= _limits.MaxListLength)
                        throw new ProfileFormatException($"'{path}' has more than {_limits.MaxListLength} items (line {sequence.Start.Line}). Fix: shorten the list.");
                    array.Add(ReadNode($"{path}[{array.Count}]", depth + 1));
                }
                _parser.MoveNext();
                Remember(sequence.Anchor, array);
                return array;
            case MappingStart mapping:
                _parser.MoveNext();
                var obj = new JsonObject();
                while (_parser.Current is not MappingEnd)
                {
                    if (_parser.Current is not Scalar key)
                        throw new ProfileFormatException($"A key at line {_parser.Current?.Start.Line} of '{path}' is not plain text. Fix: use simple names as keys.");
                    string keyPath = path.Length == 0 ? key.Value : $"{path}.{key.Value}";
                    if (obj.ContainsKey(key.Value))
                        throw new ProfileFormatException($"Key '{key.Value}' appears twice in '{(path.Length == 0 ? "the top level" : path)}' (second time at line {key.Start.Line}). Fix: keep one of them.");
                    _parser.MoveNext();
                    obj[key.Value] = ReadNode(keyPath, depth + 1);
                }
                _parser.MoveNext();
                Remember(mapping.Anchor, obj);
                return obj;
            default:
                throw new ProfileFormatException($"Unexpected YAML at line {current.Start.Line}. Fix: check the indentation.");
        }
    }

    private void Remember(AnchorName anchor, JsonNode? node)
    {
        if (!anchor.IsEmpty) _anchors[anchor.Value] = node;
    }

    private void CountNodes(int added, ParsingEvent at)
    {
        _nodes += added;
        if (_nodes > _limits.MaxNodes)
            throw new ProfileFormatException($"The YAML expands to more than {_limits.MaxNodes} values (line {at.Start.Line}); aliases may be nested to blow it up. Fix: write the profile without aliases.");
    }

    private static int Size(JsonNode? node) => node switch
    {
        JsonObject o => 1 + o.Sum(p => Size(p.Value)),
        JsonArray a => 1 + a.Sum(Size),
        _ => 1,
    };

    /// <summary>YAML 1.2 core schema: plain scalars may be null, booleans or numbers; quoted ones are always text.</summary>
    private static JsonNode? Resolve(Scalar scalar, string path)
    {
        string text = scalar.Value;
        bool explicitString = scalar.Tag.IsEmpty ? scalar.Style != ScalarStyle.Plain : scalar.Tag.Value is "tag:yaml.org,2002:str" or "!!str";
        if (explicitString) return JsonValue.Create(text);
        switch (text)
        {
            case "" or "~" or "null" or "Null" or "NULL": return null;
            case "true" or "True" or "TRUE": return JsonValue.Create(true);
            case "false" or "False" or "FALSE": return JsonValue.Create(false);
        }
        if (NonFinite().IsMatch(text))
            throw new ProfileFormatException($"'{path}' (line {scalar.Start.Line}) is {text}; NaN and infinity are not allowed. Fix: enter a finite number, or leave the field empty (null).");
        if (Integer().IsMatch(text) && long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long whole))
            return JsonValue.Create(whole);
        if ((Integer().IsMatch(text) || Float().IsMatch(text)) && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double number))
            return JsonValue.Create(number);
        return JsonValue.Create(text);
    }

    [GeneratedRegex("^[-+]?[0-9]+$", RegexOptions.CultureInvariant)]
    private static partial Regex Integer();

    [GeneratedRegex(@"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$", RegexOptions.CultureInvariant)]
    private static partial Regex Float();

    [GeneratedRegex(@"^([-+]?\.(inf|Inf|INF)|\.(nan|NaN|NAN))$", RegexOptions.CultureInvariant)]
    private static partial Regex NonFinite();
}
