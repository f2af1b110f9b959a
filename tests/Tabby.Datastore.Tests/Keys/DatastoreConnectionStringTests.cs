namespace Tabby.Datastore.Tests.Keys;

public sealed class DatastoreConnectionStringTests
{
    [Fact]
    public void Parses_sqlite_and_etcd_forms()
    {
        Assert.Equal(("sqlite", "/var/lib/tabby/tabby.db"), Unpack(DatastoreConnectionString.Parse("sqlite:/var/lib/tabby/tabby.db")));
        Assert.Equal(("etcd", "http://10.0.0.1:2379|https://10.0.0.2:2379"), Unpack(DatastoreConnectionString.Parse("etcd:http://10.0.0.1:2379, https://10.0.0.2:2379")));
        Assert.Equal(("etcd", "http://127.0.0.1:2379"), Unpack(DatastoreConnectionString.Parse("etcd:127.0.0.1:2379")));
    }

    [Theory]
    [InlineData("")]
    [InlineData("sqlite:")]
    [InlineData("etcd:")]
    [InlineData("mysql:localhost")]
    [InlineData("etcd:ftp://x:1")]
    public void Refuses_anything_else(string text)
    {
        var ex = Assert.Throws<FormatException>(() => DatastoreConnectionString.Parse(text));
        Assert.False(string.IsNullOrWhiteSpace(ex.Message));
    }

    private static (string, string) Unpack((string Kind, IReadOnlyList<string> Targets) p) => (p.Kind, string.Join("|", p.Targets));
}
