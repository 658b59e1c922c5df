import { Tab, TabList, TabPanel, Tabs } from 'react-aria-components';
import { AgedReceivablesView } from './AgedReceivablesView.js';
import { BudgetReportView } from './BudgetReportView.js';
import { CashFlowReportView } from './CashFlowReportView.js';
import { RevenueByClientView } from './RevenueByClientView.js';
import { TaxSummaryView } from './TaxSummaryView.js';
import './reports.css';

const REPORTS = [
  { id: 'cash-flow', label: 'Cash flow', view: <CashFlowReportView /> },
  { id: 'budget', label: 'Budget vs actual', view: <BudgetReportView /> },
  { id: 'aged', label: 'Aged receivables', view: <AgedReceivablesView /> },
  { id: 'revenue', label: 'Revenue by client', view: <RevenueByClientView /> },
  { id: 'tax', label: 'Tax summary', view: <TaxSummaryView /> },
] as const;

/** The money reports, one tab each; every figure stays in its own currency. */
export function ReportsScreen(): React.JSX.Element {
  return (
    <section aria-labelledby="reports-heading" className="screen">
      <h1 id="reports-heading">Reports</h1>
      <Tabs className="tabs">
        <TabList aria-label="Reports" className="tab-list">
          {REPORTS.map((r) => (
            <Tab key={r.id} id={r.id} className="tab">
              {r.label}
            </Tab>
          ))}
        </TabList>
        {REPORTS.map((r) => (
          <TabPanel key={r.id} id={r.id} className="tab-panel">
            <h2>{r.label}</h2>
            {r.view}
          </TabPanel>
        ))}
      </Tabs>
    </section>
  );
}
