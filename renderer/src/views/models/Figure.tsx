/** One figure of a model's header strip: label, value (with its raw number for tests) and a detail line. */
export function Figure({
  label,
  value,
  detail,
  testId,
  rawValue,
  title,
}: {
  label: string;
  value: string;
  detail?: string;
  testId?: string;
  rawValue?: number | null;
  title?: string;
}) {
  return (
    <div className="metric" title={title}>
      <dt>{label}</dt>
      <dd>
        <span className="metric-value" data-testid={testId} data-value={rawValue === undefined || rawValue === null ? undefined : String(rawValue)}>
          {value}
        </span>
        {detail ? <span className="metric-detail">{detail}</span> : null}
      </dd>
    </div>
  );
}
