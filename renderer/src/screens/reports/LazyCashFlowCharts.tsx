import { useEffect, useState } from 'react';
import type { MonthCashFlow } from '../../../../shared/domain/report.types.js';
import { ErrorMessage } from '../../ui/ErrorMessage.js';
import { Progress } from '../../ui/Progress.js';

type ChartModule = typeof import('./CashFlowChart.js');

let chartCode: Promise<ChartModule> | undefined;
let loadedChartCode: ChartModule | undefined;

/**
 * Starts fetching the charts' code, once: a screen calls it as it opens, so the code
 * arrives while the screen still waits for its numbers instead of after them.
 */
export function preloadCashFlowCharts(): Promise<ChartModule> {
  chartCode ??= import('./CashFlowChart.js').then((code) => {
    loadedChartCode = code;
    return code;
  });
  return chartCode;
}

/**
 * The cash-flow charts, loaded after the numbers around them: the charting library is the
 * biggest part of the app's script, and a screen is usable before its chart is drawn.
 * Not React.lazy: code already loaded (the app preloads it at start) is drawn in the first
 * render, and code that arrives later is drawn at once, where a Suspense boundary would hold
 * it back for up to 300 ms after its fallback showed.
 */
export function LazyCashFlowCharts({
  months,
}: {
  months: readonly MonthCashFlow[];
}): React.JSX.Element {
  const [code, setCode] = useState<ChartModule | undefined>(loadedChartCode);
  const [failure, setFailure] = useState<unknown>(null);
  useEffect(() => {
    if (code !== undefined) return;
    let current = true;
    preloadCashFlowCharts().then(
      (loaded) => {
        if (current) setCode(loaded);
      },
      (error: unknown) => {
        if (current) setFailure(error);
      },
    );
    return () => {
      current = false;
    };
  }, [code]);
  if (failure !== null) return <ErrorMessage error={failure} title="The chart could not load" />;
  if (code === undefined) return <Progress label="Drawing the chart" />;
  return <code.CashFlowCharts months={months} />;
}
