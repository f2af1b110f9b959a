namespace Tabby.Selectors.Evaluation;

/// <summary>A compiled selector node: one virtual call per node, no allocation per evaluation.</summary>
internal abstract class Evaluator
{
    public abstract bool Evaluate(IReadOnlyDictionary<string, string> labels);
}
