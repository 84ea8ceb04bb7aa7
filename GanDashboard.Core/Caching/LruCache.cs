namespace GanDashboard.Core.Caching;

/// <summary>
/// A thread-safe least-recently-used cache of at most <c>capacity</c> entries. Evicted values are
/// disposed when they are <see cref="IDisposable"/> (trained models hold native tensor memory).
/// </summary>
public sealed class LruCache<TKey, TValue>(int capacity) where TKey : notnull
{
    private readonly Lock _gate = new();
    private readonly Dictionary<TKey, LinkedListNode<(TKey Key, TValue Value)>> _map = [];
    private readonly LinkedList<(TKey Key, TValue Value)> _order = new();

    public int Capacity { get; } = capacity > 0 ? capacity : throw new ArgumentOutOfRangeException(nameof(capacity), "The cache needs room for at least one entry.");
    public long Hits { get; private set; }
    public long Misses { get; private set; }
    public long Evictions { get; private set; }

    public int Count { get { lock (_gate) return _map.Count; } }

    public bool TryGet(TKey key, out TValue value)
    {
        lock (_gate)
        {
            if (_map.TryGetValue(key, out var node))
            {
                _order.Remove(node);
                _order.AddFirst(node);
                Hits++;
                value = node.Value.Value;
                return true;
            }
            Misses++;
            value = default!;
            return false;
        }
    }

    /// <summary>Adds or replaces an entry as the most recent; the least recent one is evicted when full.</summary>
    public void Set(TKey key, TValue value)
    {
        var evicted = new List<TValue>();
        lock (_gate)
        {
            if (_map.Remove(key, out var existing))
            {
                _order.Remove(existing);
                if (!ReferenceEquals(existing.Value.Value, value)) evicted.Add(existing.Value.Value);
            }
            _map[key] = _order.AddFirst((key, value));
            while (_map.Count > Capacity)
            {
                var last = _order.Last!;
                _order.RemoveLast();
                _map.Remove(last.Value.Key);
                evicted.Add(last.Value.Value);
                Evictions++;
            }
        }
        foreach (var value1 in evicted) (value1 as IDisposable)?.Dispose();
    }

    public void Remove(TKey key)
    {
        TValue? removed = default;
        bool found;
        lock (_gate)
        {
            found = _map.Remove(key, out var node);
            if (found) { _order.Remove(node!); removed = node!.Value.Value; }
        }
        if (found) (removed as IDisposable)?.Dispose();
    }

    public void Clear()
    {
        List<TValue> all;
        lock (_gate)
        {
            all = _order.Select(e => e.Value).ToList();
            _order.Clear();
            _map.Clear();
        }
        foreach (var value in all) (value as IDisposable)?.Dispose();
    }
}
