namespace Tabby.Datastore;

/// <summary>One guard of a compare-and-swap transaction.</summary>
/// <param name="Key">The key compared.</param>
/// <param name="Target">Which property of the key.</param>
/// <param name="Op">The relation.</param>
/// <param name="Number">The operand for revision and version targets.</param>
/// <param name="Value">The operand for the value target.</param>
public sealed record Compare(string Key, CompareTarget Target, CompareOp Op, long Number, byte[]? Value)
{
    /// <summary>True when the key exists.</summary>
    public static Compare Exists(string key) => new(key, CompareTarget.CreateRevision, CompareOp.Greater, 0, null);

    /// <summary>True when the key does not exist.</summary>
    public static Compare Missing(string key) => new(key, CompareTarget.CreateRevision, CompareOp.Equal, 0, null);

    /// <summary>True when the key's mod revision equals <paramref name="modRevision"/> (0 means "absent").</summary>
    public static Compare ModRevisionIs(string key, long modRevision) => new(key, CompareTarget.ModRevision, CompareOp.Equal, modRevision, null);

    /// <summary>True when the key exists and holds exactly <paramref name="value"/>.</summary>
    public static Compare ValueIs(string key, byte[] value) => new(key, CompareTarget.Value, CompareOp.Equal, 0, value);

    internal bool Evaluate(KeyValue? current)
    {
        if (Target == CompareTarget.Value)
        {
            // etcd's rule: a value comparison against an absent key is false whatever the operator.
            if (current is null)
            {
                return false;
            }

            var c = current.Value.AsSpan().SequenceCompareTo(Value ?? []);
            return Relate(c);
        }

        var actual = Target switch
        {
            CompareTarget.ModRevision => current?.ModRevision ?? 0,
            CompareTarget.CreateRevision => current?.CreateRevision ?? 0,
            _ => current?.Version ?? 0,
        };
        return Relate(actual.CompareTo(Number));
    }

    private bool Relate(int c) => Op switch
    {
        CompareOp.Equal => c == 0,
        CompareOp.NotEqual => c != 0,
        CompareOp.Greater => c > 0,
        _ => c < 0,
    };
}
