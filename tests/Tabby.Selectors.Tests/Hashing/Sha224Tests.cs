using System.Text;
using Tabby.Selectors.Hashing;

namespace Tabby.Selectors.Tests.Hashing;

public class Sha224Tests
{
    [Theory]
    // FIPS 180-4 examples; the 56-byte one needs a second padding block.
    [InlineData("", "d14a028c2a3a2bc9476102bb288234c415a2b01f828ea62ac5b3e42f")]
    [InlineData("abc", "23097d223405d8228642a477bda255b32aadbce4bda0b3f7e36c9da7")]
    [InlineData("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", "75388b16512776cc5dba5da1fd890150b0c6455cb4f58b1952522525")]
    public void Matches_known_vectors(string input, string hex) =>
        Assert.Equal(hex, Convert.ToHexStringLower(Sha224.Hash(Encoding.ASCII.GetBytes(input))));

    [Theory]
    // Lengths around the padding boundary (values from Python's hashlib).
    [InlineData(55, "2791c7d25712eb5be75c30b2d45f6fce96e5a50ee64cf373056704a3")]
    [InlineData(63, "57176f335e39202a5454db924c660af77ec98a91f35706d9f57d7398")]
    [InlineData(64, "08c3050e95fe11eacb9dc7824bf6a92bcf2d59c21701321fba0e62c5")]
    [InlineData(119, "d75fd32c9a5ddf823b9f5b99b5170d51f8d9103d1436b5996c62b504")]
    [InlineData(120, "39d41dac408a2db1463e7077b115776faa2a395bdec3293f6ec98cc9")]
    public void Padding_boundaries(int length, string hex) =>
        Assert.Equal(hex, Convert.ToHexStringLower(Sha224.Hash(Encoding.ASCII.GetBytes(new string('x', length)))));

    [Fact]
    public void Million_a()
    {
        var data = new byte[1_000_000];
        Array.Fill(data, (byte)'a');
        Assert.Equal("20794655980c91d8bbb4c1ea97618a4bf03f42581948b2ee4ee7ad67", Convert.ToHexStringLower(Sha224.Hash(data)));
    }
}
