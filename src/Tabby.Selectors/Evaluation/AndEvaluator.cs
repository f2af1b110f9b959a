namespace Tabby.Selectors.Evaluation;

/// <summary>a &amp;&amp; b &amp;&amp; ...: short-circuits left to right.</summary>
internal sealed class AndEvaluator(Evaluator[] operands) : Evaluator
{
    public override bool Evaluate(IReadOnlyDictionary<string, string> labels)
    {
        foreach (var operand in operands)
        {
            if (!operand.Evaluate(labels))
                return false;
        }
        return true;
    }
}
