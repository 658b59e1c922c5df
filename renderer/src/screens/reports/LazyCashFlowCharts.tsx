import { lazy, Suspense } from 'react';
import type { MonthCashFlow } from '../../../../shared/domain/report.types.js';
import { Progress } from '../../ui/Progress.js';

let chartCode: Promise<typeof import('./CashFlowChart.js')> | undefined;

/**
 * Starts fetching the charts' code, once: a screen calls it as it opens, so the code
 * arrives while the screen still waits for its numbers instead of after them.
 */
export function preloadCashFlowCharts(): Promise<typeof import('./CashFlowChart.js')> {
  chartCode ??= import('./CashFlowChart.js');
  return chartCode;
}

const CashFlowCharts = lazy(() =>
  preloadCashFlowCharts().then((m) => ({ default: m.CashFlowCharts })),
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
