import { lazy, Suspense } from 'react';
import type { MonthCashFlow } from '../../../../shared/domain/report.types.js';
import { Progress } from '../../ui/Progress.js';

const CashFlowCharts = lazy(() =>
  import('./CashFlowChart.js').then((m) => ({ default: m.CashFlowCharts })),
);

/**
 * The cash-flow charts, loaded after the numbers around them: the charting library is the
 * biggest part of the app's script, and a screen is usable before its chart is drawn.
 */
export function LazyCashFlowCharts({
  months,
}: {
  months: readonly MonthCashFlow[];
}): React.JSX.Element {
  return (
    <Suspense fallback={<Progress label="Drawing the chart" />}>
      <CashFlowCharts months={months} />
    </Suspense>
  );
}
