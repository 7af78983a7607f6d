using System.Runtime.InteropServices;
using System.Text;

namespace Plexus.Cni.Invoke;

/// <summary>NUL-terminated UTF-8 strings and NULL-terminated string arrays in native memory (argv, envp), freed together.</summary>
internal sealed unsafe class NativeStrings : IDisposable
{
    private readonly List<nint> _blocks = [];

    public byte** Array(IEnumerable<string> values)
    {
        var items = values.ToList();
        var array = (byte**)Allocate((items.Count + 1) * sizeof(byte*));
        for (var i = 0; i < items.Count; i++)
        {
            array[i] = Utf8(items[i]);
        }
        array[items.Count] = null;
        return array;
    }

    private byte* Utf8(string value)
    {
        var length = Encoding.UTF8.GetByteCount(value);
        var text = (byte*)Allocate(length + 1);
        Encoding.UTF8.GetBytes(value, new Span<byte>(text, length));
        text[length] = 0;
        return text;
    }

    private void* Allocate(int bytes)
    {
        var block = NativeMemory.Alloc((nuint)bytes);
        _blocks.Add((nint)block);
        return block;
    }

    public void Dispose()
    {
        foreach (var block in _blocks)
        {
            NativeMemory.Free((void*)block);
        }
        _blocks.Clear();
    }
}
