namespace Tabby.Selectors.Evaluation;

/// <summary>a || b || ...: short-circuits left to right.</summary>
internal sealed class OrEvaluator(Evaluator[] operands) : Evaluator
{
    public override bool Evaluate(IReadOnlyDictionary<string, string> labels)
    {
        foreach (var operand in operands)
        {
            if (operand.Evaluate(labels))
                return true;
        }
        return false;
    }
}
