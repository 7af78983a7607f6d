using System.Text.Json;
using Plexus.Cni.Json;

namespace Plexus.NodeAgent.Selection;

/// <summary>
/// Recognises meta-plugin configs from their bytes in one forward pass (pure). Multus 4.0.2 nests its own config
/// one level deeper on every restart, and runtimes read configs with Go's encoding/json, which accepts 10000
/// levels: far deeper than Plexus's document parser allows. An iterative reader with an explicit stack
/// recognises such a file at any depth Go accepts, and finds the cluster network at its bottom.
/// </summary>
public static class MetaScanner
{
    /// <summary>The nesting limit of Go's encoding/json, which runtimes and Multus parse configs with.</summary>
    public const int MaxJsonDepth = 10000;

    private static readonly string[] Types = [.. MetaPlugins.Types.Order(StringComparer.Ordinal)];

    private enum Key
    {
        Other,
        Type,
        Delegates,
        Plugins,
    }

    private enum Role
    {
        Other,
        FirstDelegate,
        Plugin,
    }

    public static MetaScan Scan(ReadOnlySpan<byte> json)
    {
        // Invalid UTF-8 reads as U+FFFD, as in Go (and string reads cannot throw).
        json = CniJson.WithValidUtf8(json);
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = MaxJsonDepth });
        var document = new Frame { IsArray = true };
        var stack = new List<Frame> { document };
        var outermost = new int[Types.Length];
        Array.Fill(outermost, int.MaxValue);
        var jsonDepth = 0;
        var selfDelegating = false;
        try
        {
            while (reader.Read())
            {
                var parent = stack[^1];
                switch (reader.TokenType)
                {
                    case JsonTokenType.PropertyName:
                        parent.Pending = KeyOf(ref reader);
                        continue;
                    case JsonTokenType.StartObject or JsonTokenType.StartArray:
                        var frame = new Frame
                        {
                            IsArray = reader.TokenType == JsonTokenType.StartArray,
                            Start = (int)reader.TokenStartIndex,
                            Owner = parent.IsArray ? Key.Other : parent.Pending,
                            Role = RoleIn(parent),
                            Holder = parent.IsArray && stack.Count > 1 ? stack[^2] : null,
                            Level = stack.Count,
                        };
                        Advance(parent);
                        stack.Add(frame);
                        jsonDepth = Math.Max(jsonDepth, stack.Count - 1);
                        continue;
                    case JsonTokenType.EndObject or JsonTokenType.EndArray:
                        var done = stack[^1];
                        stack.RemoveAt(stack.Count - 1);
                        if (done.IsArray)
                        {
                            stack[^1].Absorb(done.ChildMetaDepth, done.ChildMask);
                        }
                        else
                        {
                            selfDelegating |= Finish(done, (int)reader.BytesConsumed, stack[^1], outermost);
                        }
                        continue;
                    case JsonTokenType.String when !parent.IsArray && parent.Pending == Key.Type:
                        parent.Type = reader.GetString();
                        break;
                }
                Advance(parent);
            }
        }
        catch (JsonException e)
        {
            return new MetaScan { Error = e.Message };
        }
        return new MetaScan
        {
            JsonDepth = jsonDepth,
            MetaDepth = document.ChildMetaDepth,
            MetaTypes = Enumerable.Range(0, Types.Length).Where(i => outermost[i] != int.MaxValue).OrderBy(i => outermost[i]).Select(i => Types[i]).ToList(),
            SelfDelegating = selfDelegating,
            InnermostPrimary = document.Result is var (start, length) ? json.Slice(start, length).ToArray() : null,
        };
    }

    /// <summary>Folds a finished object into its parent; true when it is a meta-plugin config with its own type inside.</summary>
    private static bool Finish(Frame done, int end, Frame parent, int[] outermost)
    {
        var bit = done.Type is { } type ? Array.IndexOf(Types, type) : -1;
        var isMeta = bit >= 0;
        var metaDepth = done.ChildMetaDepth + (isMeta ? 1 : 0);
        parent.Absorb(metaDepth, done.ChildMask | (isMeta ? 1 << bit : 0));
        // A meta config's cluster network is its first delegate's; another config's is its first meta plugin's, or the
        // config itself when nothing meta is inside it.
        var result = isMeta ? done.FirstDelegate
            : done.HasMetaPlugin ? done.MetaPlugin
            : metaDepth == 0 ? (done.Start, end - done.Start)
            : null;
        switch (done.Role)
        {
            case Role.FirstDelegate when done.Holder is { } holder:
                holder.FirstDelegate = result;
                break;
            case Role.Plugin when isMeta && done.Holder is { HasMetaPlugin: false } holder:
                holder.HasMetaPlugin = true;
                holder.MetaPlugin = result;
                break;
        }
        if (done.Level == 1)
        {
            parent.Result = result;
        }
        if (!isMeta)
        {
            return false;
        }
        outermost[bit] = Math.Min(outermost[bit], done.Level);
        return (done.ChildMask & (1 << bit)) != 0;
    }

    private static Role RoleIn(Frame parent) => parent switch
    {
        { IsArray: true, Owner: Key.Delegates, Count: 0 } => Role.FirstDelegate,
        { IsArray: true, Owner: Key.Plugins } => Role.Plugin,
        _ => Role.Other,
    };

    private static void Advance(Frame parent)
    {
        parent.Count++;
        parent.Pending = Key.Other;
    }

    private static Key KeyOf(ref Utf8JsonReader reader) =>
        reader.ValueTextEquals("type"u8) ? Key.Type
        : reader.ValueTextEquals("delegates"u8) ? Key.Delegates
        : reader.ValueTextEquals("plugins"u8) ? Key.Plugins
        : Key.Other;

    /// <summary>One open object or array (or the document itself, the bottom frame).</summary>
    private sealed class Frame
    {
        public bool IsArray { get; init; }

        public int Start { get; init; }

        /// <summary>For an array: the key it is the value of.</summary>
        public Key Owner { get; init; }

        public Role Role { get; init; }

        /// <summary>For an element of an array: the object holding that array.</summary>
        public Frame? Holder { get; init; }

        /// <summary>JSON depth: 1 for the document's top value.</summary>
        public int Level { get; init; }

        public Key Pending { get; set; }

        /// <summary>Values seen so far (an array's index).</summary>
        public int Count { get; set; }

        public string? Type { get; set; }

        public int ChildMetaDepth { get; private set; }

        public int ChildMask { get; private set; }

        public (int Start, int Length)? FirstDelegate { get; set; }

        public bool HasMetaPlugin { get; set; }

        public (int Start, int Length)? MetaPlugin { get; set; }

        /// <summary>The document frame only: the top object's cluster network.</summary>
        public (int Start, int Length)? Result { get; set; }

        public void Absorb(int metaDepth, int mask)
        {
            ChildMetaDepth = Math.Max(ChildMetaDepth, metaDepth);
            ChildMask |= mask;
        }
    }
}
