namespace Tabby.Api.Validation;

/// <summary>Collects the errors of one resource; validators report by field path and never stop early.</summary>
internal sealed class ValidationContext
{
    private readonly List<FieldError> _errors = [];

    public IReadOnlyList<FieldError> Errors => _errors;

    public bool IsValid => _errors.Count == 0;

    public void Error(string path, string message) => _errors.Add(new FieldError(path, message));
}
