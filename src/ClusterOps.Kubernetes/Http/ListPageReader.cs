using System.Buffers;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using ClusterOps.Kubernetes.Resources;

namespace ClusterOps.Kubernetes.Http;

/// <summary>
/// Reads one list response (<c>{"kind":..,"metadata":{..},"items":[..]}</c>) from its stream, one item at a time,
/// through a pooled buffer that only ever has to hold the largest single item. Buffering a whole page instead
/// (about 370 KB for 500 PVCs) put every page on the large object heap and kept parsing from overlapping the
/// transfer. The list's own fields (metadata, kind, unknown fields) are collected into <see cref="Header"/>, wherever
/// they appear in the body.
/// </summary>
internal sealed class ListPageReader<T> : IDisposable where T : class
{
    private const int InitialBuffer = 16 * 1024;

    private readonly Stream _stream;
    private readonly JsonTypeInfo<T> _itemInfo;
    private readonly TimeSpan _idleTimeout;
    private byte[] _buffer;
    private int _start;
    private int _end;
    private bool _eof;
    private JsonReaderState _state;
    private Phase _phase = Phase.Start;

    private enum Phase { Start, Properties, Items, Done }

    private enum Step { Item, NeedMore, Done }

    public ListPageReader(Stream stream, JsonTypeInfo<T> itemInfo, TimeSpan idleTimeout)
    {
        _stream = stream;
        _itemInfo = itemInfo;
        _idleTimeout = idleTimeout;
        _buffer = ArrayPool<byte>.Shared.Rent(InitialBuffer);
        _state = new JsonReaderState(new JsonReaderOptions { AllowTrailingCommas = false });
    }

    /// <summary>The list without its items; complete once <see cref="ReadAsync"/> returned null.</summary>
    public KubeList<T> Header { get; } = new();

    /// <summary>The next item, or null at the end of the list.</summary>
    public async ValueTask<T?> ReadAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            T? item;
            Step step;
            try
            {
                step = TryStep(out item);
            }
            catch (JsonException ex)
            {
                // Never include the body: it may hold Secrets.
                throw new InvalidDataException($"The server's answer is not a valid {typeof(T).Name} list: {ex.Path} (line {ex.LineNumber}).");
            }
            switch (step)
            {
                case Step.Item:
                    return item;
                case Step.Done:
                    return null;
            }
            if (_eof)
                throw new InvalidDataException($"The server's answer ended in the middle of a {typeof(T).Name} list.");
            await FillAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private async ValueTask FillAsync(CancellationToken cancellationToken)
    {
        if (_start > 0)
        {
            Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
            _end -= _start;
            _start = 0;
        }
        if (_end == _buffer.Length)
        {
            // One item is larger than the buffer: grow to hold it.
            var bigger = ArrayPool<byte>.Shared.Rent(_buffer.Length * 2);
            Buffer.BlockCopy(_buffer, 0, bigger, 0, _end);
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = bigger;
        }
        // An idle timeout per read, not one for the whole body: a slow consumer down the pipeline must not fail the list.
        using var idle = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        idle.CancelAfter(_idleTimeout);
        int read;
        try
        {
            read = await _stream.ReadAsync(_buffer.AsMemory(_end), idle.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"The server sent no data for {_idleTimeout.TotalSeconds:0.#} s in the middle of a list.");
        }
        if (read == 0)
            _eof = true;
        _end += read;
    }

    /// <summary>
    /// Parse as far as the buffered bytes allow. Progress is committed only after a whole unit (one property with its
    /// value, one item); an incomplete unit is parsed again once more bytes arrived.
    /// </summary>
    private Step TryStep(out T? item)
    {
        item = null;
        var reader = new Utf8JsonReader(_buffer.AsSpan(_start, _end - _start), _eof, _state);
        while (true)
        {
            switch (_phase)
            {
                case Phase.Start:
                    if (!reader.Read())
                        return Step.NeedMore;
                    if (reader.TokenType != JsonTokenType.StartObject)
                        throw new JsonException("A list must be a JSON object.");
                    _phase = Phase.Properties;
                    Commit(ref reader);
                    break;

                case Phase.Properties:
                {
                    if (!reader.Read())
                        return Step.NeedMore;
                    if (reader.TokenType == JsonTokenType.EndObject)
                    {
                        _phase = Phase.Done;
                        Commit(ref reader);
                        return Step.Done;
                    }
                    var name = reader.GetString()!;
                    if (!reader.Read())
                        return Step.NeedMore;
                    if (name == "items" && reader.TokenType is JsonTokenType.StartArray or JsonTokenType.Null)
                    {
                        if (reader.TokenType == JsonTokenType.StartArray)
                            _phase = Phase.Items;
                        Commit(ref reader);
                        break;
                    }
                    if (!IsComplete(reader))
                        return Step.NeedMore;
                    ReadHeaderProperty(name, ref reader);
                    Commit(ref reader);
                    break;
                }

                case Phase.Items:
                    if (!reader.Read())
                        return Step.NeedMore;
                    if (reader.TokenType == JsonTokenType.EndArray)
                    {
                        _phase = Phase.Properties;
                        Commit(ref reader);
                        break;
                    }
                {
                    // Find the item's end once, then parse exactly its bytes: Deserialize(ref reader) would scan the
                    // value again to scope it, a third pass over every byte.
                    var itemStart = (int)reader.TokenStartIndex;
                    if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray && !reader.TrySkip())
                        return Step.NeedMore;
                    var itemBytes = _buffer.AsSpan(_start + itemStart, (int)reader.BytesConsumed - itemStart);
                    item = JsonSerializer.Deserialize(itemBytes, _itemInfo) ?? throw new JsonException("A list item is null.");
                    Commit(ref reader);
                    return Step.Item;
                }

                default:
                    return Step.Done;
            }
        }
    }

    private static bool IsComplete(Utf8JsonReader reader) =>
        reader.TokenType is not (JsonTokenType.StartObject or JsonTokenType.StartArray) || reader.TrySkip();

    private void Commit(ref Utf8JsonReader reader)
    {
        _start += (int)reader.BytesConsumed;
        _state = reader.CurrentState;
        reader = new Utf8JsonReader(_buffer.AsSpan(_start, _end - _start), _eof, _state);
    }

    private void ReadHeaderProperty(string name, ref Utf8JsonReader reader)
    {
        switch (name)
        {
            case "metadata" when reader.TokenType == JsonTokenType.StartObject:
                Header.Metadata = JsonSerializer.Deserialize(ref reader, KubeJsonContext.Default.ListMeta) ?? new ListMeta();
                break;
            case "kind" when reader.TokenType == JsonTokenType.String:
                Header.Kind = reader.GetString();
                break;
            case "apiVersion" when reader.TokenType == JsonTokenType.String:
                Header.ApiVersion = reader.GetString();
                break;
            default:
                (Header.ExtensionData ??= new())[name] = JsonElement.ParseValue(ref reader);
                break;
        }
    }

    public void Dispose()
    {
        var buffer = Interlocked.Exchange(ref _buffer, null!);
        if (buffer is not null)
            ArrayPool<byte>.Shared.Return(buffer);
    }
}
