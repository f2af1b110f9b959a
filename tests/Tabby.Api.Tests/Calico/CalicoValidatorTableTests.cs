using Tabby.Api.Serialization;

namespace Tabby.Api.Tests.Calico;

/// <summary>
/// Calico's validation tables (projectcalico/calico at 87c15906f20c) as data: every entry of
/// libcalico-go/lib/validator/v3/validator_test.go and crd_validation_test.go that concerns a kind
/// Tabby implements, read as `tabby apply` reads a manifest (defaults, then validation). Entries
/// that test an internal struct are wrapped in the smallest resource that holds it, with its other
/// fields valid; the data files say which.
/// </summary>
public class CalicoValidatorTableTests
{
    public static TheoryData<int, string, bool, string, string> ValidatorTest => CalicoTable.Load("validator_test.txt");

    public static TheoryData<int, string, bool, string, string> CrdValidationTest => CalicoTable.Load("crd_validation_test.txt");

    [Theory]
    [MemberData(nameof(ValidatorTest))]
    public void Validator_test_entry(int line, string name, bool valid, string error, string manifest) =>
        Check("validator_test.go", line, name, valid, error, manifest);

    [Theory]
    [MemberData(nameof(CrdValidationTest))]
    public void Crd_validation_test_entry(int line, string name, bool valid, string error, string manifest) =>
        Check("crd_validation_test.go", line, name, valid, error, manifest);

    private static void Check(string file, int line, string name, bool valid, string error, string manifest)
    {
        var result = new ResourceReader().Read(manifest, $"{file}:{line}");
        var errors = string.Join("\n", result.Errors);
        if (valid)
        {
            Assert.True(result.Succeeded, $"{file}:{line} '{name}' is valid in Calico; Tabby said:\n{errors}");
            Assert.Single(result.Resources);
            return;
        }
        Assert.False(result.Succeeded, $"{file}:{line} '{name}' is invalid in Calico; Tabby accepted:\n{manifest}");
        if (error.Length > 0)
            Assert.True(result.Errors.Any(e => e.Message.Contains(error, StringComparison.Ordinal)), $"{file}:{line} '{name}': Calico's error contains '{error}'; Tabby said:\n{errors}");
    }
}
