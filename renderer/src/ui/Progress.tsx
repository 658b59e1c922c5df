import { ProgressBar } from 'react-aria-components';

/**
 * Shown while something waits. Without `value` it is indeterminate; with it, a bar of
 * `value` out of `total`.
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
  const determinate = value !== undefined && total !== undefined && total > 0;
  return (
    <ProgressBar
      className="progress"
      aria-label={label}
      isIndeterminate={!determinate}
      {...(determinate ? { value, maxValue: total } : {})}
    >
      {({ percentage }) => (
        <>
          <span className="progress-label">{label}</span>
          <div className="progress-track">
            <div
              className="progress-fill"
              style={{ width: determinate ? `${percentage ?? 0}%` : '40%' }}
            />
          </div>
        </>
      )}
    </ProgressBar>
  );
}
