namespace Plexus.KubeSim.Api;

/// <summary>
/// How kube-apiserver's allocators pick a value nobody asked for (allocator.NewAllocationMapWithOffset,
/// used for cluster IPs and node ports): the range's first <c>staticBand</c> values are kept for
/// clients that name theirs, so a random start in the rest is scanned upward with wrap-around, and
/// the static band, from a random start too, only once the rest is full.
/// </summary>
internal static class RangeAllocation
{
    /// <summary>The offset of a free value in [0, <paramref name="size"/>), or null when every one is taken.</summary>
    public static int? PickFree(int size, int staticBand, Func<int, bool> isTaken, Random random)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(staticBand);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(staticBand, size);
        foreach (var (first, count) in new[] { (staticBand, size - staticBand), (0, staticBand) })
        {
            if (count == 0) continue;
            var start = random.Next(count);
            for (var i = 0; i < count; i++)
            {
                var offset = first + (start + i) % count;
                if (!isTaken(offset)) return offset;
            }
        }
        return null;
    }
}
