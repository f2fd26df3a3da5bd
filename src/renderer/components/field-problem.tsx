/**
 * What is wrong with one field, in words, right under it: the same sentence the engine would
 * answer (the checks come from src/shared/field-checks.ts), shown before anything is sent.
 */
export function FieldProblem({ problem, testId }: { readonly problem: string | undefined; readonly testId?: string }) {
  if (problem === undefined) return null;
  return (
    <span className="field-problem" role="alert" data-testid={testId}>
      {problem}
    </span>
  );
}
