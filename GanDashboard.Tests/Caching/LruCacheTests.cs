using GanDashboard.Core.Caching;

namespace GanDashboard.Tests.Caching;

public class LruCacheTests
{
    private sealed class Resource : IDisposable
    {
        public bool Disposed { get; private set; }
        public void Dispose() => Disposed = true;
    }

    [Fact]
    public void The_least_recently_used_entry_is_evicted_and_disposed()
    {
        var cache = new LruCache<string, Resource>(2);
        var a = new Resource(); var b = new Resource(); var c = new Resource();
        cache.Set("a", a);
        cache.Set("b", b);
        cache.TryGet("a", out _).Should().BeTrue();   // a is now the most recent
        cache.Set("c", c);

        cache.TryGet("b", out _).Should().BeFalse();
        b.Disposed.Should().BeTrue();
        a.Disposed.Should().BeFalse();
        cache.Count.Should().Be(2);
        cache.Evictions.Should().Be(1);
        cache.Hits.Should().Be(1);
        cache.Misses.Should().Be(1);
    }

    [Fact]
    public void Clear_and_remove_dispose_what_they_drop()
    {
        var cache = new LruCache<int, Resource>(5);
        var one = new Resource(); var two = new Resource();
        cache.Set(1, one); cache.Set(2, two);
        cache.Remove(1);
        one.Disposed.Should().BeTrue();
        cache.Clear();
        two.Disposed.Should().BeTrue();
        cache.Count.Should().Be(0);
    }

    [Fact]
    public void A_cache_needs_room_for_one_entry()
    {
        var create = () => new LruCache<int, int>(0);
        create.Should().Throw<ArgumentOutOfRangeException>();
    }
}
