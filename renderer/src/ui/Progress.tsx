/**
 * Shown while something waits. Without `value` it is indeterminate; with it, a bar of
 * `value` out of `total`.
 *
 * Plain ARIA rather than react-aria's ProgressBar: this is the one widget the first screen
 * shows before its data arrives, and react-aria's shared code (locale detection, number
 * formatting) cost the app's first script its size and start-up time for a role and
 * three attributes.
 */
export function Progress({
  label,
  value,
  total,
}: {
  label: string;
  value?: number;
  total?: number;
}): React.JSX.Element {
  const bar = value !== undefined && total !== undefined && total > 0 ? { value, total } : null;
  const percentage =
    bar === null ? null : Math.min(100, Math.max(0, (bar.value / bar.total) * 100));
  return (
    <div
      className="progress"
      role="progressbar"
      aria-label={label}
      {...(bar === null || percentage === null
        ? {}
        : {
            'aria-valuemin': 0,
            'aria-valuemax': bar.total,
            'aria-valuenow': bar.value,
            'aria-valuetext': `${Math.round(percentage)}%`,
          })}
    >
      <span className="progress-label">{label}</span>
      <div className="progress-track">
        <div className="progress-fill" style={{ width: `${percentage ?? 40}%` }} />
      </div>
    </div>
  );
}
