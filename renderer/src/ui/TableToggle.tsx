import { useId, useState } from 'react';
import { Button } from './Button.js';

/**
 * A chart with its numbers as a table: the table is always in the page for screen readers
 * (visually hidden), and a button shows it to everyone.
 */
export function ChartWithTable({
  title,
  chart,
  table,
}: {
  title: string;
  chart: React.ReactNode;
  table: React.ReactNode;
}): React.JSX.Element {
  const [shown, setShown] = useState(false);
  const id = useId();
  return (
    <figure className="chart-figure" aria-labelledby={id}>
      <figcaption id={id} className="chart-caption">
        {title}
      </figcaption>
      <div aria-hidden="true" className="chart-area">
        {chart}
      </div>
      <Button onPress={() => setShown((s) => !s)} aria-expanded={shown}>
        {shown ? 'Hide the table' : 'Show as a table'}
      </Button>
      <div className={shown ? 'chart-table' : 'visually-hidden'}>{table}</div>
    </figure>
  );
}
